package txn

import (
	_ "embed"

	"github.com/glomers/glomers/internal/workload/txngraph"
)

// Anomaly kinds, as they appear in results. Where Elle has a name for the
// same thing, the kind uses it.
const (
	// KindMalformed: a transaction value that is not a list of
	// [f, key, value] micro-ops, or an ok value that does not match its
	// request.
	KindMalformed = txngraph.KindMalformed
	// KindGarbage: a read of a value no transaction ever wrote.
	KindGarbage = txngraph.KindGarbage
	// KindDuplicate: one value written twice to one key.
	KindDuplicate = "duplicate-write"
	// KindFutureRead: a read of a value before it was written, by the
	// reader itself or by a transaction invoked after the reader finished.
	KindFutureRead = txngraph.KindFutureRead
	// KindCyclicVersions: the version order inferred for a key is cyclic.
	KindCyclicVersions = "cyclic-versions"
	// KindG0: a write cycle.
	KindG0 = txngraph.KindG0
	// KindG1a: an aborted read.
	KindG1a = txngraph.KindG1a
	// KindG1b: an intermediate read.
	KindG1b = txngraph.KindG1b
	// KindG1c: a cycle of write-write and write-read dependencies with at
	// least one write-read edge (circular information flow).
	KindG1c = txngraph.KindG1c
	// KindInternal: a read that disagrees with what the same transaction
	// wrote or read before.
	KindInternal = txngraph.KindInternal
	// KindLostUpdate: two committed transactions read the same version of
	// a key and both wrote it.
	KindLostUpdate = txngraph.KindLostUpdate
	// KindGSingle: a dependency cycle with exactly one anti-dependency
	// (read-write) edge.
	KindGSingle = txngraph.KindGSingle
	// KindG2: a dependency cycle with more than one anti-dependency edge.
	KindG2 = txngraph.KindG2
	// The realtime kinds are cycles that need a real-time edge (T1
	// completed before T2 was invoked, so under strict serializability T1
	// precedes T2), named by their other edges as Elle names them: only
	// ww, ww and wr, one rw, more rw.
	KindG0RT      = txngraph.KindG0RT
	KindG1cRT     = txngraph.KindG1cRT
	KindGSingleRT = txngraph.KindGSingleRT
	KindG2RT      = txngraph.KindG2RT
)

// kindsDoc says what each kind means, for Kinds.
//
//go:embed kinds.md
var kindsDoc string

// kindOrder is the order in which results list kinds: the most basic
// breakage first.
var kindOrder = []string{
	KindMalformed, KindGarbage, KindDuplicate, KindFutureRead, KindCyclicVersions,
	KindG0, KindG1a, KindG1b, KindG1c, KindInternal, KindLostUpdate, KindGSingle, KindG2,
	KindG0RT, KindG1cRT, KindGSingleRT, KindG2RT,
}

// Kinds every model forbids: values that cannot exist in any execution of
// a register store, and G0, which even read uncommitted prohibits.
var uncommittedKinds = []string{KindMalformed, KindGarbage, KindDuplicate, KindFutureRead, KindCyclicVersions, KindG0}

// Kinds read committed adds (Adya's G1).
var committedKinds = []string{KindG1a, KindG1b, KindG1c}

// strong says, for each model stronger than read committed, the kinds it
// forbids that the checker detects (adds) and what else it forbids that
// the checker does not look for or cannot see completely (unchecked).
type strongModel struct {
	adds      []string
	unchecked string
}

const partialRW = "anti-dependency (rw) cycles are found only where the inferred version orders reach, so their absence is not shown"

// strong follows Elle's consistency-model graph
// (elle src/elle/consistency_model.clj), among the kinds this checker
// reports.
var strong = map[string]strongModel{
	"repeatable-read": {
		adds:      []string{KindGSingle, KindG2, KindLostUpdate},
		unchecked: partialRW},
	"snapshot-isolation": {
		adds:      []string{KindInternal, KindGSingle, KindLostUpdate},
		unchecked: "G-nonadjacent (cycles whose rw edges are never adjacent) is not told apart from G2, which snapshot isolation allows; " + partialRW},
	"serializable": {
		adds:      []string{KindInternal, KindGSingle, KindG2, KindLostUpdate},
		unchecked: partialRW},
	"strict-serializable": {
		adds:      []string{KindInternal, KindGSingle, KindG2, KindLostUpdate, KindG0RT, KindG1cRT, KindGSingleRT, KindG2RT},
		unchecked: partialRW},
}

// DefaultModel is Maelstrom's default for --consistency-models.
const DefaultModel = txngraph.DefaultModel

// Models returns the model names --consistency-models accepts, sorted.
func Models() []string { return txngraph.ModelNames() }

// policy is what a set of models asks of the checker.
type policy = txngraph.Policy

// forbidden says which kinds each model forbids.
var forbidden = txngraph.Forbidden{
	Uncommitted: uncommittedKinds,
	Committed:   committedKinds,
	Stronger:    func(m txngraph.Model) []string { return strong[m.Name].adds },
}

func newPolicy(names []string) (policy, error) { return txngraph.NewPolicy(names, forbidden) }
