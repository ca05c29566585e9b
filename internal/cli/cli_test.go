package cli

import (
	"bytes"
	"errors"
	"flag"
	"log"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/glomers/glomers/book"
)

// tutor runs Main in-process with the given stdin and returns the exit
// status and outputs. Progress goes to a fresh file.
func tutor(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	progressFile := filepath.Join(t.TempDir(), "progress.json")
	env := &Env{
		Stdin: strings.NewReader(stdin), Stdout: &stdout, Stderr: &stderr,
		Getenv: func(k string) string {
			if k == progressEnv {
				return progressFile
			}
			return ""
		},
	}
	// tutor node points the standard logger at its stderr.
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	code := run(env, commands(), args)
	return code, stdout.String(), stderr.String()
}

// Exit statuses and one-line errors: 0 success, 1 a check that failed, 2 a
// usage error, each error one line naming the culprit.
func TestExitStatus(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string // the whole of stderr, when the command fails
	}{
		{nil, 0, ""},
		{[]string{"list"}, 0, ""},
		{[]string{"read", "1"}, 0, ""},
		{[]string{"read", "--raw", "#2"}, 0, ""},
		{[]string{"read", "intro", "--width", "60"}, 0, ""},
		{[]string{"help"}, 0, ""},
		{[]string{"--help"}, 0, ""},
		{[]string{"read", "--help"}, 0, ""},
		{[]string{"help", "node"}, 0, ""},
		{[]string{"read", "9z"}, 2, "tutor: unknown step \"9z\"; valid steps: intro, 1, 2, 3a, 3b, 3c, 3d, 3e, 4, 5a, 5b, 5c, 6a, 6b, 6c, 7a, 7b, 7c, 7d, 7e, 7f, measurements\n"},
		{[]string{"node", "9z"}, 2, "tutor: unknown step \"9z\"; valid steps: 1, 2, 3a, 3b, 3c, 3d, 3e, 4, 5a, 5b, 5c, 6a, 6b, 6c, 7a, 7b, 7c, 7d, 7e, 7f\n"},
		{[]string{"read"}, 2, "tutor: read: missing STEP; valid steps: intro, 1, 2, 3a, 3b, 3c, 3d, 3e, 4, 5a, 5b, 5c, 6a, 6b, 6c, 7a, 7b, 7c, 7d, 7e, 7f, measurements\n"},
		{[]string{"read", "1", "2"}, 2, "tutor: read: unexpected argument \"2\" after the step\n"},
		{[]string{"read", "--bogus", "1"}, 2, "tutor: read: flag provided but not defined: -bogus\n"},
		{[]string{"read", "--width", "x", "1"}, 2, "tutor: read: invalid value \"x\" for flag -width: parse error\n"},
		{[]string{"read", "--width", "-3", "1"}, 2, "tutor: read: --width must be positive, not -3\n"},
		{[]string{"list", "extra"}, 2, "tutor: list: unexpected argument \"extra\"\n"},
		{[]string{"bogus"}, 2, "tutor: unknown command \"bogus\"; commands: " + names(commands()) + "\n"},
		{[]string{"3D"}, 2, "tutor: unknown command \"3D\" (to read step 3d: tutor read 3d)\n"},
		{[]string{"--verbose"}, 2, "tutor: unknown flag --verbose (see tutor help)\n"},
		{[]string{"check", "9z"}, 2, "tutor: unknown step \"9z\"; valid steps: 1, 2, 3a, 3b, 3c, 3d, 3e, 4, 5a, 5b, 5c, 6a, 6b, 6c, 7a, 7b, 7c, 7d, 7e, 7f\n"},
		{[]string{"check", "1", "--frobnicate"}, 2, "tutor: check: unknown flag --frobnicate\n"},
		{[]string{"check", "1", "--rate", "-1"}, 2, "tutor: check: --rate \"-1\": must be a number >= 0\n"},
		{[]string{"check", "1", "--concurrency", "2x"}, 2, "tutor: check: --concurrency \"2x\": must be a positive integer, or Kn for K per node (like 2n)\n"},
		{[]string{"check", "1", "--node-count", "0"}, 2, "tutor: check: --node-count \"0\": must be an integer from 1 to 1000\n"},
		{[]string{"check", "1", "--time-limit", "abc"}, 2, "tutor: check: --time-limit \"abc\": must be a number of seconds > 0\n"},
		{[]string{"check", "1", "--latency-dist", "weird"}, 2, "tutor: check: --latency-dist \"weird\": must be constant, uniform or exponential\n"},
		{[]string{"check", "1", "/nonexistent/node"}, 2, "tutor: check: target /nonexistent/node: no such file or directory\n"},
		{[]string{"test", "-w", "nope", "--bin", "/bin/sh"}, 2, "tutor: test: unknown workload \"nope\" (known: broadcast, echo, g-counter, g-set, kafka, lin-kv, pn-counter, txn-list-append, txn-rw-register, unique-ids)\n"},
		{[]string{"test", "-w", "echo"}, 2, "tutor: test: --bin is required: the node binary to test\n"},
		// Without -w, Maelstrom's default lin-kv, which (as in Maelstrom) needs 2n threads per key.
		{[]string{"test", "--bin", "/bin/sh"}, 2, "tutor: test: --concurrency 5: lin-kv needs a multiple of twice the node count (10 with 5 nodes; try --concurrency 2n): each key gets 2 threads per node, half reading, half writing\n"},
		{[]string{"test", "--bin", "/bin/sh", "--node-count", "11", "--concurrency", "2n"}, 2, "tutor: test: --node-count 11: lin-kv runs at most 10 nodes (each key gets 2 client threads per node and is retired once more than 20 clients have touched it)\n"},
		{[]string{"test", "-w", "echo", "--bin", "/nonexistent"}, 2, "tutor: test: binary /nonexistent: no such file\n"},
		{[]string{"help", "bogus"}, 2, "tutor: help: unknown command \"bogus\"; commands: " + names(commands()) + "\n"},
	} {
		code, _, stderr := tutor(t, "", tc.args...)
		if code != tc.code || stderr != tc.stderr {
			t.Errorf("tutor %s: exit %d, stderr %q; want exit %d, stderr %q",
				strings.Join(tc.args, " "), code, stderr, tc.code, tc.stderr)
		}
	}
}

