package txn

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// client sends one transaction per operation. It keeps no state, so it is
// reusable after an indeterminate outcome, as Maelstrom's is.
type client struct{}

type txnRequest struct {
	Type string          `json:"type"`
	Txn  json.RawMessage `json:"txn"`
}

type txnReply struct {
	Txn json.RawMessage `json:"txn"`
}

// Invoke implements workload.Client. No transaction is idempotent: a
// timeout or an indefinite error is info, a definite error (30
// txn-conflict, ...) fail. The reply must be the request with its reads
// filled in: same length, same function and key at every position, writes
// unchanged, reads null or an integer. Maelstrom checks only the shape of
// each micro-op (its issue #14); a reply that does not match is malformed
// here, and so info, with an error the harness reports.
//
// Fail and info completions carry the requested transaction as their
// value, as Jepsen's do; the checker reads writes from the invocation.
func (client) Invoke(ctx context.Context, conn workload.Conn, inv workload.Invocation) workload.Completion {
	req, err := parseTxn(inv.Value)
	if err != nil {
		// Never sent: our own generator built something unusable.
		return workload.Completion{Type: history.Fail, Value: inv.Value, Error: "invalid transaction: " + err.Error()}
	}
	var reply txnReply
	if err := workload.Call(ctx, conn, txnRequest{Type: "txn", Txn: inv.Value}, "txn_ok", &reply); err != nil {
		c := workload.Failed(err, false)
		c.Value = inv.Value
		return c
	}
	got, err := parseTxn(reply.Txn)
	if err == nil {
		err = matchReply(req, got)
	}
	if err != nil {
		c := workload.Failed(&workload.MalformedError{Reply: reply.Txn, Why: err.Error()}, false)
		c.Value = inv.Value
		return c
	}
	return workload.Completion{Type: history.OK, Value: encodeTxn(got)}
}

// matchReply reports how a completed transaction differs from the request.
func matchReply(req, got []mop) error {
	if len(got) != len(req) {
		return fmt.Errorf("txn has %d micro-ops, the request had %d", len(got), len(req))
	}
	for i, q := range req {
		g := got[i]
		switch {
		case g.f != q.f:
			return fmt.Errorf("micro-op %d is %q, the request had %q", i, g.f, q.f)
		case g.key != q.key:
			return fmt.Errorf("micro-op %d is on key %d, the request had key %d", i, g.key, q.key)
		case q.isWrite() && g.value != q.value:
			return fmt.Errorf("micro-op %d writes %d to key %d, the request wrote %d", i, g.value, g.key, q.value)
		}
	}
	return nil
}
