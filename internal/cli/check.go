package cli

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/course"
	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/progress"
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
			ctx, stop := signalContext(context.Background(), env)
			defer stop()
			return checkAndShow(ctx, env, args)
		},
	}
}

// checkRequest is a tutor check command line, parsed and checked.
type checkRequest struct {
	step   book.Step
	target string // TARGET as given; "" for none
	flags  checkFlags
	// overrides are the learner's flags for the runs (Maelstrom's
	// names, and --json, --keep, --strict), check's own left out.
	overrides []string
	json      bool // one JSON document on stdout
}

// parseCheckArgs splits check's arguments into the positional STEP and
// TARGET and the flag tokens, parsing check's own flags into cf and
// Maelstrom's into overrides.
func parseCheckArgs(args []string, cf *checkFlags, overrides *harness.Config) (positional, flagTokens []string, err error) {
	fs := overrides.FlagSet("check")
	cf.declare(fs)
	positional, flagTokens, err = parseInterleaved(fs, args)
	if err != nil {
		return nil, nil, fmt.Errorf("check: %s", harness.FlagError(err))
	}
	return positional, flagTokens, nil
}

// parseCheck parses check's command line and refuses flags that do not
// go together, before anything runs.
func parseCheck(env *Env, args []string) (*checkRequest, error) {
	overrides := harness.DefaultConfig()
	req := &checkRequest{}
	positional, flagTokens, err := parseCheckArgs(args, &req.flags, &overrides)
	if err != nil {
		return nil, err
	}
	if len(positional) == 0 {
		return nil, fmt.Errorf("check: missing STEP; valid steps: %s", strings.Join(book.IDs(), ", "))
	}
	if len(positional) > 2 {
		return nil, fmt.Errorf("check: unexpected argument %q after the target", positional[2])
	}
	if req.step, err = book.Lookup(positional[0]); err != nil {
		return nil, err
	}
	if len(positional) == 2 {
		req.target = positional[1]
	}
	req.overrides = course.DropFlags(flagTokens, checkOwnFlags)
	req.json = overrides.JSON
	return req, validateCheck(env, req)
}

// validateCheck refuses check's flags that do not go together, and
// finds --maelstrom's script.
func validateCheck(env *Env, req *checkRequest) error {
	cf, step := &req.flags, req.step
	if cf.run < 0 || cf.run > len(step.Runs) {
		return fmt.Errorf("check: --run %d: step %s has %d run(s)", cf.run, step.ID, len(step.Runs))
	}
	if cf.record && cf.quick {
		return fmt.Errorf("check: --record with --quick: a quick run is never recorded; drop one of them")
	}
	if cf.record && (cf.reference || req.target == "") {
		if _, wsErr := course.Workspace(env.Getenv, step); cf.reference || wsErr != nil {
			return fmt.Errorf("check: --record records your own node: give it as TARGET (the reference solution is never recorded)")
		}
	}
	if cf.quick && cf.maelstrom != "" {
		return fmt.Errorf("check: --quick shortens tutor's own harness; with --maelstrom, give --time-limit instead")
	}
	if cf.maelstrom != "" {
		p, err := course.FindMaelstrom(cf.maelstrom)
		if err != nil {
			return fmt.Errorf("check: %v", err)
		}
		cf.maelstrom = p
	}
	return nil
}

