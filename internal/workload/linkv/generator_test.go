package linkv

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

func keyOf(t *testing.T, inv workload.Invocation) int64 {
	t.Helper()
	op, err := decodeInvocation(inv.F, inv.Value)
	if err != nil {
		t.Fatalf("invocation %s %s: %v", inv.F, inv.Value, err)
	}
	return op.key
}

// Jepsen's concurrent-generator with linearizable-register's per-key
// generator: groups of 2n threads, group g on key g; in a group the first
// n threads read, the others write a third of the time and cas the rest,
// values from 0 to 4.
func TestGeneratorGroupsAndMix(t *testing.T) {
	const nodes, threads = 2, 8
	g := newGenerator(nodes, threads)
	rnd := rand.New(rand.NewPCG(1, 1))
	counts := map[string]int{}
	for i := range 3000 {
		th := i % threads
		inv, ok := g.Next(th, 0, rnd)
		if !ok {
			t.Fatalf("thread %d: no operation", th)
		}
		if k := keyOf(t, inv); k != int64(th/(2*nodes)) {
			t.Fatalf("thread %d got key %d, want its group's %d", th, k, th/(2*nodes))
		}
		if reader := th%(2*nodes) < nodes; reader != (inv.F == "read") {
			t.Fatalf("thread %d got %s", th, inv.F)
		}
		counts[inv.F]++
		var tuple []json.RawMessage
		json.Unmarshal(inv.Value, &tuple)
		switch inv.F {
		case "read":
			if string(tuple[1]) != "null" {
				t.Fatalf("read %s", inv.Value)
			}
		case "write":
			var v int
			if json.Unmarshal(tuple[1], &v) != nil || v < 0 || v >= valueRange {
				t.Fatalf("write %s", inv.Value)
			}
		case "cas":
			var ft []int
			if json.Unmarshal(tuple[1], &ft) != nil || len(ft) != 2 || ft[0] < 0 || ft[0] >= valueRange || ft[1] < 0 || ft[1] >= valueRange {
				t.Fatalf("cas %s", inv.Value)
			}
		}
	}
	if counts["read"] != 1500 || counts["write"] < 400 || counts["write"] > 600 || counts["cas"] < 900 {
		t.Errorf("mix %v, want 1500 reads, about 500 writes and 1000 cas", counts)
	}
}

// A key is retired once more than 20 processes have touched it: its
// group starts with 2n and each info completion adds one, so with 2
// nodes the 17th info moves the group to the next unused key, and the
// other group keeps its own.
func TestGeneratorRetiresKeysByProcessLimit(t *testing.T) {
	const nodes, threads = 2, 8
	g := newGenerator(nodes, threads)
	rnd := rand.New(rand.NewPCG(1, 1))
	info := workload.Completion{Type: history.Info}
	for i := range processLimit - 2*nodes + 1 {
		inv, _ := g.Next(2, 0, rnd)
		if k := keyOf(t, inv); k != 0 {
			t.Fatalf("after %d infos: key %d, want 0", i, k)
		}
		g.Update(2, inv, info)
	}
	for _, th := range []int{0, 3} {
		if inv, _ := g.Next(th, 0, rnd); keyOf(t, inv) != 2 {
			t.Fatalf("thread %d after %d infos: key %d, want 2 (keys 0 and 1 were the groups' first)", th, processLimit-2*nodes+1, keyOf(t, inv))
		}
	}
	if inv, _ := g.Next(4, 0, rnd); keyOf(t, inv) != 1 {
		t.Fatalf("the other group moved to key %d", keyOf(t, inv))
	}
	// ok and fail completions leave the process count alone.
	for range 100 {
		inv, _ := g.Next(2, 0, rnd)
		g.Update(2, inv, workload.Completion{Type: history.Fail})
		if keyOf(t, inv) != 2 {
			t.Fatalf("a fail retired the key")
		}
	}
}
