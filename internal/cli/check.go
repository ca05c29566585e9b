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

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/proc"
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
give partitions shows its figures but does not judge them. A node that
fails a transcript cannot pass, so the workload is then skipped.

TARGET is the node to check: an executable (in any language), or a
directory holding a Go main package, which tutor builds first. Without
TARGET, tutor checks your workspace for the step if "tutor start" made
one, and otherwise the step's reference solution, run as "tutor node
STEP".

Flags after STEP override the run's flags, with Maelstrom's names (see
"tutor help test"): for example --nemesis partition. Also:
  --quick       a short run for a quick look: 3 s of operations and 2 s
                of recovery; not the page's test, and never recorded
  --full        run the workload even when a transcript fails, for its
                report
  --run N       only the step's Nth run (3d's second run adds partitions)
  --reference   check the reference solution, even when "tutor start"
                made you a workspace for the step (which is otherwise
                what is checked when there is no TARGET)
  --record      record the result of a TARGET that is not your workspace
  --json        one JSON document on stdout (below)
  --maelstrom PATH
                run each workload with real Maelstrom (PATH is its
                maelstrom script) instead of tutor's harness: the page's
                command with your overrides, Maelstrom's own output, then
                its verdict and figures read back from store/latest

Only a check of your workspace for the step (or of a TARGET given with
--record) changes the step's result in "tutor list"; checking another
node, such as a broken copy or the reference, says it is not recorded.
A pass counts at the page's parameters; a failure counts whatever the
flags (but --quick).
Each run is stored under store/ with its report; the newest 20 runs of
each workload are kept (--keep N; 0 keeps all; tutor clean removes them).

` + checkJSONHelp + `

