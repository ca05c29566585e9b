package cli

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/glomers/glomers/book"
)

func getenv(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// The style is chosen from the environment, never by asking the terminal
// (which may not answer: glamour's auto style then waits five seconds).
func TestTerminalStyle(t *testing.T) {
	for _, tc := range []struct {
		vars map[string]string
		want string
	}{
		{nil, "dark"},
		{map[string]string{"GLAMOUR_STYLE": "light"}, "light"},
		{map[string]string{"GLAMOUR_STYLE": "notty", "COLORFGBG": "0;15"}, "notty"},
		{map[string]string{"GLAMOUR_STYLE": "auto", "COLORFGBG": "0;15"}, "light"},
		{map[string]string{"COLORFGBG": "15;0"}, "dark"},
		{map[string]string{"COLORFGBG": "0;default;15"}, "light"},
		{map[string]string{"COLORFGBG": "0;7"}, "light"},
		{map[string]string{"COLORFGBG": "7;8"}, "dark"},
		{map[string]string{"COLORFGBG": "garbage"}, "dark"},
	} {
		if got := terminalStyle(getenv(tc.vars)); got != tc.want {
			t.Errorf("terminalStyle(%v) = %q, want %q", tc.vars, got, tc.want)
		}
	}
}

// As git: $PAGER through the shell, else less -R with LESS=FRX unless
// LESS is set; PAGER=cat means none.
func TestPagerCommand(t *testing.T) {
	if cmd := pagerCommand(getenv(map[string]string{"PAGER": "cat"})); cmd != nil {
		t.Errorf("PAGER=cat: pager %v, want none", cmd.Args)
	}
	cmd := pagerCommand(getenv(map[string]string{"PAGER": "more -s"}))
	if cmd == nil || !slices.Equal(cmd.Args, []string{"sh", "-c", "more -s"}) || !slices.Contains(cmd.Env, "LESS=FRX") {
		t.Errorf("PAGER='more -s': %v", cmd)
	}
	if cmd := pagerCommand(getenv(map[string]string{"LESS": "-S"})); cmd != nil {
		if !strings.HasSuffix(cmd.Args[0], "less") || cmd.Args[1] != "-R" || slices.Contains(cmd.Env, "LESS=FRX") {
			t.Errorf("no PAGER, LESS set: %v, env LESS=FRX %v", cmd.Args, slices.Contains(cmd.Env, "LESS=FRX"))
		}
	}
}

// Output that is not a terminal never goes through a pager.
func TestNoPagerWhenPiped(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	env := &Env{Stdout: w, Stderr: w, Getenv: getenv(map[string]string{"PAGER": "false"})}
	done, err := page(env, "text\n")
	w.Close()
	if done || err != nil {
		t.Errorf("page on a pipe = %v, %v; want not paged", done, err)
	}
}

// Hints, in tutor hint and under a failed check, lose Markdown's marks
// but for inline code's backticks in plain output, and wrap to the width.
func TestRenderHint(t *testing.T) {
	md := "Reply with `n.Reply(msg, ...)`, **not** `n.Send`; see\nthe [library](https://pkg.go.dev/x) and *its* docs."
	got := renderHint(md, book.RenderOptions{Style: book.NoTTY, Width: 40})
	want := "  Reply with `n.Reply(msg, ...)`, not\n  `n.Send`; see the library\n  (https://pkg.go.dev/x) and its docs."
	if got != want {
		t.Errorf("renderHint =\n%s\nwant\n%s", got, want)
	}
}
