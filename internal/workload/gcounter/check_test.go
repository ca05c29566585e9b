package gcounter

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

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

func kinds(r workload.Result) []string {
	var ks []string
	for _, a := range r.Anomalies {
		ks = append(ks, a.Kind)
	}
	return ks
}

func TestCheckPasses(t *testing.T) {
	cases := []struct {
		name  string
		build func(h *hb)
	}{
		// Maelstrom pn-counter: final reads equal the sum of ok adds.
		{"final reads equal the acknowledged sum", func(h *hb) {
			h.add(0, 1, history.OK)
			h.add(1, 2, history.OK)
			h.read(0, 3, true)
			h.read(1, 3, true)
		}},
		// Maelstrom pn-counter: an info add may or may not count.
		{"an info add may be missing from a final read", func(h *hb) {
			h.add(0, 1, history.OK)
			h.add(1, 4, history.Info)
			h.read(2, 1, true)
		}},
		{"an info add may be included in a final read", func(h *hb) {
			h.add(0, 1, history.OK)
			h.add(1, 4, history.Info)
			h.read(2, 5, true)
		}},
		// Failed adds certainly did not happen.
		{"a failed add is ignored", func(h *hb) {
			h.add(0, 1, history.OK)
			h.add(1, 4, history.Fail)
			h.read(2, 1, true)
		}},
		// An add that never completed counts as indefinite.
		{"an unfinished add may count", func(h *hb) {
			h.add(0, 1, history.OK)
			h.op(history.Invoke, 1, "add", 2, false)
			h.read(2, 3, true)
		}},
		// Maelstrom checks only final reads: stale reads mid-run are fine.
		{"stale reads during the run", func(h *hb) {
			h.add(0, 3, history.OK)
			h.read(1, 0, false)
			h.add(0, 2, history.OK)
			h.read(1, 3, false)
			h.read(1, 5, true)
		}},
		// Ours: near miss, a read may include an add that is still in flight.
		{"a read includes a concurrent add", func(h *hb) {
			h.op(history.Invoke, 0, "add", 2, false)
			h.op(history.Invoke, 1, "read", nil, false)
			h.op(history.OK, 1, "read", 2, false)
			h.op(history.OK, 0, "add", 2, false)
			h.read(1, 2, true)
		}},
		// Ours: near miss, a read may include an info add invoked before it.
		{"a read equals everything invoked so far", func(h *hb) {
			h.add(0, 4, history.Info)
			h.add(1, 3, history.OK)
			h.read(2, 7, false)
			h.read(2, 3, true)
		}},
		{"failed and info reads are not checked", func(h *hb) {
			h.add(0, 1, history.OK)
			h.op(history.Invoke, 1, "read", nil, true)
			h.op(history.Info, 1, "read", nil, true)
			h.read(2, 1, true)
		}},
		{"delta 0 adds", func(h *hb) {
			h.add(0, 0, history.OK)
			h.add(1, 0, history.Info)
			h.read(2, 0, true)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var h hb
			tc.build(&h)
			r := Check(h.b.History())
			if r.Validity != workload.Valid {
				t.Fatalf("validity %s, anomalies %+v", r.Validity, r.Anomalies)
			}
		})
	}
}

