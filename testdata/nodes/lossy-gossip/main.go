// Command lossy-gossip forwards each new broadcast value to every other
// node once, fire and forget. Without partitions every value arrives; with
// --nemesis partition the copies sent into a partition are dropped and
// never resent. The broadcast checker must report lost values.
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
	seen := map[int]bool{}
	store := func(v int) bool {
		mu.Lock()
		defer mu.Unlock()
		if seen[v] {
			return false
		}
		seen[v] = true
		return true
	}
	n.Handle("broadcast", func(msg maelstrom.Message) error {
		var body struct {
			Message int `json:"message"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		if store(body.Message) {
			for _, peer := range n.NodeIDs() {
				if peer != n.ID() {
					_ = n.Send(peer, map[string]any{"type": "gossip", "message": body.Message})
				}
			}
		}
		return n.Reply(msg, map[string]any{"type": "broadcast_ok"})
	})
	n.Handle("gossip", func(msg maelstrom.Message) error {
		var body struct {
			Message int `json:"message"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		store(body.Message)
		return nil
	})
	n.Handle("read", func(msg maelstrom.Message) error {
		mu.Lock()
		defer mu.Unlock()
		values := make([]int, 0, len(seen))
		for v := range seen {
			values = append(values, v)
		}
		return n.Reply(msg, map[string]any{"type": "read_ok", "messages": values})
	})
	n.Handle("topology", func(msg maelstrom.Message) error {
		return n.Reply(msg, map[string]any{"type": "topology_ok"})
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
