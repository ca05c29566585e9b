package raftread

import (
	"encoding/json"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// op is a client's request, as lin-kv's clients send it: read a key,
// write a value, or compare-and-swap from one value to another.
type op struct {
	Type  string `json:"type"`
	Key   any    `json:"key"`
	Value any    `json:"value,omitempty"`
	From  any    `json:"from,omitempty"`
	To    any    `json:"to,omitempty"`
}

// kv is the state machine Raft keeps consistent: a map from keys to
// values. Keys arrive as JSON numbers or strings; they are kept as their
// JSON text, so that 1 and "1" stay two keys.
type kv map[string]any

// apply performs one operation and returns the body of its reply, or an
// error with lin-kv's codes: 20 when a read or a compare-and-swap finds no
// key, 22 when a compare-and-swap finds another value. A failed
// compare-and-swap changes nothing.
func (m kv) apply(o op) (map[string]any, error) {
	k := keyOf(o.Key)
	cur, ok := m[k]
	switch o.Type {
	case "read":
		if !ok {
			return nil, maelstrom.NewRPCError(maelstrom.KeyDoesNotExist, "no key "+k)
		}
		return map[string]any{"type": "read_ok", "value": cur}, nil
	case "write":
		m[k] = o.Value
		return map[string]any{"type": "write_ok"}, nil
	case "cas":
		if !ok {
			return nil, maelstrom.NewRPCError(maelstrom.KeyDoesNotExist, "no key "+k)
		}
		if keyOf(cur) != keyOf(o.From) {
			return nil, maelstrom.NewRPCError(maelstrom.PreconditionFailed, "expected "+keyOf(o.From)+", had "+keyOf(cur))
		}
		m[k] = o.To
		return map[string]any{"type": "cas_ok"}, nil
	}
	return nil, maelstrom.NewRPCError(maelstrom.NotSupported, "unknown operation "+o.Type)
}

// keyOf is a value's JSON text, which identifies keys and compares
// values.
func keyOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
