// Package workload defines what a Maelstrom workload is to the harness: a
// generator of client operations, a client that turns an operation into RPCs
// against one node, and a checker that judges the recorded history.
//
// Workloads live in subpackages (echo, uniqueids, broadcast, gcounter,
// kafka, txn, gset, pncounter, linkv); package registry lists them. A
// workload never starts processes, reads clocks or touches the network:
// the harness hands it a Conn, the current run time and a seeded random
// source. Checkers are pure functions of a history and the options, so
// they are tested on small hand-written histories.
package workload

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/glomers/glomers/internal/history"
)

// Options are the workload-relevant settings of a run, already validated.
// Field comments give Maelstrom's flag and default.
type Options struct {
	// Nodes are the server ids, n0..n{N-1} (--node-count).
	Nodes []string
	// Concurrency is the number of worker threads (--concurrency, default
	// one per node). Thread t is bound to Nodes[t % len(Nodes)].
	Concurrency int
	// Rate is the target rate of client operations per second over all
	// threads (--rate, default 5).
	Rate float64
	// TimeLimit is the length of the main phase (--time-limit, default 60 s).
	TimeLimit time.Duration
	// Latency is the mean server-to-server latency (--latency, default 0).
	Latency time.Duration
	// Topology is the broadcast topology name (--topology, default grid).
	Topology string
	// KeyCount is the number of active keys (--key-count, default 10).
	KeyCount int
	// MaxTxnLength bounds the micro-operations per transaction
	// (--max-txn-length, default 4).
	MaxTxnLength int
	// MaxWritesPerKey bounds writes to one key before it is retired
	// (--max-writes-per-key, default 16).
	MaxWritesPerKey int
	// ConsistencyModels are the models the txn checker enforces
	// (--consistency-models, default strict-serializable).
	ConsistencyModels []string
}

// Workload is one of Maelstrom's workloads.
type Workload interface {
	// Name is Maelstrom's name for the workload: "echo", "broadcast", ...
	Name() string
	// Validate rejects options the workload cannot run with, naming the
	// flag ("--key-count must be at least 1").
	Validate(opts Options) error
	// Setup lists the requests sent once to each node after init and before
	// any client operation (broadcast's topology). A setup request that is
	// not answered with its Reply type aborts the run.
	Setup(opts Options) []SetupRequest
	// NewGenerator returns the main-phase generator.
	NewGenerator(opts Options) Generator
	// NewFinalGenerator returns the final-phase generator, or nil when the
	// workload has no final phase. Before it runs, the harness heals the
	// network and waits for recovery.
	NewFinalGenerator(opts Options) Generator
	// NewClient returns a client for one connection. The harness opens a
	// new client, with a new client id, after an info completion unless
	// Reusable says otherwise.
	NewClient(opts Options) Client
	// Reusable reports whether a client survives an info completion (as in
	// Maelstrom: unique-ids, lin-kv and txn clients do).
	Reusable() bool
	// Check judges a complete history. It must not panic, whatever the
	// history holds: a malformed value is itself an anomaly.
	Check(h history.History, opts Options) Result
}

// SetupRequest is one request of a workload's setup phase.
type SetupRequest struct {
	Node  string
	Body  any
	Reply string
}

// Invocation is an operation a generator asks a thread to perform.
type Invocation struct {
	F     string
	Value json.RawMessage
	// Final marks final-phase operations.
	Final bool
	// Delay asks the harness to wait this long before invoking; only final
	// generators use it (the main phase is paced by --rate).
	Delay time.Duration
}

// Generator produces operations. The harness calls it from one goroutine.
//
// In the main phase the harness paces operations at --rate and, whenever it
// is time for one, asks Next for an idle thread. In the final phase each
// thread calls Next until it returns false.
type Generator interface {
	// Next returns the next operation for thread, or false when thread has
	// no more operations in this phase. now is the time since the run
	// started; rnd is the run's seeded source for generated values.
	Next(thread int, now time.Duration, rnd *rand.Rand) (Invocation, bool)
	// Update reports the completion of an operation Next returned.
	Update(thread int, inv Invocation, c Completion)
}

// FinalReads returns the final-phase generator of the workloads whose
// final phase is one read per thread (broadcast, g-counter): Jepsen's
// (gen/each-thread {:f :read, :final? true}).
func FinalReads() Generator { return &finalReads{done: map[int]bool{}} }

type finalReads struct {
	mu   sync.Mutex
	done map[int]bool
}

func (g *finalReads) Next(thread int, _ time.Duration, _ *rand.Rand) (Invocation, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.done[thread] {
		return Invocation{}, false
	}
	g.done[thread] = true
	return Invocation{F: "read", Final: true}, true
}

func (g *finalReads) Update(int, Invocation, Completion) {}

// Completion is the outcome of an operation.
type Completion struct {
	Type  history.Type
	Value json.RawMessage
	// Error says why a fail or info did not succeed.
	Error string
}