// checkAndShow is tutor check: it parses, lets course.Check do the
// check, and shows what it does, as text or (--json) one document.
func checkAndShow(ctx context.Context, env *Env, args []string) (err error) {
	req, err := parseCheck(env, args)
	if err != nil {
		return err
	}
	rep := &course.Report{Step: req.step.ID, Title: req.step.Title, Quick: req.flags.quick}
	if req.json {
		// stdout gets one document at the end; everything a person reads
		// goes to stderr.
		stdout := env.Stdout
		human := *env
		human.Stdout = env.Stderr
		env = &human
		defer func() { err = finishCheckJSON(stdout, rep, err) }()
	}
	treq := course.TargetRequest{Arg: req.target, Reference: req.flags.reference, NodeCommand: NodeCommand}
	tgt, cleanup, hasWorkspace, err := course.ChooseTarget(ctx, env.Getenv, req.step, treq, &checkView{env: env, step: req.step})
	if err != nil {
		if ctx.Err() != nil {
			rep.Verdict = "interrupted"
			return errCheckInterrupted()
		}
		return fmt.Errorf("check: %v", err)
	}
	defer cleanup()
	rep.Target, rep.Reference = tgt.Name, tgt.Reference
	fmt.Fprintf(env.Stdout, "Checking step %s (%s) against %s\n", req.step.ID, req.step.Title, tgt.Name)
	if req.flags.quick {
		fmt.Fprintf(env.Stdout, "Quick run (--quick): %gs of operations, %gs of recovery. It is not the page's test, and it is not recorded.\n", course.QuickTimeLimit.Seconds(), course.QuickRecoveryWait.Seconds())
	}
	rep, err = course.Check(ctx, req.step, tgt, checkOptions(env, req, hasWorkspace))
	switch {
	case errors.Is(err, course.ErrInterrupted):
		return errCheckInterrupted()
	case err != nil:
		return fmt.Errorf("check: %v", err)
	}
	return showCheckVerdict(env, req.step, tgt, rep)
}

func errCheckInterrupted() error {
	return &ExitError{Code: 2, Err: errors.New("check: interrupted")}
}

// checkOptions are course.Check's options for req: its flags, the
// runner (tutor's harness with a live progress line, or real
// Maelstrom), what the check shows on env, and the progress file.
func checkOptions(env *Env, req *checkRequest, hasWorkspace bool) course.Options {
	cf := req.flags
	var runner course.Runner = course.Harness{RunFunc: func(ctx context.Context, o harness.Config) (*harness.Result, error) {
		return runHarnessContext(ctx, o, env)
	}}
	if cf.maelstrom != "" {
		runner = course.Maelstrom{Path: cf.maelstrom, Stdout: env.Stdout, Stderr: env.Stderr}
	}
	progressPath, err := progress.Path(env.Getenv)
	if err != nil {
		progressPath = "" // nowhere to record: the result is not recorded
	}
	return course.Options{
		Run: cf.run, Quick: cf.quick, Full: cf.full, Record: cf.record,
		Overrides:    req.overrides,
		HasWorkspace: hasWorkspace,
		ProgressPath: progressPath,
		Runner:       runner,
		Observer:     &checkView{env: env, step: req.step},
	}
}

// showCheckVerdict prints the check's last lines: whether it was
// recorded, and the step's verdict with what to do next.
func showCheckVerdict(env *Env, step book.Step, tgt course.Target, rep *course.Report) error {
	if rep.NotRecordedLine != "" && !tgt.Reference {
		fmt.Fprintf(env.Stdout, "\n%s\n", rep.NotRecordedLine)
	}
	switch {
	case !rep.Passed:
		// A missed target or a transcript shows no hints of its own:
		// say where they are.
		more := ""
		if hints, err := step.Hints(); err == nil && len(hints) > 0 {
			more = fmt.Sprintf(", or one hint at a time: tutor hint %s", step.ID)
		}
		fmt.Fprintf(env.Stdout, "\nStep %s: not passed yet. The chapter may help: tutor read %s%s\n", step.ID, step.ID, more)
		return &ExitError{Code: 1}
	case rep.Quick:
		fmt.Fprintf(env.Stdout, "\nStep %s passes the quick run. The page's test: tutor check %s without --quick.\n", step.ID, step.ID)
	case tgt.Reference:
		fmt.Fprintf(env.Stdout, "\nStep %s passed, by the reference solution; tutor list counts your own nodes.\n", step.ID)
	case len(rep.Partial) > 0:
		fmt.Fprintf(env.Stdout, "\nStep %s passed with your flags (%s); tutor list counts a pass at the page's parameters: tutor check %s without them.\n", step.ID, strings.Join(rep.Partial, " "), step.ID)
	case rep.Recorded:
		fmt.Fprintf(env.Stdout, "\nStep %s passed.\nIts walkthrough and experiments are open now: tutor read %s\n", step.ID, step.ID)
	default:
		fmt.Fprintf(env.Stdout, "\nStep %s passed.\n", step.ID)
	}
	return nil
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
