package txn

import "github.com/glomers/glomers/internal/workload"

// Uses says txn-rw-register reads the key count, transaction length and
// writes per key its generator draws with, and the consistency models its
// checker enforces.
func (txnWorkload) Uses() []workload.Option {
	return []workload.Option{
		workload.OptConsistencyModels, workload.OptKeyCount,
		workload.OptMaxTxnLength, workload.OptMaxWritesPerKey,
	}
}
