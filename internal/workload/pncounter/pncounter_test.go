package pncounter

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/glomers/glomers/internal/checkertest"
	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// The checker's cases, one file each under testdata/check.
func TestCheckCases(t *testing.T) {
	checkertest.Run(t, func(h history.History, _ string) (workload.Result, error) { return Check(h), nil })
}

// Maelstrom pn_counter.clj: (gen/mix [adds of (- (rand-int 10) 5), reads]),
// so negative deltas down to -5 and positive ones up to 4 all occur.
func TestGeneratorDrawsBothSigns(t *testing.T) {
	g := New().NewGenerator(workload.Options{})
	rnd := rand.New(rand.NewPCG(1, 2))
	seen := map[int]bool{}
	reads := 0
	for range 2000 {
		inv, ok := g.Next(0, 0, rnd)
		if !ok {
			t.Fatal("main generator ran dry")
		}
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

func TestWorkloadShape(t *testing.T) {
	w := New()
	if w.Name() != "pn-counter" || w.Reusable() || w.Setup(workload.Options{}) != nil || w.Validate(workload.Options{}) != nil {
		t.Fatalf("pn-counter: name %q, reusable %v", w.Name(), w.Reusable())
	}
	if inv, ok := w.NewFinalGenerator(workload.Options{}).Next(0, 0, nil); !ok || inv.F != "read" || !inv.Final {
		t.Fatalf("final op %+v, want a final read", inv)
	}
}
