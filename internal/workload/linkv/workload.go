package linkv

import (
	"fmt"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// Name is Maelstrom's name for the workload, and its default (-w).
const Name = "lin-kv"

// processLimit is how many client processes may touch one key before the
// key is retired (Jepsen's linearizable-register :process-limit, 20).
const processLimit = 20

// New returns the lin-kv workload.
func New() workload.Workload { return linkvWorkload{} }

type linkvWorkload struct{}

// Name returns "lin-kv".
func (linkvWorkload) Name() string { return Name }

// Validate refuses what Maelstrom cannot run either. Its generator gives
// each key a group of 2n threads (n the node count), so the concurrency
// must be a multiple of 2n (Jepsen asserts it); and a key is retired once
// more than 20 processes have touched it, so with more than 10 nodes a
// key's group alone exceeds that and no key ever gets an operation
// (Maelstrom would hang looking for one).
func (linkvWorkload) Validate(opts workload.Options) error {
	n := len(opts.Nodes)
	if n == 0 {
		return fmt.Errorf("lin-kv needs at least one node")
	}
	if 2*n > processLimit {
		return fmt.Errorf("--node-count %d: lin-kv runs at most %d nodes (each key gets 2 client threads per node and is retired once more than %d clients have touched it)", n, processLimit/2, processLimit)
	}
	if opts.Concurrency < 2*n || opts.Concurrency%(2*n) != 0 {
		return fmt.Errorf("--concurrency %d: lin-kv needs a multiple of twice the node count (%d with %d nodes; try --concurrency 2n): each key gets 2 threads per node, half reading, half writing", opts.Concurrency, 2*n, n)
	}
	return nil
}

// Setup: the workload needs none.
func (linkvWorkload) Setup(workload.Options) []workload.SetupRequest { return nil }

// NewGenerator returns the main-phase generator.
func (linkvWorkload) NewGenerator(opts workload.Options) workload.Generator {
	return newGenerator(len(opts.Nodes), opts.Concurrency)
}

// NewFinalGenerator returns nil: lin-kv has no final phase.
func (linkvWorkload) NewFinalGenerator(workload.Options) workload.Generator { return nil }

// NewClient returns a client; it keeps no state.
func (linkvWorkload) NewClient(workload.Options) workload.Client { return client{} }

// Reusable is true: Maelstrom's lin-kv client survives an indeterminate
// outcome.
func (linkvWorkload) Reusable() bool { return true }

// RPCTimeout is how long Maelstrom's lin-kv client waits for a reply: ten
// times the mean latency, and at least a second.
func (linkvWorkload) RPCTimeout(opts workload.Options) time.Duration {
	return max(10*opts.Latency, time.Second)
}

// Kinds gives the words the report shows for each anomaly kind (kinds.md).
func (linkvWorkload) Kinds() map[string]workload.Meaning { return workload.ParseKinds(kindsDoc) }

// Check runs the linearizability checker with its default time budget.
func (linkvWorkload) Check(h history.History, _ workload.Options) workload.Result {
	return Check(h, DefaultBudget)
}
