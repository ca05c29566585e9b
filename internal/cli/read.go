package cli

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/muesli/termenv"
	"golang.org/x/term"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/course"
)

// Widths for rendering: glow's choice of the terminal's width, capped so
// that lines stay readable on wide screens, and a fixed width otherwise.
const (
	maxWidth    = 120
	notTTYWidth = 80
)

func readCommand() *Command {
	var raw, solution, noPager bool
	var width int
	return &Command{
		Name:  "read",
		Args:  "[--raw] [--solution] [--no-pager] [--width N] STEP",
		Short: `read a step's chapter ("intro": the introduction)`,
		Long: `Renders the chapter of STEP, with the code and transcripts its cells
name expanded from the reference solutions and tests.

On a terminal the chapter is styled and wrapped to the terminal's width
(at most 120 columns); otherwise it is plain text, 80 columns wide. Code
blocks, JSON lines and transcripts are never wrapped, so they paste as
they are. The style is GLAMOUR_STYLE (dark, light or notty), else light
when COLORFGBG says the background is, else dark: the terminal is never
asked, as some never answer. A chapter not written yet shows the
challenge's page and Maelstrom runs. "measurements" is the appendix of
measured figures the chapters refer to.

A step's walkthrough (the reference solution and its explanation) and
its experiments stay hidden until your own node passes the step (tutor
check STEP): try first, then read. --solution shows them anyway; --raw
prints the whole chapter, as its Markdown file holds it.

On a terminal the chapter goes through a pager: $PAGER, or less -R
(with LESS=FRX unless LESS is set), as git does; --no-pager prints it
directly. Piped output never goes through a pager.`,
		Flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&raw, "raw", false, "print the chapter's Markdown, cells expanded, instead of rendering it")
			fs.BoolVar(&solution, "solution", false, "show the walkthrough even before your node passed the step")
			fs.BoolVar(&noPager, "no-pager", false, "never pipe the chapter into a pager")
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
			return showPage(env, s, md, pageOptions{raw: raw, solution: solution, noPager: noPager, width: width})
		},
	}
}

// pageOptions are tutor read's flags.
type pageOptions struct {
	raw, solution, noPager bool
	width                  int
}

// showPage writes the chapter md of s: its Markdown as it is with raw,
// else rendered, with the walkthrough hidden until the learner's own node
// passed the step (or with solution), through a pager on a terminal.
func showPage(env *Env, s book.Step, md []byte, o pageOptions) error {
	if o.raw {
		_, err := env.Stdout.Write(md)
		return err
	}
	if !o.solution && !course.PassedOwn(env.Getenv, s.ID) {
		md = book.WithoutSpoilers(md, s.ID)
	}
	opts := renderOptions(env)
	if o.width > 0 {
		opts.Width = o.width
	}
	out, err := book.Render(md, opts)
	if err != nil {
		return fmt.Errorf("render %s: %v", s.Chapter, err)
	}
	if !o.noPager {
		if done, err := page(env, out); done {
			return err
		}
	}
	_, err = fmt.Fprint(env.Stdout, out)
	return err
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
	out := termenv.NewOutput(f, termenv.WithEnvironment(envEnviron{env}))
	return book.RenderOptions{Style: terminalStyle(env.Getenv), Width: width, Profile: out.EnvColorProfile()}
}

// terminalStyle picks the style for a terminal without asking it for its
// background colour: glamour's "auto" style does, and waits five seconds
// for a terminal that never answers. GLAMOUR_STYLE says it (dark, light
// or notty); else COLORFGBG, which many terminals set to "fg;bg" with
// the background's colour number (0-6 and 8 are dark); else dark, the
// common case.
func terminalStyle(getenv func(string) string) string {
	switch s := getenv("GLAMOUR_STYLE"); s {
	case "dark", "light", book.NoTTY:
		return s
	}
	if v := getenv("COLORFGBG"); v != "" {
		fields := strings.Split(v, ";")
		if bg, err := strconv.Atoi(fields[len(fields)-1]); err == nil {
			if bg == 7 || bg >= 9 {
				return "light"
			}
			return "dark"
		}
	}
	return "dark"
}

// envEnviron lets termenv read the environment through the Env.
type envEnviron struct{ env *Env }

func (e envEnviron) Environ() []string { return os.Environ() }

func (e envEnviron) Getenv(k string) string { return e.env.Getenv(k) }
