// Command broadcast-dups gossips every broadcast to every other node but
// never checks whether it already has a value, so a read lists a message
// once for each time it arrived. No message is lost, and real Maelstrom
// passes it: Jepsen's set-full checker means to count duplicates but its
// test is reversed and never fires. The course's broadcast checker reports
// duplicate, a strict finding: tutor test passes, --strict fails.
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
	var values []int
	n.Handle("broadcast", func(msg maelstrom.Message) error {
		var body struct {
			Message int `json:"message"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		values = append(values, body.Message) // the bug: no "seen already?"
		mu.Unlock()
		for _, peer := range n.NodeIDs() {
			if peer != n.ID() {
				_ = n.Send(peer, map[string]any{"type": "gossip", "message": body.Message})
			}
		}
		// The node keeps a second copy of its own client's value too.
		mu.Lock()
		values = append(values, body.Message)
		mu.Unlock()
		return n.Reply(msg, map[string]any{"type": "broadcast_ok"})
	})
	n.Handle("gossip", func(msg maelstrom.Message) error {
		var body struct {
			Message int `json:"message"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		values = append(values, body.Message)
		mu.Unlock()
		return nil
	})
	n.Handle("read", func(msg maelstrom.Message) error {
		mu.Lock()
		defer mu.Unlock()
		return n.Reply(msg, map[string]any{"type": "read_ok", "messages": append([]int{}, values...)})
	})
	n.Handle("topology", func(msg maelstrom.Message) error {
		return n.Reply(msg, map[string]any{"type": "topology_ok"})
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
