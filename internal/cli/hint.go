package cli

import (
	"flag"
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/course"
)

func hintCommand() *Command {
	var all, reset bool
	return &Command{
		Name:  "hint",
		Args:  "[--all] [--reset] STEP",
		Short: "show the next hint for a step",
		Long: `Shows the next hint for STEP that you have not seen yet: a nudge, not
the answer. Chapters keep their hints hidden; each call reveals one more,
general hints first, then those about particular failures (a failed
tutor check shows the ones about what it found). The count of hints seen
is kept with your progress.

--all shows every hint of the step; --reset starts again from the first.`,
		Flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&all, "all", false, "show every hint of the step")
			fs.BoolVar(&reset, "reset", false, "forget which hints were shown")
		},
		Run: func(env *Env, args []string) error { return showHints(env, args, all, reset) },
	}
}

// showHints is tutor hint: the step's next hints not seen yet (or all
// of them), as course.RevealHints picks them.
func showHints(env *Env, args []string, all, reset bool) error {
	step, err := stepOfArgs("hint", args)
	if err != nil {
		return err
	}
	r, err := course.RevealHints(env.Getenv, step, all, reset)
	switch {
	case err == nil && len(r.Hints) == 0:
		_, err := fmt.Fprintf(env.Stdout, "Step %s has no hints yet. Its chapter is the best help: tutor read %s\n", step.ID, step.ID)
		return err
	case r.AllSeen():
		_, err := fmt.Fprintf(env.Stdout, "You have seen all %d hints of step %s. tutor hint --all %s shows them again.\n", len(r.Hints), step.ID, step.ID)
		return err
	}
	opts := renderOptions(env)
	for i := r.From; i < r.To; i++ {
		if i > r.From {
			fmt.Fprintln(env.Stdout)
		}
		fmt.Fprintf(env.Stdout, "Hint %d of %d for step %s:\n%s\n", i+1, len(r.Hints), step.ID, renderHint(r.Hints[i].Text, opts))
	}
	if r.To > r.From && r.To < len(r.Hints) && !all {
		fmt.Fprintf(env.Stdout, "\nStill stuck? tutor hint %s shows the next one.\n", step.ID)
	}
	return err
}

// renderHint shows a hint's Markdown as the terminal reads it: wrapped to
// the width and indented two spaces, with backticks kept in plain output
// and colour for code on a terminal (see book.RenderHint). tutor hint and
// a failed check's hints both use it.
func renderHint(md string, opts book.RenderOptions) string {
	width := max(opts.Width-2, 20)
	var out []string
	for _, l := range strings.Split(ansi.Wordwrap(book.RenderHint(md, opts), width, ""), "\n") {
		if l != "" {
			l = "  " + l
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
