package workload

import "time"

// Option names, by its Maelstrom flag, a setting that only some workloads
// read. Every workload gets the node count, rate, concurrency, time limit,
// latency and nemesis; the options below matter to a workload only when it
// says so, and results.json shows them only for the workloads that do.
type Option string

// The workload-specific options.
const (
	OptTopology          Option = "topology"
	OptKeyCount          Option = "key-count"
	OptMaxTxnLength      Option = "max-txn-length"
	OptMaxWritesPerKey   Option = "max-writes-per-key"
	OptConsistencyModels Option = "consistency-models"
)

// OptionUser is a workload that reads some of the workload-specific
// options. A workload that does not implement it reads none of them.
type OptionUser interface {
	// Uses lists the options the workload reads.
	Uses() []Option
}

// Uses returns the workload-specific options wl reads.
func Uses(wl Workload) []Option {
	if u, ok := wl.(OptionUser); ok {
		return u.Uses()
	}
	return nil
}

// RPCTimeouter is a workload whose client waits for a reply for a time
// of its own rather than the run's: Maelstrom's lin-kv client waits ten
// times the mean latency, at least a second, where the others wait 5 s.
type RPCTimeouter interface {
	// RPCTimeout is how long a client request waits for its reply.
	RPCTimeout(opts Options) time.Duration
}

// RPCTimeout returns how long wl's client requests wait for a reply: its
// own time when it has one, otherwise def, the run's.
func RPCTimeout(wl Workload, opts Options, def time.Duration) time.Duration {
	if t, ok := wl.(RPCTimeouter); ok {
		return t.RPCTimeout(opts)
	}
	return def
}
