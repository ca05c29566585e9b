package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/proc"
	"github.com/glomers/glomers/internal/progress"
	"github.com/glomers/glomers/internal/transcript"
)

func checkCommand() *Command {
	return &Command{
		Name:    "check",
		Args:    "STEP [TARGET] [--FLAGS...]",
		Short:   "check a node against a step: transcripts, then the challenge's workload",
		RawArgs: true,
		Long: `Checks a node against STEP, the way the challenge's page asks: first the
step's protocol transcripts (fixed exchanges the node must answer), then
each Maelstrom run of the challenge, with the page's flags, in tutor's
simulated network. Steps with efficiency targets (3d, 3e) must meet them
on the run without partitions, as the page measures them; a run your flags
give partitions shows its figures but does not judge them.

TARGET is the node to check: an executable (in any language), or a
directory holding a Go main package, which tutor builds first. Without
TARGET, tutor checks your workspace for the step if "tutor start" made
one, and otherwise the step's reference solution, run as "tutor node
STEP".

Flags after STEP override the run's flags, with Maelstrom's names (see
"tutor help test"): for example --time-limit 5 for a quick look, or
--nemesis partition. Also:
  --run N       only the step's Nth run (3d's second run adds partitions)
  --reference   check the reference solution, even when "tutor start"
                made you a workspace for the step (which is otherwise
                what is checked when there is no TARGET)
  --maelstrom PATH
                run each workload with real Maelstrom (PATH is its
                maelstrom script) instead of tutor's harness: the page's
                command with your overrides, Maelstrom's own output, then
                its verdict and figures read back from store/latest

The result of each check is remembered for "tutor list".

Exit status: 0 passed, 1 the node is wrong (or missed a target), 2 usage
or harness error.`,
		Run: func(env *Env, args []string) error {
			return runCheck(env, args)
		},
	}
}

