package checkertest

import (
	"testing"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// Render shows everything a case may want: both verdicts when they
// differ, the strict mark, ops, notes, metrics sorted by name.
func TestRender(t *testing.T) {
	got := Render(workload.Result{
		Validity:          workload.Invalid,
		MaelstromValidity: workload.Valid,
		Anomalies:         []workload.Anomaly{{Kind: "poll-skip", Message: "skipped", Ops: []int{3, 5}, Strict: true}},
		Notes:             []workload.Anomaly{{Kind: "stale", Message: "late"}},
		Metrics:           map[string]any{"z": []int{}, "a": 1},
		StableLatency:     &workload.Quantiles{Max: 2, Count: 1},
	})
	want := "validity invalid\nmaelstrom valid\nanomaly poll-skip strict [3 5]: skipped\nnote stale []: late\nmetric a 1\nmetric z []\n" +
		`stable-latency {"min":0,"median":0,"p95":0,"p99":0,"max":2,"count":1}` + "\n"
	if got != want {
		t.Errorf("Render =\n%s\nwant\n%s", got, want)
	}
}

// A checker without options runs on a case that gives none, and refuses
// one that gives some rather than ignore them.
func TestNoOptions(t *testing.T) {
	check := noOptions(func(history.History) workload.Result { return workload.Result{Validity: workload.Valid} })
	if res, err := check(nil, ""); err != nil || res.Validity != workload.Valid {
		t.Errorf("no options: %v, %v", res.Validity, err)
	}
	if _, err := check(nil, "strict-commits"); err == nil {
		t.Error("options were ignored")
	}
}
