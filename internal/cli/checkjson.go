package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/glomers/glomers/internal/course"
)

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

// finishCheckJSON writes check's one document on w when the check is
// over, whatever happened: a check that could not be done (a build that
// failed, a harness error) is still one document, which says so. It
// returns the check's error, or the write's if there was none.
func finishCheckJSON(w io.Writer, rep *course.Report, err error) error {
	var exit *ExitError
	if err != nil && !errors.As(err, &exit) {
		rep.Verdict, rep.Error = "error", err.Error()
	} else if exit != nil && exit.Err != nil && rep.Verdict == "" {
		rep.Verdict, rep.Error = "error", exit.Err.Error()
	}
	if werr := writeCheckJSON(w, rep); werr != nil && err == nil {
		return werr
	}
	return err
}

func writeCheckJSON(w io.Writer, r *course.Report) error {
	if r.Transcripts == nil {
		r.Transcripts = []course.TranscriptReport{}
	}
	if r.Runs == nil {
		r.Runs = []course.RunReport{}
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
