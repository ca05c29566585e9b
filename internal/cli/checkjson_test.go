package cli

import (
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// quickJSONCheck runs tutor check STEP --quick --json on the reference
// solution, in real time (so not under -short), and returns its output;
// the check must pass.
func quickJSONCheck(t *testing.T, step string) (stdout, stderr string) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs a quick workload in real time")
	}
	code, stdout, stderr := tutor(t, "", "check", step, "--quick", "--json", "--store", filepath.Join(t.TempDir(), "store"))
	if code != 0 {
		t.Fatalf("tutor check %s --quick --json: exit status %d; stderr:\n%s", step, code, stderr)
	}
	return stdout, stderr
}

// tutor check --json prints exactly one JSON document on stdout, whole,
// and everything meant for a person on stderr: "tutor check 1 --json |
// jq .passed" works.
func TestCheckJSONIsOneDocument(t *testing.T) {
	stdout, stderr := quickJSONCheck(t, "1")
	dec := json.NewDecoder(strings.NewReader(stdout))
	var doc struct {
		Step        string `json:"step"`
		Verdict     string `json:"verdict"`
		Passed      bool   `json:"passed"`
		Recorded    bool   `json:"recorded"`
		NotRecorded string `json:"not_recorded"`
		Quick       bool   `json:"quick"`
		PageTest    bool   `json:"page_test"`
		Transcripts []struct {
			Name   string `json:"name"`
			Passed bool   `json:"passed"`
		} `json:"transcripts"`
		Runs []struct {
			Run     int  `json:"run"`
			Passed  bool `json:"passed"`
			Results *struct {
				Valid bool   `json:"valid"`
				Step  string `json:"step"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if err := dec.Decode(new(any)); !errors.Is(err, io.EOF) {
		t.Fatalf("stdout holds more than one JSON document (%v)", err)
	}
	if doc.Step != "1" || doc.Verdict != "passed" || !doc.Passed || !doc.Quick || doc.PageTest {
		t.Errorf("document %+v: want step 1, passed, quick, not the page's test", doc)
	}
	if doc.Recorded || doc.NotRecorded == "" {
		t.Errorf("the reference's check recorded %v, not_recorded %q: want not recorded, and why", doc.Recorded, doc.NotRecorded)
	}
	if len(doc.Transcripts) == 0 || !doc.Transcripts[0].Passed {
		t.Errorf("transcripts %+v, want the echo transcript passed", doc.Transcripts)
	}
	if len(doc.Runs) != 1 || doc.Runs[0].Results == nil || !doc.Runs[0].Results.Valid || doc.Runs[0].Results.Step != "1" {
		t.Errorf("runs %+v, want one valid run with its results", doc.Runs)
	}
	for _, want := range []string{"Checking step 1 (Echo)", "Everything looks good!", "Step 1 passes the quick run"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}
