package cli

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/glomers/glomers/internal/harness"
)

// checkReport is what tutor check --json prints: one JSON document on
// stdout, for scripts and courses. Field names are stable: add, never
// rename. "tutor help check" documents them.
type checkReport struct {
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
	Transcripts []transcriptReport `json:"transcripts"`
	// Runs are the step's workload runs, in order; a run not done says
	// why in Skipped.
	Runs []runReport `json:"runs"`
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
}

// transcriptReport is one transcript's outcome.
type transcriptReport struct {
	Name    string `json:"name"`
	Passed  bool   `json:"passed"`
	Failure string `json:"failure,omitempty"`
}

// runReport is one workload run's outcome. Results is the run's
// results.json, as tutor test --json prints it.
type runReport struct {
	Run     int      `json:"run"`
	Args    []string `json:"args"`
	Skipped string   `json:"skipped,omitempty"`
	Passed  bool     `json:"passed"`
	// Maelstrom is real Maelstrom's verdict ("true", "false",
	// "unknown") with --maelstrom; Results is then absent.
	Maelstrom string          `json:"maelstrom_valid,omitempty"`
	Results   *harness.Result `json:"results,omitempty"`
}

// checkJSONHelp documents --json's fields for tutor help check.
const checkJSONHelp = `With --json, check prints one JSON document on stdout and everything
else on stderr, so that "tutor check 1 --json | jq .passed" works:
  step, title, target  what was checked against what
  reference            true for the reference solution
  quick, page_test     a --quick run; a run at the page's parameters
  transcripts          [{name, passed, failure}] in order
  runs                 [{run, args, skipped, passed, results}]: results
                       is the run's results.json (as tutor test --json)
  verdict, passed      "passed", "failed", "interrupted" or "error"; true
                       only if passed
  error                why the check could not be done, for "error"
  recorded             whether tutor list's progress took the result
  not_recorded         why not, when it did not`

func writeCheckJSON(w io.Writer, r *checkReport) error {
	if r.Transcripts == nil {
		r.Transcripts = []transcriptReport{}
	}
	if r.Runs == nil {
		r.Runs = []runReport{}
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
