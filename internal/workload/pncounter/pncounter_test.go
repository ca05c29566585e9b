package pncounter

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/glomers/glomers/internal/checkertest"
	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/workloadtest"
)

// The checker's cases, one file each under testdata/check.
func TestCheckCases(t *testing.T) {
	checkertest.RunNoOptions(t, Check)
}

// Maelstrom pn_counter.clj: (gen/mix [adds of (- (rand-int 10) 5), reads]),
// so negative deltas down to -5 and positive ones up to 4 all occur.
func TestGeneratorDrawsBothSigns(t *testing.T) {
	seen := map[int]bool{}
	reads := 0
	for _, inv := range workloadtest.MainOps(t, New().NewGenerator(workload.Options{}), rand.New(rand.NewPCG(1, 2)), 2000, 3) {
		if inv.F == "read" {
			reads++
			continue
		}
		var d int
		if err := json.Unmarshal(inv.Value, &d); err != nil || d < -5 || d > 4 {
			t.Fatalf("add delta %s, want an integer in -5..4", inv.Value)
		}
		seen[d] = true
	}
	if len(seen) != 10 || reads < 900 || reads > 1100 {
		t.Errorf("deltas seen %v, reads %d of 2000", seen, reads)
	}
}

// Maelstrom: each-thread {:f :read, :final? true}.
func TestFinalGeneratorOneReadPerThread(t *testing.T) {
	workloadtest.CheckFinalReads(t, New().NewFinalGenerator(workload.Options{}), 4)
}

// The client is g-counter's: one exchange shows it speaks for pn-counter.
func TestClientSendsNegativeDeltas(t *testing.T) {
	workloadtest.RunClientCases(t, New(), []workloadtest.ClientCase{
		{Name: "add -3", Inv: workload.Invocation{F: "add", Value: history.Value(-3)}, Reply: workloadtest.Reply{Body: `{"type":"add_ok","in_reply_to":1}`},
			Sent: `{"delta":-3,"type":"add"}`, Type: history.OK, Value: "-3"},
	})
}

func TestWorkloadShape(t *testing.T) {
	w := New()
	if w.Name() != "pn-counter" || w.Reusable() || w.Setup(workload.Options{}) != nil || w.Validate(workload.Options{}) != nil {
		t.Fatalf("pn-counter: name %q, reusable %v", w.Name(), w.Reusable())
	}
}

// A correct counter, read now and then a little stale, passes: the bounds
// never fire on reads any real sum of the adds could give.
func TestCheckPassesACorrectCounter(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 3))
	gen := New().NewGenerator(workload.Options{})
	var b history.Builder
	var values []int64 // the counter after each add
	counter := int64(0)
	for i := range 3000 {
		p := i % 5
		inv, _ := gen.Next(p, 0, rnd)
		b.Add(history.Op{Type: history.Invoke, Process: p, F: inv.F, Value: inv.Value})
		if inv.F == "add" {
			var d int64
			_ = json.Unmarshal(inv.Value, &d)
			counter += d
			values = append(values, counter)
			b.Add(history.Op{Type: history.OK, Process: p, F: "add", Value: inv.Value})
			continue
		}
		v := int64(0)
		if n := len(values); n > 0 {
			v = values[max(0, n-1-rnd.IntN(4))] // up to three adds stale
		}
		b.Add(history.Op{Type: history.OK, Process: p, F: "read", Value: history.Value(v)})
	}
	for p := range 5 {
		b.Add(history.Op{Type: history.Invoke, Process: p, F: "read", Final: true})
		b.Add(history.Op{Type: history.OK, Process: p, F: "read", Value: history.Value(counter), Final: true})
	}
	if r := Check(b.History()); r.Validity != workload.Valid {
		t.Fatalf("%s: %+v", r.Validity, r.Anomalies)
	}
}