func TestFlagsAnywhere(t *testing.T) {
	_, before, _ := tutor(t, "", "read", "--raw", "1")
	_, after, _ := tutor(t, "", "read", "1", "--raw")
	if before != after || !strings.HasPrefix(before, "# Echo\n") {
		t.Errorf("--raw before and after the step differ, or is not Markdown:\n%.80s\n%.80s", before, after)
	}
	// After "--", everything is an argument.
	code, _, stderr := tutor(t, "", "read", "--", "--raw")
	if code != 2 || !strings.Contains(stderr, `unknown step "--raw"`) {
		t.Errorf("read -- --raw: exit %d, %q", code, stderr)
	}
}

func TestReadWidth(t *testing.T) {
	_, out, _ := tutor(t, "", "read", "--width", "50", "intro")
	for i, l := range strings.Split(out, "\n") {
		if n := len([]rune(l)); n > 50 && !strings.Contains(l, "://") && !strings.HasPrefix(l, "    ") {
			t.Errorf("line %d is %d columns wide: %q", i+1, n, l)
		}
	}
}

func TestNode(t *testing.T) {
	in := `{"src":"c0","dest":"n0","body":{"type":"init","msg_id":1,"node_id":"n0","node_ids":["n0"]}}` + "\n"
	code, out, stderr := tutor(t, in, "node", "1")
	if code != 0 || out != `{"src":"n0","dest":"c0","body":{"in_reply_to":1,"type":"init_ok"}}`+"\n" {
		t.Errorf("node 1: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	// A message without a handler stops the library's node: the node is
	// at fault, exit 1.
	code, _, stderr = tutor(t, in+`{"src":"c1","dest":"n0","body":{"type":"nope","msg_id":1}}`+"\n", "node", "1")
	if code != 1 || !strings.Contains(stderr, "tutor: node (step 1) stopped: No handler for") {
		t.Errorf("node 1 with an unknown message: exit %d, stderr %q", code, stderr)
	}
}

// The solutions table and the book agree: a step has a registered
// solution exactly when its solution package is written, and it is that
// package's Register.
func TestSolutionsMatchBook(t *testing.T) {
	have := solutions()
	for _, s := range book.Steps() {
		register, ok := have[s.ID]
		if ok != s.HasSolution() {
			t.Errorf("step %s: registered %v, but %s written: %v", s.ID, ok, s.Solution, s.HasSolution())
			continue
		}
		if !ok {
			code, _, stderr := tutor(t, "", "node", s.ID)
			if code != 2 || !strings.Contains(stderr, "step "+s.ID+" has no reference solution yet (steps with one: 1, 2") {
				t.Errorf("node %s: exit %d, stderr %q", s.ID, code, stderr)
			}
			continue
		}
		fn := runtime.FuncForPC(reflect.ValueOf(register.fn()).Pointer()).Name()
		pkg := "github.com/glomers/glomers/" + s.Solution
		if fn != pkg+".Register" && fn != pkg+".Start" {
			t.Errorf("step %s runs %s, want %s.Register or .Start", s.ID, fn, pkg)
		}
	}
	for dir := range byPackage {
		if !slices.ContainsFunc(book.Steps(), func(s book.Step) bool { return s.Solution == dir }) {
			t.Errorf("byPackage holds %s, which no step of the book names", dir)
		}
	}
}

func TestSelfPath(t *testing.T) {
	look := func(name string) (string, error) {
		if name == "tutor" {
			return "/opt/bin/tutor", nil
		}
		return "", errors.New("not found")
	}
	exe := func() (string, error) { return "/proc/self/exe-target", nil }
	for arg0, want := range map[string]string{
		"tutor":               "/opt/bin/tutor",        // found through $PATH, as under testscript
		"./tutor":             "/proc/self/exe-target", // a path: the running executable
		"/usr/bin/tutor":      "/proc/self/exe-target",
		"renamed-not-in-path": "/proc/self/exe-target",
	} {
		if got, err := selfPath(arg0, look, exe); err != nil || got != want {
			t.Errorf("selfPath(%q) = %q, %v; want %q", arg0, got, err, want)
		}
	}
}

// Every command has what help needs, and declares its flags with an
// argument name where they take one.
func TestCommandTable(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range commands() {
		if seen[c.Name] || c.Short == "" || c.Long == "" || c.Run == nil {
			t.Errorf("command %q: duplicate, or missing Short, Long or Run", c.Name)
		}
		seen[c.Name] = true
		newFlagSet(c).VisitAll(func(f *flag.Flag) {
			if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); !isBool && !strings.Contains(f.Usage, "`") {
				t.Errorf("tutor %s --%s: name its argument in backquotes", c.Name, f.Name)
			}
		})
	}
}
