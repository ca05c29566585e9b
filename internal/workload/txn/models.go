package txn

import (
	_ "embed"

	"github.com/glomers/glomers/internal/workload/txngraph"
)

// Anomaly kinds of the register workload's own, as they appear in
// results; the others (malformed-txn, garbage-read, future-read,
// internal, lost-update, G1a, G1b and the cycles) are txngraph's. Where
// Elle has a name for the same thing, the kind uses it.
const (
	// KindDuplicate: one value written twice to one key.
	KindDuplicate = "duplicate-write"
	// KindCyclicVersions: the version order inferred for a key is cyclic.
	KindCyclicVersions = "cyclic-versions"
)

// kindsDoc says what each kind means, for Kinds.
//
//go:embed kinds.md
var kindsDoc string

// kindOrder is the order in which results list kinds: the most basic
// breakage first.
var kindOrder = []string{
	txngraph.KindMalformed, txngraph.KindGarbage, KindDuplicate, txngraph.KindFutureRead, KindCyclicVersions,
	txngraph.KindG0, txngraph.KindG1a, txngraph.KindG1b, txngraph.KindG1c, txngraph.KindInternal, txngraph.KindLostUpdate, txngraph.KindGSingle, txngraph.KindG2,
	txngraph.KindG0RT, txngraph.KindG1cRT, txngraph.KindGSingleRT, txngraph.KindG2RT,
}

// Kinds every model forbids: values that cannot exist in any execution of
// a register store, and G0, which even read uncommitted prohibits.
var uncommittedKinds = []string{txngraph.KindMalformed, txngraph.KindGarbage, KindDuplicate, txngraph.KindFutureRead, KindCyclicVersions, txngraph.KindG0}

// Kinds read committed adds (Adya's G1).
var committedKinds = []string{txngraph.KindG1a, txngraph.KindG1b, txngraph.KindG1c}

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
		adds:      []string{txngraph.KindGSingle, txngraph.KindG2, txngraph.KindLostUpdate},
		unchecked: partialRW},
	"snapshot-isolation": {
		adds:      []string{txngraph.KindInternal, txngraph.KindGSingle, txngraph.KindLostUpdate},
		unchecked: "G-nonadjacent (cycles whose rw edges are never adjacent) is not told apart from G2, which snapshot isolation allows; " + partialRW},
	"serializable": {
		adds:      []string{txngraph.KindInternal, txngraph.KindGSingle, txngraph.KindG2, txngraph.KindLostUpdate},
		unchecked: partialRW},
	"strict-serializable": {
		adds:      []string{txngraph.KindInternal, txngraph.KindGSingle, txngraph.KindG2, txngraph.KindLostUpdate, txngraph.KindG0RT, txngraph.KindG1cRT, txngraph.KindGSingleRT, txngraph.KindG2RT},
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