func runCheck(env *Env, args []string) error {
	overrides := harness.Defaults()
	fs := overrides.FlagSet("check")
	only := fs.Int("run", 0, "only this run of the step (1 is the first)")
	reference := fs.Bool("reference", false, "check the reference solution even when you have a workspace")
	maelstromPath := fs.String("maelstrom", "", "run the step's workload with real Maelstrom at `PATH`")
	// Flags and the positional STEP and TARGET may be interleaved; keep
	// the flag tokens to parse them again on top of each run's flags.
	var positional, flagTokens []string
	for {
		if err := fs.Parse(args); err != nil {
			return fmt.Errorf("check: %s", harness.FlagError(err))
		}
		rest := fs.Args()
		consumed := args[:len(args)-len(rest)]
		if len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			flagTokens = append(flagTokens, consumed[:len(consumed)-1]...)
			positional = append(positional, rest...)
			break
		}
		flagTokens = append(flagTokens, consumed...)
		if len(rest) == 0 {
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	if len(positional) == 0 {
		return fmt.Errorf("check: missing STEP; valid steps: %s", strings.Join(book.IDs(), ", "))
	}
	if len(positional) > 2 {
		return fmt.Errorf("check: unexpected argument %q after the target", positional[2])
	}
	step, err := book.Lookup(positional[0])
	if err != nil {
		return err
	}
	if *only < 0 || *only > len(step.Runs) {
		return fmt.Errorf("check: --run %d: step %s has %d run(s)", *only, step.ID, len(step.Runs))
	}

	if *maelstromPath != "" {
		p, err := checkMaelstromPath(*maelstromPath)
		if err != nil {
			return fmt.Errorf("check: %v", err)
		}
		*maelstromPath = p
	}

	ctx := context.Background()
	var tgt *target
	switch ws, wsErr := workspaceTarget(env, step); {
	case len(positional) == 2:
		tgt, err = resolveTarget(ctx, positional[1], env)
	case !*reference && wsErr == nil:
		fmt.Fprintf(env.Stdout, "Checking your workspace %s (from tutor start %s; --reference checks the reference solution).\n", ws, step.ID)
		tgt, err = resolveTarget(ctx, ws, env)
	case !*reference && !errors.Is(wsErr, errNoWorkspace):
		err = wsErr
	default:
		tgt, err = referenceTarget(step)
	}
	if err != nil {
		return fmt.Errorf("check: %v", err)
	}
	defer tgt.cleanup()
	fmt.Fprintf(env.Stdout, "Checking step %s (%s) against %s\n", step.ID, step.Title, tgt.name)

	passed := true
	// 1. The step's protocol transcripts.
	trs, err := step.Transcripts()
	if err != nil {
		return fmt.Errorf("check: %v", err)
	}
	for _, tr := range trs {
		if tr.Kind != transcript.Protocol {
			continue
		}
		err := transcript.Run(ctx, tr, exec.Command(tgt.path, tgt.args...), transcript.Options{})
		var f *transcript.Failure
		switch {
		case err == nil:
			fmt.Fprintf(env.Stdout, "  ✓ transcript %s\n", tr.Name)
		case errors.As(err, &f):
			fmt.Fprintf(env.Stdout, "  ✗ transcript %s\n%s\n", tr.Name, indentLines(err.Error(), "    "))
			if typ := missingHandler(err.Error()); typ != "" {
				fmt.Fprintf(env.Stdout, "\n  Your node has no handler for %q messages (the Maelstrom library stops on one):\n  register one with n.Handle(%q, ...), or read the chapter: tutor read %s\n", typ, typ, step.ID)
			}
			passed = false
		default:
			return fmt.Errorf("check: transcript %s: %v", tr.Name, err)
		}
	}
	if !passed {
		// Run the workload all the same: its report (the summary, the
		// message diagram, the node's log lines) often shows the mistake
		// more plainly than one exchange does.
		fmt.Fprintln(env.Stdout, "\nThe node does not answer the step's fixed exchanges (above); the step cannot pass until it does.")
		fmt.Fprintln(env.Stdout, "Running the workload anyway, for the full picture.")
	}

	// 2. The step's Maelstrom runs.
	ran := map[string]int{} // a run's effective options → its number
	for i, r := range step.Runs {
		if *only != 0 && *only != i+1 {
			continue
		}
		opts := harness.Defaults()
		rfs := opts.FlagSet("check")
		rfs.Int("run", 0, "")
		rfs.Bool("reference", false, "")
		rfs.String("maelstrom", "", "")
		if err := opts.Parse(rfs, r.Args); err != nil {
			return fmt.Errorf("check: step %s's flags: %v", step.ID, err)
		}
		// The learner's flags override the book's.
		if err := opts.Parse(rfs, flagTokens); err != nil {
			return fmt.Errorf("check: %v", err)
		}
		overrideArgs := maelstromArgs(flagTokens) // tutor's own flags are no override
		if err := opts.Finish(); err != nil {
			return fmt.Errorf("check: %v", err)
		}
		opts.Step = step.ID
		opts.Bin = tgt.path
		opts.Args = tgt.args
		opts.JSON = overrides.JSON
		opts.Strict = true // the course judges by its own rules too (strict.go)
		fmt.Fprintf(env.Stdout, "\nRun %d of %d: tutor test %s", i+1, len(step.Runs), strings.Join(r.Args, " "))
		if len(overrideArgs) > 0 {
			fmt.Fprintf(env.Stdout, " (overridden: %s)", strings.Join(overrideArgs, " "))
		}
		fmt.Fprintln(env.Stdout)
		// The learner's flags can make two of the page's runs one and the
		// same (3d's first run with --nemesis partition is its second).
		key := sameRunKey(opts)
		if j, dup := ran[key]; dup {
			fmt.Fprintf(env.Stdout, "  (with your flags this is run %d again; not run twice)\n", j)
			continue
		}
		ran[key] = i + 1
		if r.Note != "" {
			fmt.Fprintf(env.Stdout, "  (%s)\n", r.Note)
		}
		// The page measures its efficiency targets on a healthy network;
		// under partitions a correct node must wait for the heal, and no
		// limit the page sets applies.
		if len(r.Targets) > 0 && len(opts.Nemesis) > 0 {
			fmt.Fprintln(env.Stdout, "  (targets not judged: the page measures them without partitions; drop --nemesis to judge them)")
			r.Targets = nil
		}
		for _, t := range r.Targets {
			opts.Targets = append(opts.Targets, harness.TargetSpec{Name: t.Name, Metric: t.Metric, Limit: t.Limit})
		}
		fmt.Fprintln(env.Stdout)
		if *maelstromPath != "" {
			v, err := runMaelstrom(env, *maelstromPath, r, flagTokens, tgt)
			if err != nil {
				return fmt.Errorf("check: %v", err)
			}
			fmt.Fprintf(env.Stdout, "\nMaelstrom's verdict: valid? %s", v.valid)
			if v.results != "" {
				fmt.Fprintf(env.Stdout, " (%s)", v.results)
			}
			fmt.Fprintln(env.Stdout)
			if len(v.targets) > 0 {
				fmt.Fprintf(env.Stdout, "Targets\n%s\n", strings.Join(v.targets, "\n"))
			}
			if v.valid != "true" || !v.met {
				passed = false
			}
			continue
		}
		res, err := runHarness(opts, env)
		if err != nil {
			return fmt.Errorf("check: %v", err)
		}
		printResult(env, res, opts.JSON, hintsFor(step, res))
		printStrict(env, res, opts.JSON)
		if res.Interrupted {
			return &ExitError{Code: 2}
		}
		if exitCode(res) != 0 {
			passed = false
		}
	}
	// tutor list counts the learner's own nodes, and a pass only at the
	// page's parameters: a quick --time-limit 2 run, or one run of two,
	// shows the node works so far, not that the step is done. A failure
	// is worth remembering whatever the flags.
	partial := dropFlags(maelstromArgs(flagTokens), sameTestFlags)
	if *only != 0 {
		partial = append([]string{fmt.Sprintf("--run %d", *only)}, partial...)
	}
	if !tgt.reference && (!passed || len(partial) == 0) {
		recordProgress(env, step.ID, passed, tgt.name)
	}
	switch {
	case !passed:
		fmt.Fprintf(env.Stdout, "\nStep %s: not passed yet. The chapter may help: tutor read %s\n", step.ID, step.ID)
		return &ExitError{Code: 1}
	case tgt.reference:
		fmt.Fprintf(env.Stdout, "\nStep %s passed, by the reference solution; tutor list counts your own nodes.\n", step.ID)
	case len(partial) > 0:
		fmt.Fprintf(env.Stdout, "\nStep %s passed with your flags (%s); tutor list counts a pass at the page's parameters: tutor check %s without them.\n", step.ID, strings.Join(partial, " "), step.ID)
	default:
		fmt.Fprintf(env.Stdout, "\nStep %s passed.\n", step.ID)
	}
	return nil
}

// sameTestFlags change where a run's results go, how they print, or which
// random choices it makes, but not what it tests; the value says whether
// the flag takes a value.
var sameTestFlags = map[string]bool{"json": false, "log-stderr": false, "store": true, "seed": true}

// sameRunKey identifies what a run does, whatever seed it would draw: two
// runs with the same key test the same thing.
func sameRunKey(o harness.Options) string {
	o.Seed = 0
	o.Targets = nil
	return fmt.Sprintf("%+v", o)
}

// target is the node a check runs: a path and arguments.
type target struct {
	name      string
	path      string
	args      []string
	reference bool // tutor's own solution, not the learner's node
	cleanup   func()
}

func referenceTarget(step book.Step) (*target, error) {
	if _, ok := solutions()[step.ID]; !ok {
		return nil, fmt.Errorf("step %s has no reference solution yet; give a TARGET to check your own node (steps with one: %s)", step.ID, strings.Join(solved(), ", "))
	}
	cmd, err := NodeCommand(step.ID)
	if err != nil {
		return nil, fmt.Errorf("find tutor's own binary: %v", err)
	}
	return &target{name: "the reference solution (tutor node " + step.ID + ")", path: cmd[0], args: cmd[1:], reference: true, cleanup: func() {}}, nil
}

// resolveTarget turns TARGET into something to run: an executable file as
// it is, a directory with Go files built with `go build`.
func resolveTarget(ctx context.Context, arg string, env *Env) (*target, error) {
	st, err := os.Stat(arg)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("target %s: no such file or directory", arg)
		}
		return nil, fmt.Errorf("target %s: %v", arg, err)
	}
	if !st.IsDir() {
		e, err := proc.NewExec(arg)
		if err != nil {
			return nil, err
		}
		return &target{name: arg, path: e.Path, cleanup: func() {}}, nil
	}
	gofiles, _ := filepath.Glob(filepath.Join(arg, "*.go"))
	if len(gofiles) == 0 {
		return nil, fmt.Errorf("target %s is a directory without Go files: give an executable, or a Go main package directory", arg)
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("target %s is a Go package, but the go command is not on PATH", arg)
	}
	tmp, err := os.MkdirTemp("", "tutor-node-")
	if err != nil {
		return nil, err
	}
	out := filepath.Join(tmp, "node")
	abs, _ := filepath.Abs(arg)
	fmt.Fprintf(env.Stdout, "Building %s ...\n", arg)
	build := exec.CommandContext(ctx, goTool, "build", "-o", out, ".")
	build.Dir = abs
	var buildOut strings.Builder
	build.Stdout, build.Stderr = &buildOut, &buildOut
	if err := build.Run(); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("go build %s failed:\n%s", arg, indentLines(strings.TrimSpace(buildOut.String()), "  "))
	}
	return &target{name: arg, path: out, cleanup: func() { os.RemoveAll(tmp) }}, nil
}

