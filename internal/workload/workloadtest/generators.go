package workloadtest

import (
	"math/rand/v2"
	"testing"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// MainOps draws n operations from a main-phase generator, the i-th for
// thread i%threads, and fails the test if gen runs dry or marks one final:
// a main phase never ends by itself (the harness stops asking when time is
// up). The caller then judges the operations' mix and values.
func MainOps(t testing.TB, gen workload.Generator, rnd *rand.Rand, n, threads int) []workload.Invocation {
	t.Helper()
	ops := make([]workload.Invocation, n)
	for i := range n {
		inv, more := gen.Next(i%threads, 0, rnd)
		if !more || inv.Final {
			t.Fatalf("op %d: Next = %+v, %v; want a main-phase operation", i, inv, more)
		}
		ops[i] = inv
	}
	return ops
}

// CheckFinalReads fails the test unless gen is Jepsen's (gen/each-thread
// {:f :read, :final? true}), the final phase of broadcast and g-counter:
// each of threads threads, asking in no particular order, gets one final
// read with no value, and then nothing more.
func CheckFinalReads(t testing.TB, gen workload.Generator, threads int) {
	t.Helper()
	rnd := rand.New(rand.NewPCG(1, 1))
	for _, thread := range rnd.Perm(threads) {
		inv, more := gen.Next(thread, 0, rnd)
		if !more || inv.F != "read" || !inv.Final || inv.Value != nil {
			t.Fatalf("thread %d: first Next = %+v, %v; want a final read", thread, inv, more)
		}
		gen.Update(thread, inv, workload.Completion{Type: history.OK, Value: history.Value(0)})
	}
	for thread := range threads {
		if inv, more := gen.Next(thread, 0, rnd); more {
			t.Errorf("thread %d: second Next = %+v, want no more", thread, inv)
		}
	}
}
