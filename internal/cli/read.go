package cli

import (
	"flag"
	"fmt"
	"os"

	"github.com/muesli/termenv"
	"golang.org/x/term"

	"github.com/glomers/glomers/book"
)

// Widths for rendering: glow's choice of the terminal's width, capped so
// that lines stay readable on wide screens, and a fixed width otherwise.
const (
	maxWidth    = 120
	notTTYWidth = 80
)

func readCommand() *Command {
	var raw bool
	var width int
	return &Command{
		Name:  "read",
		Args:  "[--raw] [--width N] STEP",
		Short: `read a step's chapter ("intro": the introduction)`,
		Long: `Renders the chapter of STEP, with the code and transcripts its cells
name expanded from the reference solutions and tests.

On a terminal the chapter is styled for its background and wrapped to its
width (at most 120 columns); otherwise it is plain text, 80 columns wide.
GLAMOUR_STYLE=dark, light or notty picks the style without asking the
terminal its background colour (which some terminals never answer).
A chapter not written yet shows the challenge's page and Maelstrom runs.
"measurements" is the appendix of measured figures the chapters refer to.`,
		Flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&raw, "raw", false, "print the chapter's Markdown, cells expanded, instead of rendering it")
			fs.IntVar(&width, "width", 0, "wrap at `N` columns")
		},
		Run: func(env *Env, args []string) error {
			id, err := stepArg("read", args, book.PageIDs())
			if err != nil {
				return err
			}
			if width < 0 {
				return fmt.Errorf("read: --width must be positive, not %d", width)
			}
			s, err := book.Page(id)
			if err != nil {
				return err
			}
			md, err := s.Markdown()
			if err != nil {
				return err
			}
			if raw {
				_, err := env.Stdout.Write(md)
				return err
			}
			opts := renderOptions(env)
			if width > 0 {
				opts.Width = width
			}
			out, err := book.Render(md, opts)
			if err != nil {
				return fmt.Errorf("render %s: %v", s.Chapter, err)
			}
			_, err = fmt.Fprint(env.Stdout, out)
			return err
		},
	}
}

// renderOptions chooses, once, how to render for where output goes.
func renderOptions(env *Env) book.RenderOptions {
	f, ok := env.Stdout.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return book.RenderOptions{Style: book.NoTTY, Width: notTTYWidth}
	}
	width := notTTYWidth
	if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
		width = min(w, maxWidth)
	}
	out := termenv.NewOutput(f)
	style := env.Getenv("GLAMOUR_STYLE")
	switch style {
	case "dark", "light", book.NoTTY:
	default:
		style = "light"
		if out.HasDarkBackground() {
			style = "dark"
		}
	}
	return book.RenderOptions{Style: style, Width: width, Profile: out.EnvColorProfile()}
}
