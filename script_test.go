package glomers_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/cli"
	"github.com/glomers/glomers/internal/transcript"
)

var update = flag.Bool("update", false, "rewrite the scripts' golden sections with the current output")

// TestMain installs the real tutor main as the "tutor" command of the
// scripts: the test binary, copied into $PATH under that name, runs
// cli.Main when invoked as tutor.
func TestMain(m *testing.M) {
	testscript.Main(waitingTests{m}, map[string]func(){
		"tutor": func() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// waitingTests is the test binary's own run (not a "tutor" command's).
//
// Most scripts spend their time waiting, not computing: a transcript waits
// on the node's real timers (a Raft node's election timeout is one to two
// seconds), a check waits on the workload's clock. Under -short, where the
// long timed workloads are skipped, the scripts therefore run at least
// eight at a time unless -parallel says otherwise; go test's default, one
// per CPU, left the cores idle for most of the run.
type waitingTests struct{ m *testing.M }

// Run parses the flags, as testing.M.Run would, to raise the default
// parallelism before the tests start.
func (w waitingTests) Run() int {
	flag.Parse()
	if testing.Short() && !flagSet("test.parallel") {
		flag.Set("test.parallel", strconv.Itoa(max(8, runtime.GOMAXPROCS(0))))
	}
	return w.m.Run()
}

// flagSet reports whether the command line set the flag name.
func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// TestScripts runs testdata/script/*.txtar: the CLI's behaviour (scripts
// named after the command they exercise) and the transcripts
// (transcript_<step>_<what>), each replayed against the reference solution.
// Scripts that run a real-time workload of many seconds start with
// testscript's built-in `[short] skip`, so go test -short stays quick.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			// Never the learner's real progress file.
			env.Setenv("GLOMERS_PROGRESS", filepath.Join(env.WorkDir, ".config", "progress.json"))
			// $REPO reaches the repository's files (testdata/nodes), and
			// the Go variables let tutor check build a Go package target
			// under testscript's empty $HOME.
			env.Setenv("REPO", repo)
			for k, v := range goEnv {
				env.Setenv(k, v)
			}
			return nil
		},
		Condition: condition,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"replay":    cmdReplay,
			"buildnode": cmdBuildNode,
		},
	})
}

var (
	repo  string
	goEnv = map[string]string{}
)

func init() {
	repo, _ = os.Getwd()
	out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH", "GOPROXY", "GOFLAGS", "GOTOOLCHAIN").Output()
	if err == nil {
		for i, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOPROXY", "GOFLAGS", "GOTOOLCHAIN"} {
			if lines := strings.Split(string(out), "\n"); i < len(lines) && lines[i] != "" {
				goEnv[k] = lines[i]
			}
		}
	}
}

// condition adds the scripts' own conditions to testscript's: [step:ID]
// holds when the book has step ID. A step lands with its chapter, so the
// scripts of a step whose code came first skip until it does.
func condition(cond string) (bool, error) {
	id, ok := strings.CutPrefix(cond, "step:")
	if !ok {
		return false, fmt.Errorf("unknown condition %q", cond)
	}
	_, err := book.Lookup(id)
	return err == nil, nil
}

// cmdBuildNode builds a broken node from testdata/nodes into the script's
// directory:
//
//	buildnode NAME
//
// leaves an executable $WORK/NAME.
func cmdBuildNode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: buildnode NAME")
	}
	cmd := exec.Command("go", "build", "-o", ts.MkAbs(args[0]), "./testdata/nodes/"+args[0])
	cmd.Dir = repo
	if out, err := cmd.CombinedOutput(); err != nil {
		ts.Fatalf("go build %s: %v\n%s", args[0], err, out)
	}
}

// cmdReplay replays the script's transcript against a command:
//
//	replay KIND COMMAND [ARGS...]
//
// KIND is "protocol" or "solution", and names the file of the archive that
// holds the transcript (see package transcript). The transcript is read
// from the archive itself, so failures cite its lines. The command runs in
// the script's directory and environment. With "!", the replay must find
// the node at fault.
func cmdReplay(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: replay KIND COMMAND [ARGS...]")
	}
	kind, err := transcript.ParseKind(args[0])
	ts.Check(err)
	archive := filepath.Join("testdata", "script", ts.Name()+".txtar")
	data, err := os.ReadFile(archive)
	ts.Check(err)
	tr, err := transcript.FromArchive(archive, data)
	ts.Check(err)
	if tr.Kind != kind {
		ts.Fatalf("%s holds a %v transcript, not %v", archive, tr.Kind, kind)
	}

	cmd := exec.Command(args[1], args[2:]...)
	cmd.Dir = ts.MkAbs(".")
	for _, k := range []string{"PATH", "HOME", "TMPDIR", "WORK", "GLOMERS_PROGRESS"} {
		cmd.Env = append(cmd.Env, k+"="+ts.Getenv(k))
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err = transcript.Run(ctx, tr, cmd, transcript.Options{})

	var failure *transcript.Failure
	switch {
	case err == nil && neg:
		ts.Fatalf("replay of %s passed, want a failure", archive)
	case errors.As(err, &failure) && neg:
		ts.Logf("replay failed as expected:\n%v", err)
	case err != nil:
		ts.Fatalf("%v", err)
	}
}
