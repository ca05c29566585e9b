package course

import (
	"reflect"
	"testing"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/workload"
)

// A fake chapter for a later step, as the chapters' authors write them:
// a failed check shows the hints tied to the kinds it found, and only
// those.
const fakeChapter = `# 3c: Fault Tolerant Broadcast

<!-- hint
General nudge, never shown after a check.
-->

<!-- hint lost
Values lost after a partition: did you retry unacknowledged gossip?
-->

<!-- hint duplicate unexpected
Keep values in a set.
-->
`

func TestMatchingHints(t *testing.T) {
	hints, err := book.Hints("3c.md", []byte(fakeChapter))
	if err != nil {
		t.Fatal(err)
	}
	lost := &harness.Result{Verdict: "invalid", Anomalies: []workload.Anomaly{{Kind: "lost"}, {Kind: "lost"}}}
	want := []string{"Values lost after a partition: did you retry unacknowledged gossip?"}
	if got := MatchingHints(hints, lost); !reflect.DeepEqual(got, want) {
		t.Errorf("hints after lost: %q, want %q", got, want)
	}
	both := &harness.Result{Verdict: "invalid", Anomalies: []workload.Anomaly{{Kind: "unexpected"}, {Kind: "lost"}}}
	if got := MatchingHints(hints, both); len(got) != 2 {
		t.Errorf("hints after lost and unexpected: %q, want both tied hints", got)
	}
	valid := &harness.Result{Valid: true, Verdict: "valid", Anomalies: []workload.Anomaly{}}
	if got := MatchingHints(hints, valid); got != nil {
		t.Errorf("hints after a valid run: %q", got)
	}
	crash := &harness.Result{Verdict: "invalid", Anomalies: []workload.Anomaly{{Kind: "node-crashed"}}}
	if got := MatchingHints(hints, crash); got != nil {
		t.Errorf("hints after a crash no hint names: %q", got)
	}
}
