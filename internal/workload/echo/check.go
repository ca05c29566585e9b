package echo

import (
	_ "embed"
	"fmt"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/jsonval"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/evidence"
)

// Anomaly kinds the checker reports.
const (
	// KindMismatch: the node answered echo_ok with a different value.
	KindMismatch = "echo-mismatch"
	// KindNotOK: the operation failed or timed out, so nothing was echoed.
	KindNotOK = "echo-not-ok"
	// KindIncomplete: the operation never completed (an interrupted run).
	KindIncomplete = "echo-incomplete"
	// KindMalformedHistory: the history itself is broken (unpaired ops, a
	// value that is not JSON); a harness bug or an edited file.
	KindMalformedHistory = "malformed-history"
)

// kindsDoc says what each kind means, for Kinds.
//
//go:embed kinds.md
var kindsDoc string

// Check judges an echo history: every invocation must complete ok with the
// value it sent. Maelstrom's checker flags the same cases (a fail, an info
// or a missing completion has no echo to match); ours names them apart.
func Check(h history.History) workload.Result {
	res := workload.Result{Validity: workload.Valid}
	pairs, err := h.Pair()
	if err != nil {
		res.Validity = workload.Invalid
		res.Anomalies = []workload.Anomaly{{Kind: KindMalformedHistory, Message: "the history cannot be paired: " + err.Error()}}
		return res
	}
	var col evidence.Collector
	attempts, oks, mismatches := 0, 0, 0
	for i, inv := range h {
		if inv.Type != history.Invoke {
			continue
		}
		attempts++
		j := pairs[i]
		node := inv.Node
		if node == "" && j >= 0 {
			node = h[j].Node
		}
		if node == "" {
			node = "its node"
		}
		sent := jsonval.Short(inv.Value)
		where := fmt.Sprintf("op %d sent %s to %s", i, sent, node)
		if j < 0 {
			col.Add(workload.Anomaly{Kind: KindIncomplete, Message: where + " and never completed", Ops: []int{i}})
			continue
		}
		c := h[j]
		if c.Type != history.OK {
			why := ""
			if c.Error != "" {
				why = " (" + c.Error + ")"
			}
			col.Add(workload.Anomaly{
				Kind:    KindNotOK,
				Message: fmt.Sprintf("%s but nothing was echoed: %s at op %d%s", where, c.Type, j, why),
				Ops:     []int{i, j},
			})
			continue
		}
		oks++
		want, err := jsonval.Canonical(inv.Value)
		if err != nil {
			col.Add(workload.Anomaly{
				Kind:    KindMalformedHistory,
				Message: fmt.Sprintf("op %d: echo value %s is not JSON", i, sent),
				Ops:     []int{i},
			})
			continue
		}
		if got, err := jsonval.Canonical(c.Value); err != nil || got != want {
			mismatches++
			col.Add(workload.Anomaly{
				Kind:    KindMismatch,
				Message: fmt.Sprintf("%s but got back %s (op %d)", where, jsonval.Short(c.Value), j),
				Ops:     []int{i, j},
			})
		}
	}
	res.Anomalies = col.Anomalies()
	if len(res.Anomalies) > 0 {
		res.Validity = workload.Invalid
	}
	res.Metrics = map[string]any{
		"attempt_count":  attempts,
		"ok_count":       oks,
		"mismatch_count": mismatches,
	}
	return res
}
