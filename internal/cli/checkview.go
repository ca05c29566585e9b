package cli

import (
	"fmt"
	"strings"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/course"
	"github.com/glomers/glomers/internal/report"
)

// checkView shows a check as course.Check does it: the transcripts, each
// run's header, its summary or Maelstrom's verdict.
type checkView struct {
	env  *Env
	step book.Step
}

var _ course.Observer = (*checkView)(nil)

// Transcript prints a transcript's mark and, for a failure, the exchange
// that went wrong and the missing handler, if that is the cause.
func (v *checkView) Transcript(name string, failure error) {
	out := v.env.Stdout
	if failure == nil {
		fmt.Fprintf(out, "  ✓ transcript %s\n", name)
		return
	}
	fmt.Fprintf(out, "  ✗ transcript %s\n%s\n", name, indentLines(failure.Error(), "    "))
	if typ := missingHandler(failure.Error()); typ != "" {
		fmt.Fprintf(out, "\n  Your node has no handler for %q messages (the Maelstrom library stops on one):\n  register one with n.Handle(%q, ...), or read the chapter: tutor read %s\n", typ, typ, v.step.ID)
	}
}

// TranscriptsFailed says what a failed transcript means for the runs.
func (v *checkView) TranscriptsFailed(skipWorkload bool) {
	out := v.env.Stdout
	if skipWorkload {
		fmt.Fprintln(out, "\nThe node does not answer the step's fixed exchanges (above), so the step cannot pass.")
		fmt.Fprintln(out, "The workload is skipped; --full runs it all the same, for its report.")
		return
	}
	// --full: its report (the summary, the message diagram, the node's
	// log lines) often shows the mistake more plainly than one exchange
	// does.
	fmt.Fprintln(out, "\nThe node does not answer the step's fixed exchanges (above); the step cannot pass until it does.")
	fmt.Fprintln(out, "Running the workload all the same (--full), for the full picture.")
}

// RunPlanned prints a run's header: the page's command, the learner's
// overrides, and why the run is not done or its targets not judged.
func (v *checkView) RunPlanned(p course.RunPlan) {
	out := v.env.Stdout
	fmt.Fprintf(out, "\nRun %d of %d: tutor test %s", p.Number, p.Total, strings.Join(p.Args, " "))
	if len(p.Overridden) > 0 {
		fmt.Fprintf(out, " (overridden: %s)", strings.Join(p.Overridden, " "))
	}
	if p.Quick {
		fmt.Fprintf(out, " (quick: %gs, recovery %gs)", p.TimeLimit.Seconds(), p.RecoveryWait.Seconds())
	}
	fmt.Fprintln(out)
	if p.DuplicateOf != 0 {
		fmt.Fprintf(out, "  (with your flags this is run %d again; not run twice)\n", p.DuplicateOf)
		return
	}
	if p.Note != "" {
		fmt.Fprintf(out, "  (%s)\n", p.Note)
	}
	switch p.NotJudged {
	case course.UnderPartitions:
		fmt.Fprintln(out, "  (targets not judged: the page measures them without partitions; drop --nemesis to judge them)")
	case course.InQuickRun:
		fmt.Fprintln(out, "  (targets not judged in a --quick run; the figures are shown all the same)")
	}
	fmt.Fprintln(out)
}

// Command shows real Maelstrom's command line before it runs.
func (v *checkView) Command(line string) { fmt.Fprintf(v.env.Stdout, "$ %s\n", line) }

// Warning prints a note on stderr.
func (v *checkView) Warning(msg string) { fmt.Fprintf(v.env.Stderr, "tutor: note: %s\n", msg) }

// RunDone prints the run's summary (and writes its report), or real
// Maelstrom's verdict and figures.
func (v *checkView) RunDone(_ course.RunPlan, o course.RunOutcome) {
	if o.Result != nil {
		printResult(v.env, o.Result, false, o.Hints)
		printStrict(v.env, o.Result, false)
		return
	}
	m, out := o.Maelstrom, v.env.Stdout
	fmt.Fprintf(out, "\nMaelstrom's verdict: valid? %s", m.Valid)
	if m.Results != "" {
		fmt.Fprintf(out, " (%s)", m.Results)
	}
	fmt.Fprintln(out)
	if len(m.Targets) == 0 {
		return
	}
	fmt.Fprintln(out, "Targets")
	for _, t := range m.Targets {
		fmt.Fprintln(out, report.TargetLine(t.Target.Name, t.Value, true, t.Met, t.Target.Show(t.Target.Limit)))
	}
}

// RecordFailed says on stderr that the result could not be recorded.
func (v *checkView) RecordFailed(path string, err error) {
	fmt.Fprintf(v.env.Stderr, "tutor: could not record progress in %s: %v\n", path, err)
}

// Building says a Go package is being built, which takes a moment.
func (v *checkView) Building(dir string) { fmt.Fprintf(v.env.Stdout, "Building %s ...\n", dir) }

// WorkspaceChosen says which workspace is checked, and how to check the
// reference instead.
func (v *checkView) WorkspaceChosen(dir string) {
	fmt.Fprintf(v.env.Stdout, "Checking your workspace %s (from tutor start %s; --reference checks the reference solution).\n", dir, v.step.ID)
}
