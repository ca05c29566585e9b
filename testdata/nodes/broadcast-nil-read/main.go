// Command broadcast-nil-read is a correct single-node broadcast node that
// keeps its values in a nil slice, so a read before the first broadcast is
// answered with "messages": null, the JSON of a Go nil slice. Not broken:
// Maelstrom's read_ok schema, [s/Any], is a sequence schema, which accepts
// null, and its checker reads it as the empty set. The harness does the
// same: tutor test and tutor test --strict both pass, with no finding.
// Run it with --node-count 1: it does not gossip.
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
	var values []int // nil until the first broadcast: reads answer null
	n.Handle("broadcast", func(msg maelstrom.Message) error {
		var body struct {
			Message int `json:"message"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		values = append(values, body.Message)
		mu.Unlock()
		return n.Reply(msg, map[string]any{"type": "broadcast_ok"})
	})
	n.Handle("read", func(msg maelstrom.Message) error {
		mu.Lock()
		defer mu.Unlock()
		return n.Reply(msg, map[string]any{"type": "read_ok", "messages": values})
	})
	n.Handle("topology", func(msg maelstrom.Message) error {
		return n.Reply(msg, map[string]any{"type": "topology_ok"})
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
