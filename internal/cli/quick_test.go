package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// --quick is quick: step 3b's run (twenty seconds and a ten-second
// recovery at the page's parameters) takes three seconds of operations
// and two of recovery, well under ten seconds in all; it says it is not
// the page's test and is not recorded.
func TestQuickCheck3bIsShort(t *testing.T) {
	began := time.Now()
	stdout, stderr := quickJSONCheck(t, "3b")
	wall := time.Since(began)
	var doc struct {
		Passed, Recorded, PageTest bool
		Runs                       []struct {
			Results struct {
				Options struct {
					TimeLimit float64 `json:"time_limit"`
				} `json:"options"`
				Seconds float64 `json:"duration_seconds"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if !doc.Passed || doc.Recorded || doc.PageTest || len(doc.Runs) != 1 {
		t.Fatalf("document %+v: want one run passed, not recorded, not the page's test", doc)
	}
	r := doc.Runs[0].Results
	if r.Options.TimeLimit != 3 {
		t.Errorf("quick run's time limit %gs, want 3s", r.Options.TimeLimit)
	}
	// The run itself: 3 s + 2 s and the final reads. A loaded machine
	// slows the rest (the build, the transcripts), not these waits.
	if r.Seconds >= 10 {
		t.Errorf("quick 3b run took %.1fs, want under 10s", r.Seconds)
	}
	t.Logf("quick 3b: run %.1fs, whole check %v", r.Seconds, wall.Round(100*time.Millisecond))
	for _, want := range []string{"It is not the page's test, and it is not recorded.", "(quick: 3s, recovery 2s)"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
}
