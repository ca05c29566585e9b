package cli

import (
	"errors"
	"flag"
	"fmt"

	"github.com/glomers/glomers/internal/course"
)

func diffCommand() *Command {
	var solution bool
	return &Command{
		Name:  "diff",
		Args:  "[--solution] STEP",
		Short: "show what a step's reference solution changed from the previous step's",
		Long: `Shows, as a unified diff, how the reference solution of STEP differs
from the previous step's: the lesson of the step, in code. Package names
are made equal first, so that only real changes show. Test files are
left out.

The diff is the step's answer: until your own node passes the step
(tutor check STEP), tutor diff says so and shows it only with
--solution.`,
		Flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&solution, "solution", false, "show the diff even before your node passed the step")
		},
		Run: func(env *Env, args []string) error {
			step, err := stepOfArgs("diff", args)
			if err != nil {
				return err
			}
			c, err := course.StepDiff(env.Getenv, step, solution)
			switch {
			case errors.Is(err, course.ErrSpoiler):
				return fmt.Errorf("diff: the diff is step %s's solution: pass the step with your own node first (tutor check %s), or see it now with tutor diff --solution %s", step.ID, step.ID, step.ID)
			case err != nil:
				return fmt.Errorf("diff: %v", err)
			case c.First:
				_, err := fmt.Fprintf(env.Stdout, "Step %s is the first of its part: there is nothing to compare it with. Its solution is in %s.\n", step.ID, step.Solution)
				return err
			case len(c.Diff) == 0:
				_, err := fmt.Fprintf(env.Stdout, "%s and %s are the same but for the package name.\n", c.OldDir, c.NewDir)
				return err
			}
			_, err = env.Stdout.Write(c.Diff)
			return err
		},
	}
}
