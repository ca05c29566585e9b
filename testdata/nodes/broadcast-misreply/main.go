// Command broadcast-misreply is a single-node broadcast node that answers
// its first broadcast with the wrong in_reply_to (the request's msg_id
// plus 1000). Maelstrom's client skips a message whose in_reply_to is not
// the request it waits for, so that broadcast times out, indeterminate
// (info), and the run goes on; the node kept the value, so Maelstrom's
// checker passes it. The harness drops the reply too and reports
// unexpected-reply, a strict finding: tutor test passes, --strict fails.
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
	values := []int{}
	n.Handle("broadcast", func(msg maelstrom.Message) error {
		var body struct {
			MsgID   int `json:"msg_id"`
			Message int `json:"message"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		values = append(values, body.Message)
		first := len(values) == 1
		mu.Unlock()
		if first { // the bug: a reply that answers no request
			return n.Send(msg.Src, map[string]any{"type": "broadcast_ok", "in_reply_to": body.MsgID + 1000})
		}
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
