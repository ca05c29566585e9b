package txn

import (
	"fmt"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// Name is Maelstrom's name for the workload.
const Name = "txn-rw-register"

// New returns the txn-rw-register workload. It needs no setup and has no
// final phase, and its client is reusable: as in Maelstrom, a txn client
// survives an indeterminate outcome.
func New() workload.Workload {
	return txnWorkload{workload.Base{WorkloadName: Name, ReusableClient: true, KindsDoc: kindsDoc}}
}

type txnWorkload struct{ workload.Base }

// Validate checks the generator's flags and that every consistency model
// is one the checker knows. (Maelstrom accepts any name and fails only
// when the analysis runs; we refuse at once.)
func (txnWorkload) Validate(opts workload.Options) error {
	for _, f := range []struct {
		flag string
		v    int
	}{
		{"--key-count", opts.KeyCount},
		{"--max-txn-length", opts.MaxTxnLength},
		{"--max-writes-per-key", opts.MaxWritesPerKey},
	} {
		if f.v < 1 {
			return fmt.Errorf("%s must be at least 1, not %d", f.flag, f.v)
		}
	}
	_, err := newPolicy(opts.ConsistencyModels)
	return err
}

// NewGenerator returns the main-phase generator.
func (txnWorkload) NewGenerator(opts workload.Options) workload.Generator {
	return newGenerator(opts)
}

// NewClient returns a client; it keeps no state.
func (txnWorkload) NewClient(workload.Options) workload.Client { return client }

// Check runs the checker with the run's consistency models.
func (txnWorkload) Check(h history.History, opts workload.Options) workload.Result {
	return Check(h, opts.ConsistencyModels)
}
