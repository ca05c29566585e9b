package listappend

import (
	"testing"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/workloadtest"
)

// BenchmarkCheck100k checks 100,000 generated transactions (Maelstrom's
// default generator settings, ten clients, strict serializability):
// "serial" a correct store, "stale" one with stale read-only snapshots
// (thousands of G-single-realtime cycles), "torn" one that applies
// transactions in pieces (G0, G1b, G1c and more). On this project's
// 2-core build machine, with little else running, a check took
//
//	serial  0.82 s (0.78 s of CPU)
//	stale   0.71 s (0.61 s of CPU)
//	torn    0.62 s (0.58 s of CPU)
//
// with about 200 MB allocated in 0.5 million allocations (-benchmem),
// against a target of 2 s. Run it with
//
//	go test -run XXX -bench Check100k -benchtime 3x ./internal/workload/listappend
//
// With the machine shared by many builds wall time grows several-fold;
// the CPU time of a check stays near 1 s.
func BenchmarkCheck100k(b *testing.B) {
	for _, mode := range []simMode{simSerial, simStale, simTorn} {
		h := simulate(mode, 10, 100000, 1)
		workloadtest.BenchCheck(b, mode.String(), h, 100000, func(h history.History) workload.Result { return Check(h, nil) })
	}
}

// BenchmarkParseTxn parses a transaction of the generator's shape, reads
// of null and of a list and appends.
func BenchmarkParseTxn(b *testing.B) {
	workloadtest.BenchParse(b, `[["r",1,null],["append",2,3],["r",3,[1,2,3,4]],["append",1,5]]`, parseTxn, decodeTxn)
}
