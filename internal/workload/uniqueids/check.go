package uniqueids

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

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

// kindsDoc says what each kind means, for Kinds.
//
//go:embed kinds.md
var kindsDoc string

// MaxListed bounds the ids in the "duplicated" metric and the ops one
// anomaly lists; Jepsen keeps the 48 most frequent duplicates.
const MaxListed = 48

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