func TestCheckFails(t *testing.T) {
	cases := []struct {
		name  string
		build func(h *hb) []int // returns the ops the anomaly must name
		kind  string
	}{
		// Maelstrom pn-counter: a final read below the definite sum.
		{"final read missing an acknowledged add", func(h *hb) []int {
			h.add(0, 1, history.OK)
			h.add(1, 2, history.OK)
			h.read(0, 3, true)
			return []int{6, h.read(1, 2, true)}
		}, KindWrongFinalRead},
		// Maelstrom pn-counter: the acceptable set has holes. With adds of 2
		// and 4 indefinite, 10 + {0, 2, 4, 6} are possible, 13 is not.
		{"final read in a hole of the acceptable set", func(h *hb) []int {
			h.add(0, 10, history.OK)
			h.add(1, 2, history.Info)
			h.add(2, 4, history.Info)
			h.op(history.Invoke, 3, "read", nil, true)
			h.op(history.OK, 3, "read", 13, true)
			return []int{6, 7}
		}, KindWrongFinalRead},
		// Ours: a read above every add invoked before it completed.
		{"read counts an add that had not started", func(h *hb) []int {
			h.add(0, 2, history.OK)
			inv := h.op(history.Invoke, 1, "read", nil, false)
			ok := h.op(history.OK, 1, "read", 3, false)
			h.add(0, 1, history.OK)
			h.read(1, 3, true)
			return []int{inv, ok}
		}, KindReadExceedsAdds},
		// Ours: a failed add cannot be read.
		{"read counts a failed add", func(h *hb) []int {
			h.add(0, 2, history.OK)
			h.add(0, 1, history.Fail)
			inv := h.op(history.Invoke, 1, "read", nil, false)
			ok := h.op(history.OK, 1, "read", 3, false)
			h.read(1, 2, true)
			return []int{inv, ok}
		}, KindReadExceedsAdds},
		// Ours: the counter starts at 0 and only grows.
		{"negative read", func(h *hb) []int {
			inv := h.op(history.Invoke, 1, "read", nil, false)
			ok := h.op(history.OK, 1, "read", -1, false)
			h.read(1, 0, true)
			return []int{inv, ok}
		}, KindNegativeRead},
		{"read value that is not an integer", func(h *hb) []int {
			h.op(history.Invoke, 1, "read", nil, false)
			ok := h.op(history.OK, 1, "read", 1.5, false)
			h.read(1, 0, true)
			return []int{ok}
		}, KindMalformedOp},
		{"negative delta", func(h *hb) []int {
			inv := h.op(history.Invoke, 1, "add", -1, false)
			h.op(history.OK, 1, "add", -1, false)
			h.read(1, 0, true)
			return []int{inv}
		}, KindMalformedOp},
		{"completion with nothing open", func(h *hb) []int {
			ok := h.op(history.OK, 1, "read", 0, true)
			h.read(2, 0, true)
			return []int{ok}
		}, KindMalformedHistory},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var h hb
			ops := tc.build(&h)
			r := Check(h.b.History())
			if r.Validity != workload.Invalid {
				t.Fatalf("validity %s, want invalid", r.Validity)
			}
			if got := kinds(r); !slices.Equal(got, []string{tc.kind}) {
				t.Fatalf("anomaly kinds %v, want exactly [%s]: %+v", got, tc.kind, r.Anomalies)
			}
			if !slices.Equal(r.Anomalies[0].Ops, ops) {
				t.Fatalf("anomaly names ops %v, want %v: %s", r.Anomalies[0].Ops, ops, r.Anomalies[0].Message)
			}
			if r.Anomalies[0].Message == "" {
				t.Fatal("anomaly without a message")
			}
			t.Log(r.Anomalies[0].Message)
		})
	}
}

// Reads that break both rules are reported under both kinds.
func TestCheckReportsEachRule(t *testing.T) {
	var h hb
	h.add(0, 1, history.OK)
	h.read(1, 5, true)
	r := Check(h.b.History())
	if got := kinds(r); !slices.Equal(got, []string{KindReadExceedsAdds, KindWrongFinalRead}) {
		t.Fatalf("kinds %v", got)
	}
}

func TestCheckUnknownWithoutFinalReads(t *testing.T) {
	var h hb
	h.add(0, 1, history.OK)
	h.read(1, 1, false)
	h.op(history.Invoke, 1, "read", nil, true)
	h.op(history.Info, 1, "read", nil, true)
	r := Check(h.b.History())
	if r.Validity != workload.Unknown || len(r.Anomalies) != 0 || len(r.Notes) != 1 {
		t.Fatalf("got %s, anomalies %v, notes %v; want unknown with one note", r.Validity, r.Anomalies, r.Notes)
	}
	if r := Check(nil); r.Validity != workload.Unknown {
		t.Fatalf("empty history: %s, want unknown", r.Validity)
	}
}

func TestCheckMetrics(t *testing.T) {
	var h hb
	h.add(0, 10, history.OK)
	h.add(1, 2, history.Info)
	h.add(2, 4, history.Info)
	h.read(3, 12, true)
	h.read(4, 16, true)
	r := Check(h.b.History())
	want := map[string]any{
		"final_reads":     []int64{12, 16},
		"acceptable":      [][2]int64{{10, 10}, {12, 12}, {14, 14}, {16, 16}},
		"definite_sum":    int64(10),
		"indefinite_adds": 2,
	}
	if !reflect.DeepEqual(r.Metrics, want) {
		t.Fatalf("metrics %v, want %v", r.Metrics, want)
	}
	if _, err := json.Marshal(r.Metrics); err != nil {
		t.Fatal(err)
	}
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
	// wrong-final-read: final read at op 5 (process 0) returned 4, but the counter can only be 3, 5: 3 from acknowledged adds, plus any subset of 1 indefinite add
}

// A counter wrong on every read lists MaxPerKind cases, and counts them all.
func TestCheckCapsAnomaliesPerKind(t *testing.T) {
	var h hb
	for i := range MaxPerKind + 10 {
		h.read(i, 1, false)
	}
	r := Check(h.b.History())
	if len(r.Anomalies) != MaxPerKind {
		t.Fatalf("%d anomalies listed, want %d", len(r.Anomalies), MaxPerKind)
	}
	if got := r.Metrics["anomaly_counts"].(map[string]int)[KindReadExceedsAdds]; got != MaxPerKind+10 {
		t.Fatalf("anomaly_counts says %d, want %d", got, MaxPerKind+10)
	}
	if len(r.Notes) != 1 || r.Notes[0].Kind != KindReadExceedsAdds {
		t.Fatalf("notes %+v, want one counting the unlisted", r.Notes)
	}
}
