package txn

import (
	"testing"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/workloadtest"
)

// benchHistory simulates 100,000 generated transactions with Maelstrom's
// default generator settings from ten clients.
func benchHistory(b *testing.B, mode simMode) *sim {
	b.Helper()
	return runSim(simConfig{mode: mode, clients: 10, txns: 100000, failP: 0.02, infoP: 0.02,
		opts: simOptions(DefaultKeyCount, DefaultMaxTxnLength, DefaultMaxWritesPerKey), seed: 1})
}

// BenchmarkCheck100k checks 100,000 transactions. "interleaved" is a
// store with dirty reads and writes, full of G0, G1 and G2 cycles;
// "replicated" a Fly.io 6b-style store, read committed but with many
// G-single and G2 notes. The figure is in the package documentation.
func BenchmarkCheck100k(b *testing.B) {
	for _, mode := range []simMode{simInterleaved, simReplicated} {
		s := benchHistory(b, mode)
		h := s.b.History()
		workloadtest.BenchCheck(b, mode.String(), h, len(s.txns), func(h history.History) workload.Result { return Check(h, rc) })
	}
}

// BenchmarkParseTxn parses a transaction of the generator's shape, reads
// of null and of a value and writes.
func BenchmarkParseTxn(b *testing.B) {
	workloadtest.BenchParse(b, `[["r",1,null],["w",2,3],["r",3,4],["w",1,5]]`, parseTxn, decodeTxn)
}