Exit status: 0 passed, 1 the node is wrong (or missed a target), 2 usage
or harness error.`,
		Run: func(env *Env, args []string) error {
			ctx, stop := signalContext(context.Background())
			defer stop()
			return runCheck(ctx, env, args)
		},
	}
}

// parseCheckArgs splits check's arguments into the positional STEP and
// TARGET and the flag tokens, parsing check's own flags into cf and
// Maelstrom's into overrides.
func parseCheckArgs(args []string, cf *checkFlags, overrides *harness.Options) (positional, flagTokens []string, err error) {
	fs := overrides.FlagSet("check")
	cf.declare(fs)
	// Flags and the positional STEP and TARGET may be interleaved; keep
	// the flag tokens to parse them again on top of each run's flags.
	for {
		if err := fs.Parse(args); err != nil {
			return nil, nil, fmt.Errorf("check: %s", harness.FlagError(err))
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
	return positional, flagTokens, nil
}

func runCheck(ctx context.Context, env *Env, args []string) (err error) {
	overrides := harness.Defaults()
	var cf checkFlags
	positional, flagTokens, err := parseCheckArgs(args, &cf, &overrides)
	if err != nil {
		return err
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
	if cf.run < 0 || cf.run > len(step.Runs) {
		return fmt.Errorf("check: --run %d: step %s has %d run(s)", cf.run, step.ID, len(step.Runs))
	}
	if cf.record && cf.quick {
		return fmt.Errorf("check: --record with --quick: a quick run is never recorded; drop one of them")
	}
	if cf.record && (cf.reference || len(positional) == 1) {
		if _, wsErr := workspaceTarget(env, step); cf.reference || wsErr != nil {
			return fmt.Errorf("check: --record records your own node: give it as TARGET (the reference solution is never recorded)")
		}
	}

	if cf.quick && cf.maelstrom != "" {
		return fmt.Errorf("check: --quick shortens tutor's own harness; with --maelstrom, give --time-limit instead")
	}
	if cf.maelstrom != "" {
		p, err := checkMaelstromPath(cf.maelstrom)
		if err != nil {
			return fmt.Errorf("check: %v", err)
		}
		cf.maelstrom = p
	}

	// With --json, stdout gets one document at the end; everything a
	// person reads goes to stderr.
	jsonOut := overrides.JSON
	rep := &checkReport{Step: step.ID, Title: step.Title, Quick: cf.quick}
	if jsonOut {
		stdout := env.Stdout
		human := *env
		human.Stdout = env.Stderr
		env = &human
		defer func() {
			var exit *ExitError
			if err != nil && !errors.As(err, &exit) {
				// The check could not be done (a build that failed, a
				// harness error): still one document, which says so.
				rep.Verdict, rep.Error = "error", err.Error()
			} else if exit != nil && exit.Err != nil && rep.Verdict == "" {
				rep.Verdict, rep.Error = "error", exit.Err.Error()
			}
			if werr := writeCheckJSON(stdout, rep); werr != nil && err == nil {
				err = werr
			}
		}()
	}

	interrupted := func() error {
		rep.Verdict = "interrupted"
		return &ExitError{Code: 2, Err: errors.New("check: interrupted")}
	}
	var tgt *target
	ws, wsErr := workspaceTarget(env, step)
	switch {
	case len(positional) == 2:
		tgt, err = resolveTarget(ctx, positional[1], env)
		if err == nil && isWorkspace(positional[1], ws) {
			tgt.workspace = true
		}
	case !cf.reference && wsErr == nil:
		fmt.Fprintf(env.Stdout, "Checking your workspace %s (from tutor start %s; --reference checks the reference solution).\n", ws, step.ID)
		tgt, err = resolveTarget(ctx, ws, env)
		if err == nil {
			tgt.workspace = true
		}
	case !cf.reference && !errors.Is(wsErr, errNoWorkspace):
		err = wsErr
	default:
		tgt, err = referenceTarget(step)
	}
	if err != nil {
		if ctx.Err() != nil {
			return interrupted()
		}
		return fmt.Errorf("check: %v", err)
	}
	defer tgt.cleanup()
	rep.Target, rep.Reference = tgt.name, tgt.reference
	fmt.Fprintf(env.Stdout, "Checking step %s (%s) against %s\n", step.ID, step.Title, tgt.name)
	if cf.quick {
		fmt.Fprintf(env.Stdout, "Quick run (--quick): %gs of operations, %gs of recovery. It is not the page's test, and it is not recorded.\n", quickTimeLimit.Seconds(), quickRecoveryWait.Seconds())
	}

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
		if ctx.Err() != nil {
			return interrupted()
		}
		var f *transcript.Failure
		switch {
		case err == nil:
			fmt.Fprintf(env.Stdout, "  ✓ transcript %s\n", tr.Name)
			rep.Transcripts = append(rep.Transcripts, transcriptReport{Name: tr.Name, Passed: true})
		case errors.As(err, &f):
			fmt.Fprintf(env.Stdout, "  ✗ transcript %s\n%s\n", tr.Name, indentLines(err.Error(), "    "))
			if typ := missingHandler(err.Error()); typ != "" {
				fmt.Fprintf(env.Stdout, "\n  Your node has no handler for %q messages (the Maelstrom library stops on one):\n  register one with n.Handle(%q, ...), or read the chapter: tutor read %s\n", typ, typ, step.ID)
			}
			rep.Transcripts = append(rep.Transcripts, transcriptReport{Name: tr.Name, Failure: err.Error()})
			passed = false
		default:
			return fmt.Errorf("check: transcript %s: %v", tr.Name, err)
		}
	}
	skipWorkload := !passed && !cf.full
	switch {
	case skipWorkload:
		fmt.Fprintln(env.Stdout, "\nThe node does not answer the step's fixed exchanges (above), so the step cannot pass.")
		fmt.Fprintln(env.Stdout, "The workload is skipped; --full runs it all the same, for its report.")
	case !passed:
		// --full: its report (the summary, the message diagram, the
		// node's log lines) often shows the mistake more plainly than
		// one exchange does.
		fmt.Fprintln(env.Stdout, "\nThe node does not answer the step's fixed exchanges (above); the step cannot pass until it does.")
		fmt.Fprintln(env.Stdout, "Running the workload all the same (--full), for the full picture.")
	}

	// 2. The step's Maelstrom runs.
	ran := map[string]int{} // a run's effective options → its number
	for i, r := range step.Runs {
		if cf.run != 0 && cf.run != i+1 {
			continue
		}
		rr := runReport{Run: i + 1, Args: r.Args}
		if skipWorkload {
			rr.Skipped = "a transcript failed"
			rep.Runs = append(rep.Runs, rr)
			continue
		}
		opts := harness.Defaults()
		rfs := opts.FlagSet("check")
		new(checkFlags).declare(rfs)
		if err := opts.Parse(rfs, r.Args); err != nil {
			return fmt.Errorf("check: step %s's flags: %v", step.ID, err)
		}
		if cf.quick {
			applyQuick(&opts)
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
		opts.JSON = false
		opts.Strict = true // the course judges by its own rules too (strict.go)
		fmt.Fprintf(env.Stdout, "\nRun %d of %d: tutor test %s", i+1, len(step.Runs), strings.Join(r.Args, " "))
		if len(overrideArgs) > 0 {
			fmt.Fprintf(env.Stdout, " (overridden: %s)", strings.Join(overrideArgs, " "))
		}
		if cf.quick {
			fmt.Fprintf(env.Stdout, " (quick: %gs, recovery %gs)", opts.TimeLimit.Seconds(), opts.RecoveryWait.Seconds())
		}
		fmt.Fprintln(env.Stdout)
		// The learner's flags can make two of the page's runs one and the
		// same (3d's first run with --nemesis partition is its second).
		key := sameRunKey(opts)
		if j, dup := ran[key]; dup {
			fmt.Fprintf(env.Stdout, "  (with your flags this is run %d again; not run twice)\n", j)
			rr.Skipped = fmt.Sprintf("the same as run %d with these flags", j)
			rep.Runs = append(rep.Runs, rr)
			continue
		}
		ran[key] = i + 1
		if r.Note != "" {
			fmt.Fprintf(env.Stdout, "  (%s)\n", r.Note)
		}
		// The page measures its efficiency targets on a healthy network;
		// under partitions a correct node must wait for the heal, and no
		// limit the page sets applies. A quick run is too short to
		// measure them fairly.
		switch {
		case len(r.Targets) > 0 && len(opts.Nemesis) > 0:
			fmt.Fprintln(env.Stdout, "  (targets not judged: the page measures them without partitions; drop --nemesis to judge them)")
			r.Targets = nil
		case len(r.Targets) > 0 && cf.quick:
			fmt.Fprintln(env.Stdout, "  (targets not judged in a --quick run; the figures are shown all the same)")
			r.Targets = nil
		}
		for _, t := range r.Targets {
			opts.Targets = append(opts.Targets, harness.TargetSpec{Name: t.Name, Metric: t.Metric, Limit: t.Limit})
		}
		fmt.Fprintln(env.Stdout)
		if cf.maelstrom != "" {
			v, err := runMaelstrom(env, cf.maelstrom, r, flagTokens, tgt)
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
			rr.Maelstrom = v.valid
			rr.Passed = v.valid == "true" && v.met
			if !rr.Passed {
				passed = false
			}
			rep.Runs = append(rep.Runs, rr)
			continue
		}
		res, err := runHarnessContext(ctx, opts, env)
		if err != nil {
			return fmt.Errorf("check: %v", err)
		}
		printResult(env, res, false, hintsFor(step, res))
		printStrict(env, res, false)
		rr.Results = res
		rr.Passed = exitCode(res) == 0
		rep.Runs = append(rep.Runs, rr)
		if res.Interrupted || ctx.Err() != nil {
			return interrupted()
		}
		if !rr.Passed {
			passed = false
		}
	}
	// tutor list counts the learner's own nodes, and a pass only at the
	// page's parameters: a --time-limit 2 run, or one run of two, shows
	// the node works so far, not that the step is done. A failure is
	// worth remembering whatever the flags (but --quick, which watch
	// runs on every save of a half-written file).
	partial := dropFlags(maelstromArgs(flagTokens), sameTestFlags)
	if cf.run != 0 {
		partial = append([]string{fmt.Sprintf("--run %d", cf.run)}, partial...)
	}
	rep.Passed = passed
	rep.Verdict = "failed"
	if passed {
		rep.Verdict = "passed"
	}
	rep.PageTest = !cf.quick && len(partial) == 0
	record, why := recordDecision(step.ID, tgt, cf, wsErr == nil)
	if record && passed && len(partial) > 0 {
		// Said by the verdict line below; the document says it here.
		rep.NotRecorded = "a pass with flags that change the test counts only at the page's parameters"
	}
	if record && (!passed || len(partial) == 0) {
		// Kept absolute, so that tutor list can show it from anywhere.
		name := tgt.name
		if abs, err := filepath.Abs(name); err == nil {
			name = abs
		}
		rep.Recorded = recordProgress(env, step.ID, passed, name, partial)
	}
	if why != "" {
		rep.NotRecorded = strings.TrimPrefix(why, "Not recorded: ")
	}
	if why != "" && !tgt.reference {
		fmt.Fprintf(env.Stdout, "\n%s\n", why)
	}
	switch {
	case !passed:
		fmt.Fprintf(env.Stdout, "\nStep %s: not passed yet. The chapter may help: tutor read %s\n", step.ID, step.ID)
		return &ExitError{Code: 1}
	case cf.quick:
		fmt.Fprintf(env.Stdout, "\nStep %s passes the quick run. The page's test: tutor check %s without --quick.\n", step.ID, step.ID)
	case tgt.reference:
		fmt.Fprintf(env.Stdout, "\nStep %s passed, by the reference solution; tutor list counts your own nodes.\n", step.ID)
	case len(partial) > 0:
		fmt.Fprintf(env.Stdout, "\nStep %s passed with your flags (%s); tutor list counts a pass at the page's parameters: tutor check %s without them.\n", step.ID, strings.Join(partial, " "), step.ID)
	case rep.Recorded:
		fmt.Fprintf(env.Stdout, "\nStep %s passed.\nIts walkthrough and experiments are open now: tutor read %s\n", step.ID, step.ID)
	default:
		fmt.Fprintf(env.Stdout, "\nStep %s passed.\n", step.ID)
	}
	return nil
}

// sameTestFlags change where a run's results go, how they print, or which
// random choices it makes, but not what it tests; the value says whether
// the flag takes a value.
var sameTestFlags = map[string]bool{"json": false, "log-stderr": false, "store": true, "seed": true, "keep": true}

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
	workspace bool // the learner's workspace for the step
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
		if filepath.Ext(arg) == ".go" {
			// A Go source file is not something to run: its package's
			// directory is what tutor builds.
			return nil, fmt.Errorf("target %s is a Go source file: give its package's directory instead (%s), which tutor builds", arg, filepath.Dir(arg))
		}
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