// Client performs operations over one connection to one node. A client is
// used by one thread at a time and may keep state between operations (the
// kafka client remembers offsets).
type Client interface {
	// Invoke performs inv and returns its completion. It never blocks for
	// longer than conn's RPC timeout per request, and returns an info
	// completion if ctx ends first.
	Invoke(ctx context.Context, conn Conn, inv Invocation) Completion
}

// Conn is a client's connection to its node, provided by the harness.
type Conn interface {
	// RPC sends body to the client's node with a fresh msg_id and waits for
	// the reply with that in_reply_to. It returns the reply body, or
	// ErrTimeout when none came within the RPC timeout (or ctx ended).
	RPC(ctx context.Context, body any) (json.RawMessage, error)
	// Node is the id of the node this connection talks to.
	Node() string
}

// Validity is a checker's verdict.
type Validity string

// Verdicts. Unknown means the history held too little to judge (a
// broadcast run where no value was ever read): not a pass.
const (
	Valid   Validity = "valid"
	Invalid Validity = "invalid"
	Unknown Validity = "unknown"
)

// Result is a checker's verdict with the evidence behind it.
type Result struct {
	Validity Validity
	// Anomalies are the problems that make the history invalid.
	Anomalies []Anomaly
	// Notes are observations that do not fail the run (stale reads, an
	// anomaly the chosen consistency model allows).
	Notes []Anomaly
	// Metrics are workload figures for the report, JSON-encodable
	// (attempt_count, lost_count, ...).
	Metrics map[string]any
	// StableLatency is broadcast's stable-latency distribution, in ms.
	StableLatency *Quantiles
	// MaelstromValidity is the verdict real Maelstrom's checker would give:
	// the verdict with the Strict anomalies ignored. Empty means the same
	// as Validity (the checker has no strict rule, or none fired).
	MaelstromValidity Validity
}

// Maelstrom returns the verdict real Maelstrom's checker gives the history.
func (r Result) Maelstrom() Validity {
	if r.MaelstromValidity == "" {
		return r.Validity
	}
	return r.MaelstromValidity
}

// StrictRules name, per workload, the anomaly kinds the course fails a run
// for that real Maelstrom does not catch, each with why the course asks
// it. Such anomalies carry Strict; a checker that reports one also sets
// MaelstromValidity to what it would say without them.
// The rules under "" hold for every workload.
var StrictRules = map[string]map[string]string{
	"": {
		"protocol": "a node wrote something other than a well-formed message to stdout (or sent one to nobody); real Maelstrom logs the line, " +
			"stops reading that node and judges the rest, which often passes, but the bad line is a bug and the course stops there to name it",
		"malformed-reply": "a reply did not match the workload's reply format (a missing, extra or mistyped field, the wrong type); real Maelstrom's client throws, " +
			"records the operation as indeterminate and judges the rest, which often passes, but a client cannot use such a reply",
		"unexpected-reply": "a node sent a client a message whose in_reply_to names no request the client made (or has none); real Maelstrom's client skips it, " +
			"as it skips a late reply, and the request it waits for times out, but a reply the client cannot match is a bug",
	},
	"txn-rw-register": {
		"garbage-read": "a read returned a value no transaction wrote (often Go's zero value for a key never written, where the protocol asks for null); " +
			"Elle, Maelstrom's checker, ignores values nobody wrote, so it misses this, but a client cannot tell such a 0 from a written one",
	},
	"kafka": {
		"poll-skip": "a client's poll of a key skipped messages after an earlier poll had returned an empty list for it; Jepsen's kafka checker forgets " +
			"the client's position at an empty list, so Maelstrom misses it, but the client's next poll did start where it had left off",
		"nonmonotonic-poll": "a client's poll of a key went back after an earlier poll had returned an empty list for it; Jepsen's kafka checker forgets " +
			"the client's position at an empty list, so Maelstrom misses it",
	},
	"lin-kv": {
		"null-read": "a read returned null for a key an acknowledged write had already set; Knossos's cas-register model, Maelstrom's checker, " +
			"takes a null read for one that read nothing and accepts it whatever the key holds, so Maelstrom passes even a node that answers every read with null",
	},
	"g-counter": {
		"read-exceeds-adds": counterBounds,
		"negative-read":     counterBounds,
	},
	"pn-counter": {
		"read-exceeds-adds": counterBounds,
		"read-below-adds":   counterBounds,
	},
	"g-set": {
		"duplicate": "a read listed the same element more than once; Jepsen's set-full checker means to fail this " +
			"but its duplicate test never fires (the comparison is reversed), so Maelstrom misses it, while the read still reports a set that was never built",
		"unexpected": "a read returned an element no client had added; Jepsen's set-full checker ignores such values, " +
			"but a node that invents elements is broken",
	},
	"broadcast": {
		"duplicate": "a read listed the same message more than once; Jepsen's set-full checker means to fail this " +
			"but its duplicate test never fires (the comparison is reversed), so Maelstrom misses it, while the read still reports a set that was never broadcast",
		"unexpected": "a read returned a message no client had broadcast by then; Jepsen's set-full checker ignores such values, " +
			"but a node that invents messages is broken",
	},
}

