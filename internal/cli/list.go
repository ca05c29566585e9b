package cli

import (
	"bytes"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/course"
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
			o := course.Survey(loadProgress(env), book.Steps())
			var b bytes.Buffer
			fmt.Fprintf(&b, "Gossip Glomers, one step at a time. Start with: tutor read intro\n\n")
			tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "STEP\tTITLE\tSTATUS\tLAST CHECK\t")
			part := 0
			for _, r := range o.Steps {
				s := r.Step
				if s.Part != part {
					part = s.Part
					fmt.Fprintf(tw, "\t%s\t\t\t\n", partHeading(part))
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.ID, s.Title, statusCell(r.Status), lastCheck(r.Last, r.Checked), written(s))
			}
			tw.Flush()
			fmt.Fprintf(&b, "\n%s\n", courseBar(o, 28))
			if o.HasNext {
				fmt.Fprintf(&b, "Next: step %s, %s (tutor read %s)\n", o.Next.ID, o.Next.Title, o.Next.ID)
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

// partHeading names a part of the course in tutor list, under which its
// steps follow.
func partHeading(n int) string {
	for _, p := range book.Parts() {
		if p.Number == n {
			return fmt.Sprintf("Part %d: %s", n, p.Title)
		}
	}
	return fmt.Sprintf("Part %d", n)
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
	p, _, err := course.LoadProgress(env.Getenv)
	if err == nil {
		return p
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
func courseBar(o course.Overview, width int) string {
	passed, failed, total := o.Passed, o.Failed, len(o.Steps)
	filled := 0
	if total > 0 {
		filled = (passed*width + total/2) / total
	}
	if passed > 0 && filled == 0 {
		filled = 1 // a first pass always shows
	}
	line := fmt.Sprintf("Course  %s%s  %d of %d steps passed", strings.Repeat("█", filled), strings.Repeat("░", width-filled), passed, total)
	if failed > 0 {
		line += fmt.Sprintf(", %d not passed yet", failed)
	}
	return line
}
