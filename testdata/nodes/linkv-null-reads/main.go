// Command linkv-null-reads keeps every key in a local map, which is
// linearizable on one node, but answers every fifth read with null, as a
// node does that reads a replica not yet told of the key and takes its
// absence for "no value". lin-kv never deletes keys, so the course's
// stricter verdict reports null-read; Knossos's cas-register, Maelstrom's
// checker, accepts a null read whatever the key holds, so real Maelstrom
// passes the run. Deterministic: the node answers null by count. Run it
// with --node-count 1 (each node has its own map).
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
	reads := 0
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
		reads++
		null := reads%5 == 0 // The bug: every fifth read finds nothing.
		mu.Unlock()
		switch {
		case null:
			return n.Reply(msg, map[string]any{"type": "read_ok", "value": nil})
		case !ok:
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
		values[string(r.Key)] = r.Value
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
