package listappend

import (
	"bytes"
	"math/rand/v2"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	rwregister "github.com/glomers/glomers/internal/workload/txn"
	"github.com/glomers/glomers/internal/workload/txngraph"
)

// Name is Maelstrom's name for the workload.
const Name = "txn-list-append"

// New returns the txn-list-append workload. It needs no setup and has no
// final phase, and its client is reusable: as in Maelstrom, a txn client
// survives an indeterminate outcome.
func New() workload.Workload {
	return appendWorkload{workload.Base{WorkloadName: Name, ReusableClient: true, KindsDoc: kindsDoc}}
}

type appendWorkload struct{ workload.Base }

// Validate checks the generator's flags and the consistency models, as
// txn-rw-register does: the two share both.
func (appendWorkload) Validate(opts workload.Options) error { return rwregister.New().Validate(opts) }

// NewGenerator returns the main-phase generator.
func (appendWorkload) NewGenerator(opts workload.Options) workload.Generator {
	return generator{rwregister.New().NewGenerator(opts)}
}

// NewClient returns a client; it keeps no state.
func (appendWorkload) NewClient(workload.Options) workload.Client { return client }

// Check runs the checker with the run's consistency models.
func (appendWorkload) Check(h history.History, opts workload.Options) workload.Result {
	return Check(h, opts.ConsistencyModels)
}

// Uses says txn-list-append reads the key count, transaction length and
// appends per key its generator draws with, and the consistency models
// its checker enforces.
func (appendWorkload) Uses() []workload.Option {
	return []workload.Option{
		workload.OptConsistencyModels, workload.OptKeyCount,
		workload.OptMaxTxnLength, workload.OptMaxWritesPerKey,
	}
}

// generator is Elle's append-txns: txn-rw-register's transactions (Elle's
// wr-txns) with every write turned into an append. The txn generator
// renders a write as ["w",k,v] and never writes that text otherwise.
type generator struct{ rw workload.Generator }

var wPrefix, appendPrefix = []byte(`["w",`), []byte(`["append",`)

// Next implements workload.Generator.
func (g generator) Next(thread int, now time.Duration, rnd *rand.Rand) (workload.Invocation, bool) {
	inv, ok := g.rw.Next(thread, now, rnd)
	inv.Value = bytes.ReplaceAll(inv.Value, wPrefix, appendPrefix)
	return inv, ok
}

// Update implements workload.Generator; outcomes do not change what comes
// next.
func (generator) Update(int, workload.Invocation, workload.Completion) {}

// client sends one transaction per operation (txngraph.Client). The
// reply must be the request with each read's null replaced by the key's
// list (or left null for a key nothing was appended to).
var client = txngraph.NewClient(parseTxn, matchReply, encodeTxn)
