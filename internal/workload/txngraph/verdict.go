package txngraph

import (
	"fmt"
	"slices"
	"strings"

	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/evidence"
)

// MaxShown bounds how many cases of one kind a result lists (the smallest
// first); the rest are counted in the metrics and in the last shown case.
const MaxShown = 8

// Case is one instance of an anomaly, before it becomes a
// workload.Anomaly.
type Case struct {
	Msg string
	// Render builds Msg when it is needed: cycles are many and costly to
	// describe, and only a few are shown.
	Render func() string
	Ops    []int
	Size   int // for ordering: smaller cycles first
}

// Verdict turns a checker's cases, listed in order of kinds, into a
// result: kinds the policy forbids are anomalies, the others notes
// marked with the models that allow them; extra notes follow. The
// verdict is unknown when no transaction committed (okCount 0), invalid
// when an anomaly was found (for Maelstrom too unless every anomaly is
// one of the workload's strict rules), valid otherwise, as Elle's is.
// Counts of every kind go into metrics as anomaly_counts.
func Verdict(name string, cases map[string][]Case, order []string, pol Policy, okCount int, extra []workload.Anomaly, metrics map[string]any) workload.Result {
	res := workload.Result{Metrics: metrics}
	ev := evidence.Collector{Limit: MaxShown}
	for _, kind := range order {
		cs := cases[kind]
		slices.SortStableFunc(cs, func(a, b Case) int {
			if a.Size != b.Size {
				return a.Size - b.Size
			}
			return firstOp(a) - firstOp(b)
		})
		for _, a := range cs {
			an := workload.Anomaly{Kind: kind, Message: a.Msg, Ops: a.Ops}
			if a.Render != nil && !ev.Full(kind) {
				an.Message = a.Render()
			}
			ev.Add(an)
		}
	}
	for _, an := range ev.Summarize(ev.Kept()) {
		if pol.Failing[an.Kind] {
			res.Anomalies = append(res.Anomalies, an)
		} else {
			an.Message += fmt.Sprintf(" [allowed by %s]", pol.Names())
			res.Notes = append(res.Notes, an)
		}
	}
	res.Notes = append(res.Notes, extra...)
	if counts := ev.Counts(); counts != nil {
		metrics["anomaly_counts"] = counts
	}
	lax := workload.Valid
	if okCount == 0 {
		lax = workload.Unknown
		res.Notes = append(res.Notes, workload.Anomaly{Kind: "no-transactions", Message: "no transaction completed ok, so there is nothing to judge"})
	}
	res.Validity, res.MaelstromValidity = lax, lax
	if len(res.Anomalies) > 0 {
		res.Validity = workload.Invalid
		if workload.MarkStrict(name, res.Anomalies) {
			res.MaelstromValidity = workload.Invalid
		}
	}
	return res
}

func firstOp(a Case) int {
	if len(a.Ops) == 0 {
		return -1
	}
	return a.Ops[0]
}

// Step is one dependency of a cycle: the transactions it relates, its
// kind (ww, wr, rw or rt, from its first edge) and the reasons of its
// edges, in order.
type Step struct {
	From, To int32
	Dep      string
	Why      []int32
}

// Steps splits a cycle found by FindCycles into its dependencies.
func Steps(g *Graph, path []int32) []Step {
	var steps []Step
	cur := Step{From: g.EdgeSource(path[0])}
	for _, e := range path {
		if cur.Dep == "" {
			switch g.Kind[e] {
			case EdgeWW:
				cur.Dep = "ww"
			case EdgeWR:
				cur.Dep = "wr"
			case EdgeRW:
				cur.Dep = "rw"
			case EdgeRT:
				cur.Dep = "rt"
			}
		}
		if w := g.Why[e]; w >= 0 {
			cur.Why = append(cur.Why, w)
		}
		if to := g.To[e]; g.NK[to] == NodeTxn {
			cur.To = to
			steps = append(steps, cur)
			cur = Step{From: to}
		}
	}
	return steps
}

// Outline is a cycle's first sentence: "cycle of 2 transactions: T1 -ww->
// T2 -rw-> T1. ", with name naming each transaction briefly.
func Outline(steps []Step, name func(t int32) string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "cycle of %d transactions: ", len(steps))
	for i, st := range steps {
		if i == 0 {
			sb.WriteString(name(st.From))
		}
		fmt.Fprintf(&sb, " -%s-> %s", st.Dep, name(st.To))
	}
	sb.WriteString(". ")
	return sb.String()
}

// CycleOps lists the history indexes of a cycle's transactions, from the
// first: op gives a transaction's.
func CycleOps(g *Graph, path []int32, op func(t int32) int) []int {
	var ops []int
	for _, e := range path {
		if to := g.To[e]; g.NK[to] == NodeTxn {
			ops = append(ops, op(to))
		}
	}
	// The path ends where it began: list the start first.
	return append(ops[len(ops)-1:], ops[:len(ops)-1]...)
}
