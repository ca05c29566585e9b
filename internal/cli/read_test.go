package cli

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/progress"
)

// readEnv is an Env writing to a buffer, with its progress in a fresh
// file whose path it returns.
func readEnv(t *testing.T) (*Env, *bytes.Buffer, string) {
	t.Helper()
	var stdout bytes.Buffer
	file := filepath.Join(t.TempDir(), "progress.json")
	env := &Env{Stdout: &stdout, Stderr: &bytes.Buffer{}, Getenv: func(k string) string {
		if k == progressEnv {
			return file
		}
		return ""
	}}
	return env, &stdout, file
}

// shownLines returns the solution lines that appear, as whole lines, in
// rendered output.
func shownLines(out string, solution []string) []string {
	lines := map[string]bool{}
	for _, l := range strings.Split(out, "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	var shown []string
	for _, l := range solution {
		if lines[l] {
			shown = append(shown, l)
		}
	}
	return shown
}

// A chapter in the course's shape, whose walkthrough quotes step 1's
// solution: tutor read hides the walkthrough until a recorded pass of
// the learner's own node, or with --solution; --raw stays whole.
func TestReadGatesTheWalkthrough(t *testing.T) {
	step, _ := book.Lookup("1")
	solution, err := step.SolutionLines()
	if err != nil || len(solution) == 0 {
		t.Fatalf("SolutionLines: %q, %v", solution, err)
	}
	md := []byte("# Echo\n\nThe idea.\n\n## See it fail\n\nIt fails.\n\n## Your turn\n\ntutor check 1\n\n" +
		"## The walkthrough\n\n```go\n" + strings.Join(solution, "\n") + "\n```\n\n## Try it\n\nAn experiment.\n\n## Further reading\n\n- A book.\n")
	if err := book.CheckShape(md); err != nil {
		t.Fatal(err)
	}
	read := func(env *Env, o pageOptions) string {
		t.Helper()
		out := env.Stdout.(*bytes.Buffer)
		out.Reset()
		if err := showPage(env, step, md, o); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	env, _, file := readEnv(t)

	out := read(env, pageOptions{})
	if shown := shownLines(out, solution); len(shown) > 0 {
		t.Errorf("tutor read 1 on a fresh progress file shows solution lines %q:\n%s", shown, out)
	}
	for _, want := range []string{"Your turn", "Further reading", "hidden until your own node passes", "`tutor check 1`, or `tutor read 1 --solution`."} {
		if !strings.Contains(out, want) {
			t.Errorf("tutor read 1 lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "An experiment") {
		t.Errorf("tutor read 1 shows the experiments before a pass:\n%s", out)
	}
	for _, o := range []pageOptions{{solution: true}, {raw: true}} {
		if out := read(env, o); len(shownLines(out, solution)) != len(solution) {
			t.Errorf("tutor read 1 %+v does not show the whole solution:\n%s", o, out)
		}
	}

	// A failure, or a pass of step 2, reveals nothing.
	progress.Record(file, "1", progress.Result{Passed: false, At: time.Now(), Target: "glomers-work/1"})
	progress.Record(file, "2", progress.Result{Passed: true, At: time.Now(), Target: "glomers-work/2"})
	if out := read(env, pageOptions{}); len(shownLines(out, solution)) > 0 {
		t.Errorf("tutor read 1 after a failure shows the solution:\n%s", out)
	}
	progress.Record(file, "1", progress.Result{Passed: true, At: time.Now(), Target: "glomers-work/1"})
	if out := read(env, pageOptions{}); len(shownLines(out, solution)) != len(solution) || !strings.Contains(out, "An experiment") {
		t.Errorf("tutor read 1 after a pass hides the walkthrough:\n%s", out)
	}
}

// tutor diff is a spoiler too.
func TestDiffWantsSolutionBeforeAPass(t *testing.T) {
	env, stdout, file := readEnv(t)
	if code := run(env, commands(), []string{"diff", "2"}); code != 2 || stdout.Len() > 0 {
		t.Errorf("tutor diff 2 before a pass: exit %d, stdout %q", code, stdout)
	}
	if got := env.Stderr.(*bytes.Buffer).String(); !strings.Contains(got, "tutor diff --solution 2") {
		t.Errorf("tutor diff 2 before a pass says %q", got)
	}
	if code := run(env, commands(), []string{"diff", "--solution", "2"}); code != 0 || !strings.Contains(stdout.String(), "+++ solutions/uniqueids/") {
		t.Errorf("tutor diff --solution 2: exit %d, stdout %q", code, stdout)
	}
	stdout.Reset()
	progress.Record(file, "2", progress.Result{Passed: true, At: time.Now(), Target: "glomers-work/2"})
	if code := run(env, commands(), []string{"diff", "2"}); code != 0 || !strings.Contains(stdout.String(), "+++ solutions/uniqueids/") {
		t.Errorf("tutor diff 2 after a pass: exit %d, stdout %q", code, stdout)
	}
}

// The real chapters: piped, with a fresh progress file, tutor read STEP
// shows no line of any reference solution; --solution shows the step's
// cells; after a recorded pass of step 1, tutor read 1 shows its
// walkthrough.
func TestReadHidesSolutionsInChapters(t *testing.T) {
	var all []string
	for _, s := range book.Steps() {
		lines, err := s.SolutionLines()
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, lines...)
	}
	slices.Sort(all)
	all = slices.Compact(all)
	for _, s := range book.Steps() {
		env, stdout, _ := readEnv(t)
		if code := run(env, commands(), []string{"read", s.ID}); code != 0 {
			t.Fatalf("tutor read %s: exit %d: %s", s.ID, code, env.Stderr)
		}
		if shown := shownLines(stdout.String(), all); len(shown) > 0 {
			t.Errorf("tutor read %s, before a pass, shows %d lines of reference solutions, such as %q", s.ID, len(shown), shown[:min(len(shown), 3)])
		}
		stdout.Reset()
		if code := run(env, commands(), []string{"read", "--solution", s.ID}); code != 0 {
			t.Fatalf("tutor read --solution %s: exit %d", s.ID, code)
		}
		own, _ := s.SolutionLines()
		if len(shownLines(stdout.String(), own)) == 0 {
			t.Errorf("tutor read --solution %s shows none of the solution's lines", s.ID)
		}
	}
	env, stdout, file := readEnv(t)
	progress.Record(file, "1", progress.Result{Passed: true, At: time.Now(), Target: "glomers-work/1"})
	run(env, commands(), []string{"read", "1"})
	if !strings.Contains(stdout.String(), "func Register(n *maelstrom.Node) {") {
		t.Errorf("tutor read 1 after a pass lacks the walkthrough:\n%s", stdout)
	}
}
