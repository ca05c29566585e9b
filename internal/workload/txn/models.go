package txn

import (
	"fmt"
	"slices"
	"strings"

	"github.com/glomers/glomers/internal/workload"
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
	KindG0 = "G0"
	// KindG1a: an aborted read.
	KindG1a = "G1a"
	// KindG1b: an intermediate read.
	KindG1b = "G1b"
	// KindG1c: a cycle of write-write and write-read dependencies with at
	// least one write-read edge (circular information flow).
	KindG1c = "G1c"
	// KindInternal: a read that disagrees with what the same transaction
	// wrote or read before.
	KindInternal = "internal"
	// KindLostUpdate: two committed transactions read the same version of
	// a key and both wrote it.
	KindLostUpdate = "lost-update"
	// KindGSingle: a dependency cycle with exactly one anti-dependency
	// (read-write) edge.
	KindGSingle = "G-single"
	// KindG2: a dependency cycle with more than one anti-dependency edge.
	KindG2 = "G2"
	// The realtime kinds are cycles that need a real-time edge (T1
	// completed before T2 was invoked, so under strict serializability T1
	// precedes T2), named by their other edges as Elle names them: only
	// ww, ww and wr, one rw, more rw.
	KindG0RT      = "G0-realtime"
	KindG1cRT     = "G1c-realtime"
	KindGSingleRT = "G-single-realtime"
	KindG2RT      = "G2-realtime"
)

// Kinds returns the anomaly kinds Check reports with their plain words,
// which the report shows next to each anomaly; they live here so that a
// new kind and its explanation are written together.
func Kinds() map[string]workload.Meaning {
	return map[string]workload.Meaning{
		KindMalformed:       {Title: "A transaction had the wrong shape", Text: "A transaction is a list of [f, key, value] micro-operations, and the reply must echo the request with read values filled in. This one did not."},
		KindGarbage:         {Title: "A read returned a value never written", Text: "A transaction read a value that no transaction ever wrote to that key."},
		KindDuplicate:       {Title: "One value was written twice", Text: "The same value was written to one key twice; the workload writes every value once, so a write was applied again (a retry)."},
		KindFutureRead:      {Title: "A read saw the future", Text: "A transaction read a value before the transaction that wrote it had started."},
		KindCyclicVersions:  {Title: "The order of versions is a cycle", Text: "The versions of a key, as the reads show them, go round in a circle: no single order of writes explains them."},
		KindG0:              {Title: "Write cycle (G0)", Text: "Transactions overwrote each other's writes in a cycle: each key saw the writes in a different order. Even read uncommitted forbids this. Real Maelstrom often misses G0 (the Fly.io 6b page warns of it): its checker infers too few write orders to see most of these cycles, so a run it passes may fail here."},
		KindG1a:             {Title: "Aborted read (G1a)", Text: "A read saw a value written by a transaction (or a send) that failed. Do not expose writes of an operation you report as failed."},
		KindG1b:             {Title: "Intermediate read (G1b)", Text: "A read saw a value that its transaction later overwrote: the intermediate state of another transaction leaked."},
		KindG1c:             {Title: "Circular information flow (G1c)", Text: "Transactions read each other's writes in a cycle: each saw the other's effects. Read committed forbids this."},
		KindInternal:        {Title: "A transaction disagreed with itself", Text: "A read in a transaction did not return what the same transaction wrote or read just before."},
		KindLostUpdate:      {Title: "Lost update", Text: "Two committed transactions read the same version of a key and both wrote it, so one write was lost."},
		KindGSingle:         {Title: "Read skew (G-single)", Text: "A dependency cycle with exactly one anti-dependency: a transaction saw part of another's writes but not the rest."},
		KindG2:              {Title: "Anti-dependency cycle (G2)", Text: "A dependency cycle with two or more anti-dependencies (write skew): each transaction missed the other's writes."},
		KindG0RT:            {Title: "Write cycle through real time (G0-realtime)", Text: "Writes were ordered against a transaction that had completed before they began: under strict serializability (Maelstrom's default model) a transaction takes effect after every one that completed before it was invoked."},
		KindG1cRT:           {Title: "Information flow against real time (G1c-realtime)", Text: "A transaction saw the effects of one that began only after it had completed, or the reads and writes go round against real time. Strict serializability (Maelstrom's default model) forbids it."},
		KindGSingleRT:       {Title: "Stale read (G-single-realtime)", Text: "A transaction missed a write of one that had completed before it began: a stale read, such as reading from a replica that has not heard of the write yet. Strict serializability (Maelstrom's default model) forbids it; serializable and weaker models allow it."},
		KindG2RT:            {Title: "Anti-dependency cycle through real time (G2-realtime)", Text: "Transactions missed each other's writes in a cycle that closes through real time: some began only after another had completed. Strict serializability (Maelstrom's default model) forbids it."},
		"bad-options":       {Title: "The checker's options were wrong", Text: "The options given to the checker (the consistency models) were not valid."},
		"malformed-history": workload.MalformedHistory,
	}
}

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
