package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/course"
)

func startCommand() *Command {
	return &Command{
		Name:  "start",
		Args:  "STEP [DIR]",
		Short: "create your own node for a step, to edit and check",
		Long: `Creates a Go module for your node for STEP in DIR (default
glomers-work/STEP): a main package on Maelstrom's Go library that starts,
answers init, and does nothing else yet. If you have a workspace for an
earlier step, its files are copied instead, so you carry your code on.

From then on "tutor check STEP" checks your workspace (it says so), and
"tutor check STEP --reference" checks the reference solution.`,
		Run: func(env *Env, args []string) error {
			if len(args) == 0 || len(args) > 2 {
				return fmt.Errorf("start: want STEP [DIR]; valid steps: %s", strings.Join(book.IDs(), ", "))
			}
			step, err := book.Lookup(args[0])
			if err != nil {
				return err
			}
			dir := filepath.Join(course.WorkDir, step.ID)
			if len(args) == 2 {
				dir = args[1]
			}
			s, err := course.Start(env.Getenv, step, dir)
			switch {
			case errors.Is(err, course.ErrNotEmpty):
				return fmt.Errorf("start: %s already exists and is not empty: check it with tutor check %s %s, or choose another DIR", dir, step.ID, dir)
			case s.Dir == "" && err != nil:
				return fmt.Errorf("start: %v", err)
			case s.CopiedFrom != "":
				fmt.Fprintf(env.Stdout, "Copied your step %s node from %s to %s.\n", s.FromStep, s.CopiedFrom, dir)
			default:
				fmt.Fprintf(env.Stdout, "Created a starter node for step %s in %s.\n", step.ID, dir)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "\nRead the step:   tutor read %s\nEdit:            %s\nCheck your node: tutor check %s\n",
				step.ID, filepath.Join(dir, "main.go"), step.ID)
			return nil
		},
	}
}
