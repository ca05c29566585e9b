package course

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/edn"
	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/proc"
	"github.com/glomers/glomers/internal/store"
)

// Runner does one of a step's workload runs. Two exist: Harness, tutor's
// own, and Maelstrom, the real one, so that a learner can check that
// both judge a node alike.
type Runner interface {
	// Run does spec's run, telling obs what it starts, and returns the
	// run's result (Result or Maelstrom); Check judges it.
	Run(ctx context.Context, spec RunSpec, obs Observer) (RunOutcome, error)
}

// RunSpec is one run to do.
type RunSpec struct {
	// Run is the page's run; its Targets are those to judge (none when
	// the run does not judge them).
	Run book.Run
	// Config is the run for tutor's harness: the page's flags with the
	// learner's on top.
	Config harness.Config
	// Overrides are the learner's flags in Maelstrom's names, which real
	// Maelstrom gets after the page's.
	Overrides []string
	// Target is the node.
	Target Target
}

// Harness runs the workload with tutor's own harness.
type Harness struct {
	// RunFunc does the run; nil is harness.Run. The CLI's wraps it to
	// show a live progress line.
	RunFunc func(context.Context, harness.Config) (*harness.Result, error)
}

// Run does spec's run with the harness, its targets judged.
func (h Harness) Run(ctx context.Context, spec RunSpec, _ Observer) (RunOutcome, error) {
	run := h.RunFunc
	if run == nil {
		run = harness.Run
	}
	o := spec.Config
	o.Targets = HarnessTargets(spec.Run.Targets)
	res, err := run(ctx, o)
	if err != nil {
		return RunOutcome{}, err
	}
	return RunOutcome{Result: res}, nil
}

// HarnessTargets are the book's targets as the harness judges them: the
// one place where the course's targets become the harness's, which knows
// nothing of the book.
func HarnessTargets(ts []book.Target) []harness.TargetSpec {
	var out []harness.TargetSpec
	for _, t := range ts {
		out = append(out, harness.TargetSpec{Name: t.Name, Metric: t.Metric, Limit: t.Limit})
	}
	return out
}

// Maelstrom runs the workload with real Maelstrom: the page's command
// with the learner's overrides, its own output streamed, its verdict
// read from its exit status and the targets from results.edn in
// store/latest (Maelstrom's store, under the current directory).
type Maelstrom struct {
	// Path is Maelstrom's maelstrom script (see FindMaelstrom).
	Path string
	// Stdout and Stderr get Maelstrom's own output.
	Stdout, Stderr io.Writer
}

// MaelstromVerdict is what a Maelstrom run concluded.
type MaelstromVerdict struct {
	// Valid is "true", "false" or "unknown": the exit status, unless
	// results.edn says otherwise.
	Valid string
	// Results is results.edn's path, "" if Maelstrom wrote none.
	Results string
	// Targets are the judged targets' figures; Met is false when one
	// missed its limit.
	Targets []Measured
	Met     bool
}

// Measured is one target's figure in a run.
type Measured struct {
	// Target is the page's target; Value the run's figure, which Met
	// says is below the limit.
	Target book.Target
	Value  float64
	Met    bool
}

// Run does spec's run with real Maelstrom.
func (m Maelstrom) Run(_ context.Context, spec RunSpec, obs Observer) (RunOutcome, error) {
	tmp, err := os.MkdirTemp("", "tutor-maelstrom-")
	if err != nil {
		return RunOutcome{}, err
	}
	defer os.RemoveAll(tmp)
	bin, err := maelstromBin(spec.Target, tmp)
	if err != nil {
		return RunOutcome{}, err
	}
	args := append([]string{"test"}, spec.Run.Args...)
	args = append(args, "--bin", bin)
	args = append(args, spec.Overrides...)
	obs.Command(m.Path + " " + strings.Join(args, " "))
	cmd := exec.Command(m.Path, args...)
	cmd.Stdout, cmd.Stderr = m.Stdout, m.Stderr
	v := &MaelstromVerdict{Met: true}
	if v.Valid, err = exitVerdict(cmd.Run()); err != nil {
		return RunOutcome{}, err
	}
	if err := readResults(v, spec.Run.Targets, obs); err != nil {
		return RunOutcome{}, err
	}
	return RunOutcome{Maelstrom: v}, nil
}