func recordProgress(env *Env, step string, passed bool, target string) {
	path, err := progress.Path(env.Getenv)
	if err != nil {
		return
	}
	if err := progress.Record(path, step, progress.Result{Passed: passed, At: time.Now(), Target: target}); err != nil {
		fmt.Fprintf(env.Stderr, "tutor: could not record progress in %s: %v\n", path, err)
	}
}

// noHandler matches the Maelstrom Go library's error for a message type
// with no handler, as a node's log shows it.
var noHandler = regexp.MustCompile(`No handler for \{.*?"body":\{.*?"type":"([^"]+)"`)

// missingHandler returns the message type a node had no handler for, if
// its failure says so.
func missingHandler(failure string) string {
	if m := noHandler.FindStringSubmatch(failure); m != nil {
		return m[1]
	}
	return ""
}

func indentLines(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}

// hintsFor returns the chapter's hints about the anomaly kinds a failed
// run found.
func hintsFor(step book.Step, res *harness.Result) []string {
	hints, err := step.Hints()
	if err != nil {
		return nil
	}
	return matchingHints(hints, res)
}

// matchingHints picks the hints about the anomaly kinds of a failed run;
// none for a valid run.
func matchingHints(hints []book.Hint, res *harness.Result) []string {
	if res.Valid || len(res.Anomalies) == 0 {
		return nil
	}
	var kinds []string
	for _, a := range res.Anomalies {
		kinds = append(kinds, a.Kind)
	}
	var out []string
	for _, h := range hints {
		if h.About(kinds...) {
			out = append(out, h.Text)
		}
	}
	return out
}
