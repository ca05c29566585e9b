package workload

// Base is the part of a Workload that most workloads answer the same way:
// the name, options all accepted, no setup, no final phase, whether a
// client outlives an info completion, and the words of the anomaly kinds
// read from the package's kinds.md. A workload embeds it and writes only
// the methods where it differs; a method the workload writes itself wins
// over Base's.
type Base struct {
	// WorkloadName is Maelstrom's name for the workload, which Name
	// returns.
	WorkloadName string
	// ReusableClient is what Reusable returns: true when, as Maelstrom
	// declares it, a client survives an info completion.
	ReusableClient bool
	// KindsDoc is the workload's kinds document (its kinds.md), which
	// Kinds parses.
	KindsDoc string
}

// Name returns WorkloadName.
func (b Base) Name() string { return b.WorkloadName }

// Validate accepts every option: the workload reads none that could be
// wrong.
func (Base) Validate(Options) error { return nil }

// Setup sends nothing before the first operation.
func (Base) Setup(Options) []SetupRequest { return nil }

// NewFinalGenerator returns nil: no final phase.
func (Base) NewFinalGenerator(Options) Generator { return nil }

// Reusable returns ReusableClient.
func (b Base) Reusable() bool { return b.ReusableClient }

// Kinds gives the words the report shows for each anomaly kind, from
// KindsDoc.
func (b Base) Kinds() map[string]Meaning { return ParseKinds(b.KindsDoc) }
