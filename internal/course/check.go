package course

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strconv"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/transcript"
)

// Check checks tgt against step: the step's protocol transcripts, then
// the page's runs (all, or opts.Run) with the learner's flags on top,
// then the decision to record the result, and the recording. A node
// that fails a transcript cannot pass, so the runs are then skipped
// unless opts.Full.
//
// The Report is never nil, even with an error, so that --json can say
// how far the check went; a failed node is a Report that did not pass,
// not an error. A cancelled ctx ends the check with ErrInterrupted.
func Check(ctx context.Context, step book.Step, tgt Target, opts Options) (*Report, error) {
	if opts.Observer == nil {
		opts.Observer = nobody{}
	}
	if opts.Runner == nil {
		opts.Runner = Harness{}
	}
	rep := &Report{Step: step.ID, Title: step.Title, Target: tgt.Name, Reference: tgt.Reference, Quick: opts.Quick}
	passed, err := checkTranscripts(ctx, step, tgt, rep, opts.Observer)
	if err != nil {
		return rep, err
	}
	skip := !passed && !opts.Full
	if !passed {
		opts.Observer.TranscriptsFailed(skip)
	}
	runsPassed, err := checkRuns(ctx, step, tgt, opts, rep, skip)
	if err != nil {
		return rep, err
	}
	rep.Passed = passed && runsPassed
	rep.Verdict = "failed"
	if rep.Passed {
		rep.Verdict = "passed"
	}
	rep.Partial = DropFlags(MaelstromArgs(opts.Overrides), sameTestFlags)
	if opts.Run != 0 {
		rep.Partial = append([]string{fmt.Sprintf("--run %d", opts.Run)}, rep.Partial...)
	}
	rep.PageTest = !opts.Quick && len(rep.Partial) == 0
	decideRecord(rep, step.ID, tgt, opts, opts.Observer)
	return rep, nil
}

// interrupted marks the report and returns ErrInterrupted.
func interrupted(rep *Report) error {
	rep.Verdict = "interrupted"
	return ErrInterrupted
}

// checkTranscripts replays the step's protocol transcripts against tgt
// and says whether all passed.
func checkTranscripts(ctx context.Context, step book.Step, tgt Target, rep *Report, obs Observer) (bool, error) {
	trs, err := step.Transcripts()
	if err != nil {
		return false, err
	}
	passed := true
	for _, tr := range trs {
		if tr.Kind != transcript.Protocol {
			continue
		}
		err := transcript.Run(ctx, tr, exec.Command(tgt.Path, tgt.Args...), transcript.Options{})
		if ctx.Err() != nil {
			return false, interrupted(rep)
		}
		var f *transcript.Failure
		switch {
		case err == nil:
			obs.Transcript(tr.Name, nil)
			rep.Transcripts = append(rep.Transcripts, TranscriptReport{Name: tr.Name, Passed: true})
		case errors.As(err, &f):
			obs.Transcript(tr.Name, err)
			rep.Transcripts = append(rep.Transcripts, TranscriptReport{Name: tr.Name, Failure: err.Error()})
			passed = false
		default:
			return false, fmt.Errorf("transcript %s: %v", tr.Name, err)
		}
	}
	return passed, nil
}

