// Package pncounter is Maelstrom's pn-counter workload: clients add deltas
// of either sign to one counter spread over the cluster and read it back;
// after the main phase every client reads once more, and each final read
// must be a total the adds could make.
//
// Behaviour follows Maelstrom's workload/pn_counter.clj (jepsen-io/
// maelstrom at cb7f072), of which its g-counter is a filtered copy
// (g_counter.clj), so this package reuses package gcounter's pieces:
//
//   - Generator: each operation is, with equal chance, a read or an add of
//     a delta drawn uniformly from -5..4 (gcounter.PNGenerator).
//   - Final generator: one read per thread, marked Final.
//   - Client: add {delta} -> add_ok, read -> read_ok {value}, with no error
//     wrapper, so every error reply, timeout or malformed reply is an info
//     completion; clients are not reusable (gcounter's client).
//   - Checker: Maelstrom's rule, every final ok read in the set of sums of
//     the ok adds plus any subset of the info ones, and, strictly, every ok
//     read between the sums of the negative and of the positive deltas
//     invoked before it completed (gcounter.CheckPN).
//
// History values are g-counter's: an add carries its delta, an ok read the
// value read.
package pncounter

import (
	_ "embed"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/gcounter"
)

// kindsDoc says what each kind means, for Kinds.
//
//go:embed kinds.md
var kindsDoc string

// Name is Maelstrom's name for the workload.
const Name = "pn-counter"

// New returns the pn-counter workload. Its client is not reusable:
// Maelstrom reopens a counter client after an info.
func New() workload.Workload {
	return pncounter{workload.Base{WorkloadName: Name, KindsDoc: kindsDoc}}
}

type pncounter struct{ workload.Base }

func (pncounter) NewGenerator(workload.Options) workload.Generator { return gcounter.PNGenerator() }

func (pncounter) NewFinalGenerator(workload.Options) workload.Generator {
	return workload.FinalReads()
}

// NewClient is the counter client g-counter uses: the two protocols are
// the same.
func (pncounter) NewClient(opts workload.Options) workload.Client {
	return gcounter.New().NewClient(opts)
}

func (pncounter) Check(h history.History, _ workload.Options) workload.Result { return Check(h) }

// Check judges a pn-counter history: see gcounter.CheckPN.
func Check(h history.History) workload.Result { return gcounter.CheckPN(h) }
