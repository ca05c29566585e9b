// Command broadcast-extra-field is a single-node broadcast node that adds
// a field the protocol does not have, "message", to every third
// broadcast_ok. Maelstrom's reply schemas are closed, so such a reply is
// malformed: Maelstrom's client throws, the broadcast is recorded as
// indeterminate (info), and as the node did keep the value, its checker
// passes the run. The harness records the same and reports
// malformed-reply, a strict finding: tutor test passes, --strict and
// tutor check fail. Run it with --node-count 1: it does not gossip.
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
	values := []int{}
	n.Handle("broadcast", func(msg maelstrom.Message) error {
		var body struct {
			Message int `json:"message"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		values = append(values, body.Message)
		k := len(values)
		mu.Unlock()
		reply := map[string]any{"type": "broadcast_ok"}
		if k%3 == 1 {
			reply["message"] = body.Message // the bug: a field broadcast_ok has not
		}
		return n.Reply(msg, reply)
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