// checkRuns does the step's runs (or skips them, saying why, when skip)
// and says whether all passed.
func checkRuns(ctx context.Context, step book.Step, tgt Target, opts Options, rep *Report, skip bool) (bool, error) {
	passed := true
	ran := map[string]int{} // a run's key → its number
	for i, r := range step.Runs {
		if opts.Run != 0 && opts.Run != i+1 {
			continue
		}
		rr := RunReport{Run: i + 1, Args: r.Args}
		if skip {
			rr.Skipped = "a transcript failed"
			rep.Runs = append(rep.Runs, rr)
			continue
		}
		ho, err := runOptions(step, r, tgt, opts)
		if err != nil {
			return false, err
		}
		plan := RunPlan{Number: i + 1, Total: len(step.Runs), Args: r.Args, Overridden: MaelstromArgs(opts.Overrides),
			Quick: opts.Quick, TimeLimit: ho.TimeLimit, RecoveryWait: ho.RecoveryWait}
		// The learner's flags can make two of the page's runs one and the
		// same (3d's first run with --nemesis partition is its second).
		key := runKey(ho.Options)
		if j, dup := ran[key]; dup {
			plan.DuplicateOf = j
			opts.Observer.RunPlanned(plan)
			rr.Skipped = fmt.Sprintf("the same as run %d with these flags", j)
			rep.Runs = append(rep.Runs, rr)
			continue
		}
		ran[key] = i + 1
		plan.Note = r.Note
		r.Targets, plan.NotJudged = judgedTargets(r.Targets, ho.Options, opts.Quick)
		opts.Observer.RunPlanned(plan)
		out, err := opts.Runner.Run(ctx, RunSpec{Run: r, Config: ho, Overrides: plan.Overridden, Target: tgt}, opts.Observer)
		if err != nil {
			return false, err
		}
		out = judge(step, out)
		opts.Observer.RunDone(plan, out)
		rr.Results, rr.Passed = out.Result, out.Passed
		if out.Maelstrom != nil {
			rr.Maelstrom = out.Maelstrom.Valid
		}
		rep.Runs = append(rep.Runs, rr)
		if out.Result != nil && (out.Result.Interrupted || ctx.Err() != nil) {
			return false, interrupted(rep)
		}
		passed = passed && rr.Passed
	}
	return passed, nil
}

// judgedTargets returns the run's targets that are judged: the page
// measures them on a healthy network, where under partitions a correct
// node must wait for the heal and no limit the page sets applies, and a
// quick run is too short to measure them fairly.
func judgedTargets(targets []book.Target, o harness.Options, quick bool) ([]book.Target, NotJudged) {
	switch {
	case len(targets) > 0 && len(o.Nemesis) > 0:
		return nil, UnderPartitions
	case len(targets) > 0 && quick:
		return nil, InQuickRun
	}
	return targets, Judged
}

// judge fills a run's verdict and, for a failed run, the chapter's hints.
func judge(step book.Step, out RunOutcome) RunOutcome {
	switch res := out.Result; {
	case res != nil:
		out.Passed = !res.Interrupted && res.Valid && res.TargetsMet()
		out.Hints = hintsFor(step, res)
	case out.Maelstrom != nil:
		out.Passed = out.Maelstrom.Valid == "true" && out.Maelstrom.Met
	}
	return out
}

// runOptions are the harness's configuration of one of the step's runs:
// the page's flags, shortened for a quick run, with the learner's on top.
func runOptions(step book.Step, r book.Run, tgt Target, opts Options) (harness.Config, error) {
	o := harness.DefaultConfig()
	fs := o.FlagSet("check")
	if err := o.Parse(fs, r.Args); err != nil {
		return o, fmt.Errorf("step %s's flags: %v", step.ID, err)
	}
	if opts.Quick {
		o.TimeLimit = min(o.TimeLimit, QuickTimeLimit)
		o.RecoveryWait = min(o.RecoveryWait, QuickRecoveryWait)
		o.NemesisInterval = min(o.NemesisInterval, quickNemesisEvery)
	}
	if err := o.Parse(fs, opts.Overrides); err != nil {
		return o, err
	}
	if err := o.Finish(); err != nil {
		return o, err
	}
	o.Step = step.ID
	o.Bin, o.Args = tgt.Path, tgt.Args
	o.JSON = false
	o.Strict = true // the course judges by its own rules too
	return o, nil
}

// runKey identifies what a run tests, whatever seed it would draw: two
// runs with the same key test the same thing. It is the options' JSON
// form, whose fields are the test's parameters (the node, the workload
// and its rates, the network, the faults, the phases' lengths), without
// the seed and the targets; the node list's naming is the one parameter
// outside it. Where the results go is the Config's, not the Options'.
func runKey(o harness.Options) string {
	o.Seed = 0
	o.Targets = nil
	b, err := json.Marshal(o)
	if err != nil {
		return fmt.Sprintf("%+v", o) // not expected: every field marshals
	}
	return string(b) + " node-count set: " + strconv.FormatBool(o.NodeCountSet())
}

// hintsFor returns the chapter's hints about the anomaly kinds a failed
// run found.
func hintsFor(step book.Step, res *harness.Result) []string {
	hints, err := step.Hints()
	if err != nil {
		return nil
	}
	return MatchingHints(hints, res)
}

// MatchingHints picks the hints about the anomaly kinds of a failed run;
// none for a valid run.
func MatchingHints(hints []book.Hint, res *harness.Result) []string {
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
