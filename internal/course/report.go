package course

import "github.com/glomers/glomers/internal/harness"

// Report is a check's outcome as tutor check --json prints it: one JSON
// document, for scripts and courses. Field names are stable: add, never
// rename. "tutor help check" documents them.
type Report struct {
	// Step and Title are the step checked; Target names the node.
	Step   string `json:"step"`
	Title  string `json:"title"`
	Target string `json:"target"`
	// Reference is true when the target is tutor's own solution.
	Reference bool `json:"reference"`
	// Quick is true for a --quick run; PageTest is true when the runs
	// had the page's parameters (no --quick, no flag that changes the
	// test, every run).
	Quick    bool `json:"quick"`
	PageTest bool `json:"page_test"`
	// Transcripts are the step's fixed exchanges, in order.
	Transcripts []TranscriptReport `json:"transcripts"`
	// Runs are the step's workload runs, in order; a run not done says
	// why in Skipped.
	Runs []RunReport `json:"runs"`
	// Verdict is "passed", "failed", "interrupted", or "error" when the
	// check could not be done (Error says why: a build that failed, a
	// missing workspace); Passed is true only for "passed".
	Verdict string `json:"verdict"`
	Passed  bool   `json:"passed"`
	Error   string `json:"error,omitempty"`
	// Recorded is true when the result went into tutor list's progress;
	// NotRecorded says why not.
	Recorded    bool   `json:"recorded"`
	NotRecorded string `json:"not_recorded,omitempty"`

	// Partial are the learner's flags that changed the test ("--run 2",
	// "--time-limit 5"): a pass counts only without them.
	Partial []string `json:"-"`
	// NotRecordedLine is the one line that says why a result is not
	// recorded ("Not recorded: ..."), "" when it is or could be.
	NotRecordedLine string `json:"-"`
}

// TranscriptReport is one transcript's outcome.
type TranscriptReport struct {
	// Name is the transcript's; Failure, for one that did not pass, is
	// the exchange that went wrong.
	Name    string `json:"name"`
	Passed  bool   `json:"passed"`
	Failure string `json:"failure,omitempty"`
}

// RunReport is one workload run's outcome. Results is the run's
// results.json, as tutor test --json prints it.
type RunReport struct {
	// Run is the run's number among the step's, from 1; Args the page's
	// arguments for it.
	Run     int      `json:"run"`
	Args    []string `json:"args"`
	Skipped string   `json:"skipped,omitempty"`
	Passed  bool     `json:"passed"`
	// Maelstrom is real Maelstrom's verdict ("true", "false",
	// "unknown") with --maelstrom; Results is then absent.
	Maelstrom string          `json:"maelstrom_valid,omitempty"`
	Results   *harness.Result `json:"results,omitempty"`
}
