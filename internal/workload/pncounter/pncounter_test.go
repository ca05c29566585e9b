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
	checkertest.Run(t, func(h history.History, _ string) (workload.Result, error) { return Check(h), nil })
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
