package course

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/glomers/glomers/internal/progress"
)

// RecordDecision says whether a check's result goes into the learner's
// progress and, when it does not, why, in one line. Only a check of the
// learner's workspace for the step, or of a target given with --record,
// changes the step's result: checking a broken copy, a testdata node or
// the reference solution, as the chapters ask, never costs a pass.
func RecordDecision(stepID string, tgt Target, quick, record, hasWorkspace bool) (bool, string) {
	switch {
	case tgt.Reference:
		return false, "Not recorded: the reference solution is not your node."
	case quick:
		return false, "Not recorded: a --quick run is not the page's test."
	case tgt.Workspace || record:
		return true, ""
	case !hasWorkspace:
		return false, fmt.Sprintf("Not recorded: %s is not your workspace for step %s (tutor start %s makes one; --record to record it)", tgt.Name, stepID, stepID)
	}
	return false, fmt.Sprintf("Not recorded: %s is not your workspace for step %s (--record to record it)", tgt.Name, stepID)
}

// decideRecord fills the report's recording fields and records the
// result when it should: tutor list counts the learner's own nodes, and
// a pass only at the page's parameters (a --time-limit 2 run, or one run
// of two, shows the node works so far, not that the step is done). A
// failure is worth remembering whatever the flags (but --quick, which
// watch runs on every save of a half-written file).
func decideRecord(rep *Report, stepID string, tgt Target, opts Options, obs Observer) {
	record, why := RecordDecision(stepID, tgt, opts.Quick, opts.Record, opts.HasWorkspace)
	if record && rep.Passed && len(rep.Partial) > 0 {
		// The verdict line says so; the document says it here.
		rep.NotRecorded = "a pass with flags that change the test counts only at the page's parameters"
	}
	if record && (!rep.Passed || len(rep.Partial) == 0) && opts.ProgressPath != "" {
		// Kept absolute, so that tutor list can show it from anywhere.
		name := tgt.Name
		if abs, err := filepath.Abs(name); err == nil {
			name = abs
		}
		r := progress.Result{Passed: rep.Passed, At: time.Now(), Target: name, Flags: strings.Join(rep.Partial, " ")}
		if err := progress.Record(opts.ProgressPath, stepID, r); err != nil {
			obs.RecordFailed(opts.ProgressPath, err)
		} else {
			rep.Recorded = true
		}
	}
	if why != "" {
		rep.NotRecorded = strings.TrimPrefix(why, "Not recorded: ")
		rep.NotRecordedLine = why
	}
}
