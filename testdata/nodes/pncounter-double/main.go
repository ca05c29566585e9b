// Command pncounter-double keeps one number, its running total, and every
// second sends it to every other node, which adds it to its own. Adding a
// replica is not a join: the same increments arrive again with every
// round, and come back from the peers that added them, so each is counted
// over and over. Reads soon exceed anything the adds could make: the
// pn-counter checker must report read-exceeds-adds or read-below-adds
// during the run and wrong-final-read at the end.
package main

import (
	"encoding/json"
	"log"
	"sync"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

func main() {
	n := maelstrom.NewNode()
	var mu sync.Mutex
	total := 0
	get := func() int {
		mu.Lock()
		defer mu.Unlock()
		return total
	}
	plus := func(d int) {
		mu.Lock()
		defer mu.Unlock()
		total += d
	}
	n.Handle("add", func(msg maelstrom.Message) error {
		var body struct {
			Delta int `json:"delta"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		plus(body.Delta)
		return n.Reply(msg, map[string]any{"type": "add_ok"})
	})
	n.Handle("read", func(msg maelstrom.Message) error {
		return n.Reply(msg, map[string]any{"type": "read_ok", "value": get()})
	})
	n.Handle("replicate", func(msg maelstrom.Message) error {
		var body struct {
			Total int `json:"total"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		// The bug: a replica is added, not merged. The fix is a per-node
		// map of totals, merged by taking each node's largest.
		plus(body.Total)
		return nil
	})
	go func() {
		for range time.Tick(time.Second) {
			t := get()
			for _, peer := range n.NodeIDs() {
				if peer != n.ID() {
					_ = n.Send(peer, map[string]any{"type": "replicate", "total": t})
				}
			}
		}
	}()
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
