package workload

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
