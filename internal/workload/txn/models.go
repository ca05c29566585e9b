package txn

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"github.com/glomers/glomers/internal/workload/txngraph"
)

// Anomaly kinds, as they appear in results. Where Elle has a name for the
// same thing, the kind uses it.
const (
	// KindMalformed: a transaction value that is not a list of
	// [f, key, value] micro-ops, or an ok value that does not match its
	// request.
	KindMalformed = "malformed-txn"
	// KindGarbage: a read of a value no transaction ever wrote.
	KindGarbage = "garbage-read"
	// KindDuplicate: one value written twice to one key.
	KindDuplicate = "duplicate-write"
	// KindFutureRead: a read of a value before it was written, by the
	// reader itself or by a transaction invoked after the reader finished.
	KindFutureRead = "future-read"
	// KindCyclicVersions: the version order inferred for a key is cyclic.
	KindCyclicVersions = "cyclic-versions"
	// KindG0: a write cycle.
	KindG0 = txngraph.KindG0
	// KindG1a: an aborted read.
	KindG1a = "G1a"
	// KindG1b: an intermediate read.
	KindG1b = "G1b"
	// KindG1c: a cycle of write-write and write-read dependencies with at
	// least one write-read edge (circular information flow).
	KindG1c = txngraph.KindG1c
	// KindInternal: a read that disagrees with what the same transaction
	// wrote or read before.
	KindInternal = "internal"
	// KindLostUpdate: two committed transactions read the same version of
	// a key and both wrote it.
	KindLostUpdate = "lost-update"
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

// model is a consistency model the checker accepts.
type model struct {
	name string
	// level is 1 for read uncommitted (Adya PL-1), 2 for read committed
	// (PL-2), 3 for anything stronger: those the checker cannot certify.
	level int
	// adds are the kinds this model forbids beyond read committed that the
	// checker detects.
	adds []string
	// unchecked says what else the model forbids that the checker does
	// not look for or cannot see completely.
	unchecked string
	// realtime: the model orders a transaction after every one that
	// completed before it was invoked (strict serializability).
	realtime bool
}

const partialRW = "anti-dependency (rw) cycles are found only where the inferred version orders reach, so their absence is not shown"

// models lists the accepted names, Elle's friendly names and their Adya
// aliases (elle src/elle/consistency_model.clj), with what each forbids
// among the kinds this checker reports.
var models = map[string]model{
	"read-uncommitted": {name: "read-uncommitted", level: 1},
	"read-committed":   {name: "read-committed", level: 2},
	"repeatable-read": {name: "repeatable-read", level: 3,
		adds:      []string{KindGSingle, KindG2, KindLostUpdate},
		unchecked: partialRW},
	"snapshot-isolation": {name: "snapshot-isolation", level: 3,
		adds:      []string{KindInternal, KindGSingle, KindLostUpdate},
		unchecked: "G-nonadjacent (cycles whose rw edges are never adjacent) is not told apart from G2, which snapshot isolation allows; " + partialRW},
	"serializable": {name: "serializable", level: 3,
		adds:      []string{KindInternal, KindGSingle, KindG2, KindLostUpdate},
		unchecked: partialRW},
	"strict-serializable": {name: "strict-serializable", level: 3, realtime: true,
		adds:      []string{KindInternal, KindGSingle, KindG2, KindLostUpdate, KindG0RT, KindG1cRT, KindGSingleRT, KindG2RT},
		unchecked: partialRW},
}

// aliases maps other accepted names to models.
var aliases = map[string]string{
	"PL-1":                  "read-uncommitted",
	"PL-2":                  "read-committed",
	"PL-2.99":               "repeatable-read",
	"PL-SI":                 "snapshot-isolation",
	"PL-3":                  "serializable",
	"conflict-serializable": "serializable",
	"PL-SS":                 "strict-serializable",
	"strong-serializable":   "strict-serializable",
}

// DefaultModel is Maelstrom's default for --consistency-models.
const DefaultModel = "strict-serializable"

// Models returns the model names --consistency-models accepts, sorted.
func Models() []string {
	var names []string
	for n := range models {
		names = append(names, n)
	}
	for n := range aliases {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func lookupModel(name string) (model, bool) {
	if a, ok := aliases[name]; ok {
		name = a
	}
	m, ok := models[name]
	return m, ok
}

// policy is what a set of models asks of the checker.
type policy struct {
	models []model
	level  int
	// failing are the kinds that make the history invalid.
	failing map[string]bool
	// realtime: some model is strict serializability, so real-time order
	// joins the dependency graph.
	realtime bool
}

func newPolicy(names []string) (policy, error) {
	if len(names) == 0 {
		names = []string{DefaultModel}
	}
	p := policy{failing: map[string]bool{}}
	for _, n := range names {
		m, ok := lookupModel(strings.TrimSpace(n))
		if !ok {
			return policy{}, fmt.Errorf("--consistency-models: unknown model %q (known: %s)", n, strings.Join(Models(), ", "))
		}
		p.models = append(p.models, m)
		p.level = max(p.level, m.level)
		p.realtime = p.realtime || m.realtime
		for _, k := range m.adds {
			p.failing[k] = true
		}
	}
	for _, k := range uncommittedKinds {
		p.failing[k] = true
	}
	if p.level >= 2 {
		for _, k := range committedKinds {
			p.failing[k] = true
		}
	}
	return p, nil
}

// names lists the models as given, for messages.
func (p policy) names() string {
	var s []string
	for _, m := range p.models {
		s = append(s, m.name)
	}
	return strings.Join(s, ", ")
}
