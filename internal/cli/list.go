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
status, from the last check of that step: passed, failed or not tried.
Steps whose chapter or reference solution is not written yet say so.`,
		Run: func(env *Env, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("list: unexpected argument %q", args[0])
			}
			p := loadProgress(env)
			var b bytes.Buffer
			fmt.Fprintf(&b, "Gossip Glomers, one step at a time. Start with: tutor read intro\n\n")
			tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "STEP\tTITLE\tSTATUS\t")
			for _, s := range book.Steps() {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.ID, s.Title, p.Status(s.ID), written(s))
			}
			tw.Flush()
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
