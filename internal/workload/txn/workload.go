package txn

import (
	"fmt"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// Name is Maelstrom's name for the workload.
const Name = "txn-rw-register"

// New returns the txn-rw-register workload.
func New() workload.Workload { return txnWorkload{} }

type txnWorkload struct{}

// Name returns "txn-rw-register".
func (txnWorkload) Name() string { return Name }

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

// Setup: the workload needs none.
func (txnWorkload) Setup(workload.Options) []workload.SetupRequest { return nil }

// NewGenerator returns the main-phase generator.
func (txnWorkload) NewGenerator(opts workload.Options) workload.Generator {
	return newGenerator(opts)
}

// NewFinalGenerator returns nil: txn-rw-register has no final phase.
func (txnWorkload) NewFinalGenerator(workload.Options) workload.Generator { return nil }

// NewClient returns a client; it keeps no state.
func (txnWorkload) NewClient(workload.Options) workload.Client { return client }

// Reusable is true: as in Maelstrom, a txn client survives an
// indeterminate outcome.
func (txnWorkload) Reusable() bool { return true }

// Kinds gives the words the report shows for each anomaly kind (kinds.md).
func (txnWorkload) Kinds() map[string]workload.Meaning { return workload.ParseKinds(kindsDoc) }

// Check runs the checker with the run's consistency models.
func (txnWorkload) Check(h history.History, opts workload.Options) workload.Result {
	return Check(h, opts.ConsistencyModels)
}