// exitVerdict reads Maelstrom's verdict from its exit status.
func exitVerdict(err error) (string, error) {
	var exit *exec.ExitError
	switch {
	case err == nil:
		return "true", nil
	case errors.As(err, &exit):
		switch code := exit.ExitCode(); code {
		case 1:
			return "false", nil
		case 2:
			return "unknown", nil
		default:
			return "", fmt.Errorf("maelstrom exited with status %d (254: bad arguments, 255: an internal error; its output is above)", code)
		}
	}
	return "", fmt.Errorf("run maelstrom: %v", err)
}

// readResults checks the verdict against results.edn and measures the
// targets there.
func readResults(v *MaelstromVerdict, targets []book.Target, obs Observer) error {
	results := filepath.Join(store.DefaultRoot, store.Latest, store.MaelstromResults)
	data, err := os.ReadFile(results)
	if err != nil {
		if len(targets) > 0 {
			return fmt.Errorf("maelstrom wrote no %s, so the step's targets cannot be measured", results)
		}
		return nil
	}
	v.Results = results
	parsed, err := edn.Parse(string(data))
	if err != nil {
		return fmt.Errorf("%s: %v", results, err)
	}
	if top, ok := edn.Get(parsed, edn.Keyword(":valid?")); ok {
		// Some Jepsen versions exit 0 when the analysis itself crashed,
		// so a valid exit status counts only if results.edn agrees.
		if s := strings.TrimPrefix(fmt.Sprint(top), ":"); s != v.Valid {
			obs.Warning(fmt.Sprintf("maelstrom's exit status says valid? %s, but results.edn says %s; taking results.edn", v.Valid, s))
			v.Valid = s
		}
	}
	for _, t := range targets {
		path, ok := ednMetric[t.Metric]
		if !ok {
			return fmt.Errorf("no results.edn path known for target %s", t.Metric)
		}
		raw, found := edn.Get(parsed, path...)
		x, isNum := edn.Number(raw)
		if !found || !isNum {
			return fmt.Errorf("%s has no %v for target %q", results, path, t.Name)
		}
		m := Measured{Target: t, Value: x, Met: x < t.Limit}
		v.Met = v.Met && m.Met
		v.Targets = append(v.Targets, m)
	}
	return nil
}

// ednMetric maps the book's target metrics (results.json paths) to where
// Maelstrom's results.edn keeps the same figure.
var ednMetric = map[string][]any{
	book.MetricServerMsgsPerOp:     {edn.Keyword(":net"), edn.Keyword(":servers"), edn.Keyword(":msgs-per-op")},
	book.MetricStableLatencyMedian: {edn.Keyword(":workload"), edn.Keyword(":stable-latencies"), 0.5},
	book.MetricStableLatencyMax:    {edn.Keyword(":workload"), edn.Keyword(":stable-latencies"), 1},
}

// maelstromBin returns a path Maelstrom's --bin can run: the target itself,
// or, when the target needs arguments (the reference solution is "tutor
// node STEP"), a small script in dir that runs it with them.
func maelstromBin(tgt Target, dir string) (string, error) {
	if len(tgt.Args) == 0 {
		return filepath.Abs(tgt.Path)
	}
	quoted := []string{ShellQuote(tgt.Path)}
	for _, a := range tgt.Args {
		quoted = append(quoted, ShellQuote(a))
	}
	p := filepath.Join(dir, "node")
	script := "#!/bin/sh\nexec " + strings.Join(quoted, " ") + "\n"
	return p, os.WriteFile(p, []byte(script), 0o755)
}

// ShellQuote quotes s for a POSIX shell script, as the scripts that run
// a node with its arguments need it.
// ShellQuote quotes s for a POSIX shell script, as the scripts that run
// a node with its arguments need it.
func ShellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// FindMaelstrom makes sure path is something to run before a check
// starts, so that a typo costs no transcripts, and returns it as
// Maelstrom.Path: a bare name is looked up on PATH.
func FindMaelstrom(path string) (string, error) {
	if !strings.ContainsRune(path, filepath.Separator) {
		if p, err := exec.LookPath(path); err == nil {
			return p, nil
		}
	}
	e, err := proc.NewExec(path)
	if err != nil {
		return "", fmt.Errorf("--maelstrom: %v", err)
	}
	return e.Path, nil
}
