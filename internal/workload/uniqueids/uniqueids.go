// Package uniqueids is Maelstrom's unique-ids workload, the second
// challenge: clients send {"type":"generate"} and every generate_ok id,
// across the whole cluster and the whole run, must be distinct.
//
// Ported from Maelstrom's src/maelstrom/workload/unique_ids.clj (jepsen-io/
// maelstrom cb7f072) and Jepsen's unique-ids checker (jepsen-io/jepsen
// v0.3.7, jepsen/src/jepsen/checker.clj). An id may be any JSON value, and
// ids are compared as values the way Clojure compares them: 1, 1.0 and "1"
// are three different ids, {"a":1,"b":2} and {"b":2,"a":1} the same one.
// Jepsen also reports the [lowest, highest] id; we leave that out, since
// arbitrary JSON values have no order (Jepsen itself gives up, with an
// unknown verdict, on ids of mixed types).
//
// History values: a generate invocation carries none; an ok completion
// carries the id exactly as the node wrote it; fail and info completions
// carry none.
package uniqueids

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/jsonval"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/evidence"
)

// Anomaly kinds the checker reports.
const (
	// KindDuplicate: two or more ok generates returned the same id.
	KindDuplicate = "duplicate-id"
	// KindMalformedHistory: an ok generate whose value is missing or not
	// JSON; the client never records one, so the history was damaged.
	KindMalformedHistory = "malformed-history"
)

// Kinds returns the anomaly kinds Check reports with their plain words,
// which the report shows next to each anomaly; they live here so that a
// new kind and its explanation are written together.
func Kinds() map[string]workload.Meaning {
	return map[string]workload.Meaning{
		KindDuplicate: {Title: "Two generate requests got the same id",
			Text: "Ids must be unique across every node for the whole run, even while the network is partitioned. Two nodes counting from the same start, or a counter read and written without a lock, give out the same id twice; combine something only this node has (its id) with something only this request has (a counter under a lock)."},
		KindMalformedHistory: workload.MalformedHistory,
	}
}

// MaxListed bounds the ids in the "duplicated" metric and the ops one
// anomaly lists; Jepsen keeps the 48 most frequent duplicates.
const MaxListed = 48

type uniqueIDs struct{}

// New returns the unique-ids workload.
func New() workload.Workload { return uniqueIDs{} }

func (uniqueIDs) Name() string                                   { return "unique-ids" }
func (uniqueIDs) Validate(workload.Options) error                { return nil }
func (uniqueIDs) Setup(workload.Options) []workload.SetupRequest { return nil }
func (uniqueIDs) NewGenerator(workload.Options) workload.Generator {
	return generator{}
}

// NewFinalGenerator is nil: unique-ids has no final phase in Maelstrom.
func (uniqueIDs) NewFinalGenerator(workload.Options) workload.Generator { return nil }
func (uniqueIDs) NewClient(workload.Options) workload.Client            { return client{} }

// Reusable is true, as in Maelstrom: a timed-out generate leaves nothing
// behind on the connection that could confuse the next one.
func (uniqueIDs) Reusable() bool { return true }

// Kinds returns the meanings of the anomaly kinds the checker reports.
func (uniqueIDs) Kinds() map[string]workload.Meaning { return Kinds() }

func (uniqueIDs) Check(h history.History, _ workload.Options) workload.Result { return Check(h) }

type generator struct{}

func (generator) Next(int, time.Duration, *rand.Rand) (workload.Invocation, bool) {
	return workload.Invocation{F: "generate"}, true
}

func (generator) Update(int, workload.Invocation, workload.Completion) {}

type client struct{}

type generateRequest struct {
	Type string `json:"type"`
}

func (client) Invoke(ctx context.Context, conn workload.Conn, _ workload.Invocation) workload.Completion {
	var reply struct {
		ID json.RawMessage `json:"id"`
	}
	err := workload.CallChecked(ctx, conn, generateRequest{Type: "generate"}, "generate_ok", &reply, func() error {
		if reply.ID == nil {
			return errors.New(`missing field "id"`)
		}
		return nil
	})
	if err != nil {
		// Not idempotent: a generate that timed out may have used up an id.
		return workload.Failed(err, false)
	}
	return workload.OK(reply.ID)
}

// returned is everything known about one id value.
type returned struct {
	id    string // canonical form
	ops   []int  // ok completions that returned it, at most MaxListed
	count int
	nodes map[string]bool
}

// Check judges a unique-ids history, as Jepsen's unique-ids checker does:
// every id returned by an ok generate must be distinct. Each duplicated id
// is one anomaly listing the operations that returned it.
func Check(h history.History) workload.Result {
	var col evidence.Collector
	attempted, acknowledged := 0, 0
	byID := map[string]*returned{}
	var order []*returned
	for i, op := range h {
		if op.F != "generate" {
			continue
		}
		switch op.Type {
		case history.Invoke:
			attempted++
		case history.OK:
			acknowledged++
			id, err := jsonval.Canonical(op.Value)
			if err != nil {
				col.Add(workload.Anomaly{
					Kind:    KindMalformedHistory,
					Message: fmt.Sprintf("op %d: generate_ok value %s is not a JSON id", i, jsonval.Short(op.Value)),
					Ops:     []int{i},
				})
				continue
			}
			r := byID[id]
			if r == nil {
				r = &returned{id: id, nodes: map[string]bool{}}
				byID[id] = r
				order = append(order, r)
			}
			r.count++
			if len(r.ops) < MaxListed {
				r.ops = append(r.ops, i)
			}
			if op.Node != "" {
				r.nodes[op.Node] = true
			}
		}
	}

	var dups []*returned
	for _, r := range order {
		if r.count > 1 {
			dups = append(dups, r)
			col.Add(workload.Anomaly{Kind: KindDuplicate, Message: describe(r), Ops: r.ops})
		}
	}
	// The metric keeps the most repeated ids, as Jepsen's :duplicated does;
	// ties go to the id returned first.
	top := slices.Clone(dups)
	slices.SortStableFunc(top, func(a, b *returned) int { return b.count - a.count })
	duplicated := map[string]int{}
	for _, r := range top[:min(len(top), MaxListed)] {
		duplicated[r.id] = r.count
	}

	res := workload.Result{
		Validity:  workload.Valid,
		Anomalies: col.Anomalies(),
		Metrics: map[string]any{
			"attempted_count":    attempted,
			"acknowledged_count": acknowledged,
			"duplicated_count":   len(dups),
			"duplicated":         duplicated,
		},
	}
	if len(res.Anomalies) > 0 {
		res.Validity = workload.Invalid
	}
	return res
}

// describe says which operations returned one duplicated id.
func describe(r *returned) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "id %s was returned %d times", jsonval.Short([]byte(r.id)), r.count)
	if len(r.nodes) > 0 {
		nodes := make([]string, 0, len(r.nodes))
		for n := range r.nodes {
			nodes = append(nodes, n)
		}
		slices.Sort(nodes)
		fmt.Fprintf(&sb, ", by %s", strings.Join(nodes, ", "))
	}
	const shown = 8
	sb.WriteString(" (ops ")
	for i, op := range r.ops[:min(len(r.ops), shown)] {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "%d", op)
	}
	if r.count > shown {
		sb.WriteString(", ...")
	}
	sb.WriteString(")")
	return sb.String()
}
