package gcounter

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/glomers/glomers/internal/checkertest"
	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// hb writes small histories: each call appends one op and returns its
// index.
type hb struct{ b history.Builder }

func (h *hb) op(t history.Type, p int, f string, v any, final bool) int {
	return h.b.Add(history.Op{Type: t, Process: p, F: f, Value: history.Value(v), Final: final})
}
func (h *hb) add(p int, delta int64, outcome history.Type) {
	h.op(history.Invoke, p, "add", delta, false)
	h.op(outcome, p, "add", delta, false)
}
func (h *hb) read(p int, v int64, final bool) int {
	h.op(history.Invoke, p, "read", nil, final)
	return h.op(history.OK, p, "read", v, final)
}

// The checker's cases, one file each under testdata/check: a history in,
// the verdict, anomalies, notes and metrics out.
func TestCheckCases(t *testing.T) {
	checkertest.RunNoOptions(t, Check)
}

// The range set against a naive oracle: every subset sum of the deltas.
func TestSpanSetMatchesSubsetSums(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 1))
	for trial := range 500 {
		base := rnd.Int64N(20) - 10
		n := rnd.IntN(9)
		deltas := make([]int64, n)
		for i := range deltas {
			deltas[i] = rnd.Int64N(13) - 4
		}
		want := map[int64]bool{}
		for mask := 0; mask < 1<<n; mask++ {
			sum := base
			for i, d := range deltas {
				if mask&(1<<i) != 0 {
					sum += d
				}
			}
			want[sum] = true
		}
		s := spanSet{{base, base}}
		for _, d := range deltas {
			s = s.unionShifted(d)
		}
		for i := 1; i < len(s); i++ {
			if s[i].lo <= s[i-1].hi+1 {
				t.Fatalf("trial %d: spans %v overlap or touch", trial, s)
			}
		}
		for v := base - 40; v <= base+100; v++ {
			if s.contains(v) != want[v] {
				t.Fatalf("trial %d: base %d deltas %v: contains(%d) = %v, want %v (set %s)", trial, base, deltas, v, s.contains(v), want[v], s)
			}
		}
	}
}

// Fragmented sets are widened to their hull, with a note, in bounded time.
func TestCheckApproximatesHugeSets(t *testing.T) {
	var h hb
	for i := range 40 {
		h.add(i, int64(1)<<(i%30+1), history.Info)
	}
	h.read(100, 0, true)
	r := Check(h.b.History())
	if r.Validity != workload.Valid || len(r.Notes) != 1 || r.Notes[0].Kind != "acceptable-set-approximated" {
		t.Fatalf("validity %s notes %v", r.Validity, r.Notes)
	}
}

func ExampleCheck() {
	var b history.Builder
	add := func(p int, d int, t history.Type) {
		b.Add(history.Op{Type: history.Invoke, Process: p, F: "add", Value: history.Value(d)})
		b.Add(history.Op{Type: t, Process: p, F: "add", Value: history.Value(d)})
	}
	add(0, 3, history.OK)
	add(1, 2, history.Info)
	b.Add(history.Op{Type: history.Invoke, Process: 0, F: "read", Final: true})
	b.Add(history.Op{Type: history.OK, Process: 0, F: "read", Value: history.Value(4), Final: true})
	r := Check(b.History())
	fmt.Println(r.Validity)
	for _, a := range r.Anomalies {
		fmt.Println(a.Kind+":", a.Message)
	}
	// Output:
	// invalid
	// wrong-final-read: final read at op 5 (process 0) returned 4, but the counter can only be 3, 5: 3 from acknowledged adds, plus any subset of 1 indefinite add; the read began at op 4
}

// A counter wrong on every read lists MaxPerKind cases, and counts them all.
func TestCheckCapsAnomaliesPerKind(t *testing.T) {
	var h hb
	for i := range MaxPerKind + 10 {
		h.read(i, 1, false)
	}
	r := Check(h.b.History())
	if len(r.Anomalies) != MaxPerKind+1 {
		t.Fatalf("%d anomalies listed, want %d and a summary", len(r.Anomalies), MaxPerKind)
	}
	if s := r.Anomalies[MaxPerKind]; s.Kind != KindReadExceedsAdds || s.More != 10 {
		t.Fatalf("last entry %+v, want a summary of the other 10", s)
	}
	if got := r.Metrics["anomaly_counts"].(map[string]int)[KindReadExceedsAdds]; got != MaxPerKind+10 {
		t.Fatalf("anomaly_counts says %d, want %d", got, MaxPerKind+10)
	}
	if len(r.Notes) != 0 {
		t.Fatalf("notes %+v, want none: the summary is among the anomalies", r.Notes)
	}
}
