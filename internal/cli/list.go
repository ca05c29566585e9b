package cli

import (
	"bytes"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/progress"
)

const progressEnv = progress.EnvVar

func listCommand() *Command {
	return &Command{
		Name:  "list",
		Short: "list the steps and your progress (the default)",
		Long: `Lists every step of the course in order: its id, its title and your
status, from the last recorded check of that step: passed, failed or not
tried, and when and against what that check ran (LAST CHECK). Only checks
of your workspace for the step (or of a node given with --record) are
recorded; passes with flags that change the test (--quick, --time-limit
2, --run 1) do not count: the step counts as passed when "tutor check
STEP" passes on your node as the page asks.
Steps whose chapter or reference solution is not written yet say so.`,
		Run: func(env *Env, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("list: unexpected argument %q", args[0])
			}
			p := loadProgress(env)
			var b bytes.Buffer
			fmt.Fprintf(&b, "Gossip Glomers, one step at a time. Start with: tutor read intro\n\n")
			tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "STEP\tTITLE\tSTATUS\tLAST CHECK\t")
			steps := book.Steps()
			for _, s := range steps {
				r, ok := p.Steps[s.ID]
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.ID, s.Title, statusCell(p.Status(s.ID)), lastCheck(r, ok), written(s))
			}
			tw.Flush()
			fmt.Fprintf(&b, "\n%s\n", courseBar(p, steps, 28))
			if next, ok := nextStep(p, steps); ok {
				fmt.Fprintf(&b, "Next: step %s, %s (tutor read %s)\n", next.ID, next.Title, next.ID)
			}
			fmt.Fprintf(&b, "\nRead a step with: tutor read STEP\n")
			// tabwriter pads the last cell; trim so output compares exactly.
			for _, l := range strings.SplitAfter(b.String(), "\n") {
				fmt.Fprint(env.Stdout, strings.TrimRight(l, " \n"))
				if strings.HasSuffix(l, "\n") {
					fmt.Fprintln(env.Stdout)
				}
			}
			return nil
		},
	}
}

// written says what of a step is missing, if anything.
func written(s book.Step) string {
	chapter, solution := s.HasChapter(), s.HasSolution()
	switch {
	case !chapter && !solution:
		return "(not written yet)"
	case !chapter:
		return "(no chapter yet)"
	case !solution:
		return "(no solution yet)"
	}
	return ""
}

// loadProgress reads the learner's progress. A problem with the file is a
// warning, not a failure: listing the steps is still useful.
func loadProgress(env *Env) progress.Progress {
	path, err := progress.Path(env.Getenv)
	if err == nil {
		var p progress.Progress
		if p, err = progress.Load(path); err == nil {
			return p
		}
	}
	fmt.Fprintf(env.Stderr, "tutor: warning: %v\n", err)
	return progress.Progress{}
}

// statusCell marks a status so the eye finds passes and failures.
func statusCell(st progress.Status) string {
	switch st {
	case progress.Passed:
		return "✓ passed"
	case progress.Failed:
		return "✗ failed"
	}
	return "· " + string(st)
}

// courseBar draws the course's progress: the share of steps passed.
func courseBar(p progress.Progress, steps []book.Step, width int) string {
	passed, failed := 0, 0
	for _, s := range steps {
		switch p.Status(s.ID) {
		case progress.Passed:
			passed++
		case progress.Failed:
			failed++
		}
	}
	filled := 0
	if len(steps) > 0 {
		filled = (passed*width + len(steps)/2) / len(steps)
	}
	if passed > 0 && filled == 0 {
		filled = 1 // a first pass always shows
	}
	line := fmt.Sprintf("Course  %s%s  %d of %d steps passed", strings.Repeat("█", filled), strings.Repeat("░", width-filled), passed, len(steps))
	if failed > 0 {
		line += fmt.Sprintf(", %d not passed yet", failed)
	}
	return line
}

// nextStep is the first step, in course order, not passed yet.
func nextStep(p progress.Progress, steps []book.Step) (book.Step, bool) {
	for _, s := range steps {
		if p.Status(s.ID) != progress.Passed {
			return s, true
		}
	}
	return book.Step{}, false
}
