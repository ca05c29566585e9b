// Command linkv-lost-writes keeps every key in a local map, which is
// linearizable on one node, but acknowledges every fourth write without
// applying it. A later read still sees the value from before that write,
// which had completed: the lin-kv checker must report nonlinearizable.
// Deterministic: the node drops writes by count. Run it with
// --node-count 1 (each node has its own map).
package main

import (
	"encoding/json"
	"log"
	"sync"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

func main() {
	n := maelstrom.NewNode()
	var mu sync.Mutex
	values := map[string]json.RawMessage{}
	writes := 0
	type request struct {
		Key   json.RawMessage `json:"key"`
		Value json.RawMessage `json:"value"`
		From  json.RawMessage `json:"from"`
		To    json.RawMessage `json:"to"`
	}
	parse := func(msg maelstrom.Message) (request, error) {
		var r request
		err := json.Unmarshal(msg.Body, &r)
		return r, err
	}
	n.Handle("read", func(msg maelstrom.Message) error {
		r, err := parse(msg)
		if err != nil {
			return err
		}
		mu.Lock()
		v, ok := values[string(r.Key)]
		mu.Unlock()
		if !ok {
			return maelstrom.NewRPCError(maelstrom.KeyDoesNotExist, "key does not exist")
		}
		return n.Reply(msg, map[string]any{"type": "read_ok", "value": v})
	})
	n.Handle("write", func(msg maelstrom.Message) error {
		r, err := parse(msg)
		if err != nil {
			return err
		}
		mu.Lock()
		writes++
		if writes%4 != 0 { // The bug: every fourth write is acknowledged and dropped.
			values[string(r.Key)] = r.Value
		}
		mu.Unlock()
		return n.Reply(msg, map[string]any{"type": "write_ok"})
	})
	n.Handle("cas", func(msg maelstrom.Message) error {
		r, err := parse(msg)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		v, ok := values[string(r.Key)]
		switch {
		case !ok:
			return maelstrom.NewRPCError(maelstrom.KeyDoesNotExist, "key does not exist")
		case string(v) != string(r.From):
			return maelstrom.NewRPCError(maelstrom.PreconditionFailed, "expected "+string(r.From)+", had "+string(v))
		}
		values[string(r.Key)] = r.To
		return n.Reply(msg, map[string]any{"type": "cas_ok"})
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
