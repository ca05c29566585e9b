package linkv

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// client turns an operation into one RPC, as Maelstrom's lin-kv client
// does. It keeps no state, so it is reusable after an indeterminate
// outcome.
type client struct{}

type readRequest struct {
	Type string `json:"type"`
	Key  int64  `json:"key"`
}

type writeRequest struct {
	Type  string `json:"type"`
	Key   int64  `json:"key"`
	Value int64  `json:"value"`
}

type casRequest struct {
	Type string `json:"type"`
	Key  int64  `json:"key"`
	From int64  `json:"from"`
	To   int64  `json:"to"`
}

type readReply struct {
	Value json.RawMessage `json:"value"`
}

// Invoke implements workload.Client. The operation's value is Jepsen's
// independent tuple: [key, null] for a read (and [key, value] when it
// completes ok), [key, value] for a write, [key, [from, to]] for a cas.
// Reads change nothing, so a read that times out fails (Maelstrom's
// with-errors, idempotent for :read); a write or cas that times out, or
// gets an error that is not definite, is info: it may have happened.
// Definite errors (20 key-does-not-exist, 22 precondition-failed, 11
// temporarily-unavailable, ...) fail.
func (client) Invoke(ctx context.Context, conn workload.Conn, inv workload.Invocation) workload.Completion {
	op, err := decodeInvocation(inv.F, inv.Value)
	if err != nil {
		// Never sent: our own generator built something unusable.
		return workload.Completion{Type: history.Fail, Value: inv.Value, Error: "invalid operation: " + err.Error()}
	}
	failed := func(err error) workload.Completion {
		c := workload.Failed(err, inv.F == "read")
		c.Value = inv.Value
		return c
	}
	switch inv.F {
	case "read":
		var r readReply
		err := workload.CallChecked(ctx, conn, readRequest{Type: "read", Key: op.key}, "read_ok", &r, func() error {
			if r.Value == nil {
				return errors.New("no value field")
			}
			return nil
		})
		if err != nil {
			return failed(err)
		}
		return workload.Completion{Type: history.OK, Value: history.Value([]any{op.key, r.Value})}
	case "write":
		if err := workload.Call(ctx, conn, writeRequest{Type: "write", Key: op.key, Value: op.value}, "write_ok", nil); err != nil {
			return failed(err)
		}
	default:
		if err := workload.Call(ctx, conn, casRequest{Type: "cas", Key: op.key, From: op.from, To: op.to}, "cas_ok", nil); err != nil {
			return failed(err)
		}
	}
	return workload.Completion{Type: history.OK, Value: inv.Value}
}

// invocation is a generated operation, decoded.
type invocation struct {
	key             int64
	value, from, to int64
}

// decodeInvocation reads the tuple the generator writes for f.
func decodeInvocation(f string, raw json.RawMessage) (invocation, error) {
	var tuple []json.RawMessage
	if err := json.Unmarshal(raw, &tuple); err != nil || len(tuple) != 2 {
		return invocation{}, fmt.Errorf("value %s is not a [key, value] pair", raw)
	}
	var op invocation
	if err := json.Unmarshal(tuple[0], &op.key); err != nil {
		return invocation{}, fmt.Errorf("key %s is not an integer", tuple[0])
	}
	switch f {
	case "read":
	case "write":
		if err := json.Unmarshal(tuple[1], &op.value); err != nil {
			return invocation{}, fmt.Errorf("write value %s is not an integer", tuple[1])
		}
	case "cas":
		var ft []int64
		if err := json.Unmarshal(tuple[1], &ft); err != nil || len(ft) != 2 {
			return invocation{}, fmt.Errorf("cas value %s is not [from, to]", tuple[1])
		}
		op.from, op.to = ft[0], ft[1]
	default:
		return invocation{}, fmt.Errorf("unknown function %q", f)
	}
	return op, nil
}