// counterBounds is why the counters' checker fails a read no sum of the
// adds invoked so far could make.
const counterBounds = "a read returned a count that no subset of the adds invoked before it completed sums to; " +
	"Maelstrom's counter checker looks only at the final reads, but a node that reports such a count, even for a moment, counted something twice or invented it"

// StrictRule returns why the course fails a run for kind in workload when
// real Maelstrom does not, or "" when Maelstrom does too.
func StrictRule(workload, kind string) string {
	if why, ok := StrictRules[workload][kind]; ok {
		return why
	}
	return StrictRules[""][kind]
}

// MarkStrict flags the anomalies of res that workload's StrictRules name
// and returns whether any non-strict anomaly remains.
func MarkStrict(workload string, as []Anomaly) (others bool) {
	for i := range as {
		if StrictRule(workload, as[i].Kind) != "" {
			as[i].Strict = true
		} else {
			others = true
		}
	}
	return others
}

// Anomaly is one kind of problem with the operations that show it.
type Anomaly struct {
	// Kind is a short stable name: "lost", "duplicate-id", "G1a", ...
	Kind string `json:"kind"`
	// Message says what happened in plain words, naming values and
	// operations: "value 17 was acknowledged at op 40 but missing from
	// every read from op 88 on".
	Message string `json:"message"`
	// Ops are history indexes of the operations that show the anomaly.
	Ops []int `json:"ops,omitempty"`
	// Strict marks a rule the course adds to Maelstrom's (StrictRules):
	// real Maelstrom would accept a run with only such anomalies.
	Strict bool `json:"strict,omitempty"`
	// More, when set, makes this entry a summary: it stands for More
	// further anomalies of Kind that were counted but not listed one by
	// one (package evidence), and Ops holds some of their operations.
	More int `json:"more,omitempty"`
}

// Count is how many anomalies the entry stands for: More for a summary,
// else one.
func (a Anomaly) Count() int {
	if a.More > 0 {
		return a.More
	}
	return 1
}

// Meaning is what an anomaly kind says about a node, in plain words: a
// title, and a paragraph on what happened and its usual cause. Each
// workload package lists its kinds' meanings (its Kinds function) beside
// the kinds themselves; the report shows them.
type Meaning struct {
	Title string
	Text  string
}

// KindLister is a workload that says what its anomaly kinds mean. Every
// workload in package registry is one; a test double need not be.
type KindLister interface {
	// Kinds returns the meaning of every kind the workload's checker
	// reports, keyed by kind.
	Kinds() map[string]Meaning
}

// MalformedHistory and MalformedOp are the meanings of the kinds every
// checker that decodes operations shares: "malformed-history" and
// "malformed-op".
var (
	MalformedHistory = Meaning{Title: "The history could not be read",
		Text: "Operations in the history do not pair up or hold values of the wrong shape. The client never records such operations, so the history file was damaged or edited."}
	MalformedOp = Meaning{Title: "An operation had the wrong shape",
		Text: "An operation's value is not what the client records: usually a reply field of the wrong type (a string where a number belongs)."}
)

// shared are the meanings a kinds document may take without words of its
// own.
var shared = map[string]Meaning{"malformed-history": MalformedHistory, "malformed-op": MalformedOp}

// ParseKinds reads a workload's kinds document (its kinds.md): text before
// the first "## " heading is ignored; each heading names a kind, the next
// line is its title and the lines after it, joined by spaces, its text. A
// heading with nothing under it takes the shared meaning of its kind
// (MalformedHistory, MalformedOp). The documents are compiled in, so a
// malformed one is a bug that the workloads' tests catch: ParseKinds
// panics, naming the kind.
func ParseKinds(doc string) map[string]Meaning {
	out := map[string]Meaning{}
	sections := strings.Split("\n"+doc, "\n## ")
	for _, sec := range sections[1:] {
		kind, body, _ := strings.Cut(sec, "\n")
		kind = strings.TrimSpace(kind)
		title, text, _ := strings.Cut(strings.TrimSpace(body), "\n")
		text = strings.Join(strings.Fields(text), " ")
		switch m, ok := shared[kind]; {
		case title == "" && ok:
			out[kind] = m
		case title == "" || text == "":
			panic(fmt.Sprintf("workload: kinds document: kind %q has no title or no text", kind))
		default:
			out[kind] = Meaning{Title: strings.TrimSpace(title), Text: text}
		}
	}
	return out
}

// Quantiles summarise a distribution in milliseconds, as Jepsen does: the
// element at index min(n-1, floor(n*q)) of the sorted values.
type Quantiles struct {
	Min    float64 `json:"min"`
	Median float64 `json:"median"`
	P95    float64 `json:"p95"`
	P99    float64 `json:"p99"`
	Max    float64 `json:"max"`
	Count  int     `json:"count"`
}
