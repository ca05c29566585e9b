// Command pncounter-max-net is a g-counter stretched to decrements: each
// node keeps a map from node to that node's net total (increments minus
// decrements) and every 100 ms gossips it, merging by taking each node's
// larger total. That merge is a join only while totals grow. A decrement
// makes a node's total smaller, so every replica that saw the larger,
// older total keeps it, and sends it back: the decrement is lost
// everywhere, the node's own map included. The pn-counter checker must
// report wrong-final-read. The fix is two grow-only maps, increments and
// decrements apart.
package main

import (
	"encoding/json"
	"log"
	"maps"
	"sync"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

func main() {
	n := maelstrom.NewNode()
	var mu sync.Mutex
	totals := map[string]int{}
	n.Handle("add", func(msg maelstrom.Message) error {
		var body struct {
			Delta int `json:"delta"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		totals[n.ID()] += body.Delta
		mu.Unlock()
		return n.Reply(msg, map[string]any{"type": "add_ok"})
	})
	n.Handle("read", func(msg maelstrom.Message) error {
		mu.Lock()
		sum := 0
		for _, v := range totals {
			sum += v
		}
		mu.Unlock()
		return n.Reply(msg, map[string]any{"type": "read_ok", "value": sum})
	})
	n.Handle("replicate", func(msg maelstrom.Message) error {
		var body struct {
			Totals map[string]int `json:"totals"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		for node, v := range body.Totals {
			// The bug: a net total can go down, so the larger one is
			// not the newer.
			if _, ok := totals[node]; !ok || v > totals[node] {
				totals[node] = v
			}
		}
		return nil
	})
	go func() {
		for range time.Tick(100 * time.Millisecond) {
			mu.Lock()
			snapshot := maps.Clone(totals)
			mu.Unlock()
			for _, peer := range n.NodeIDs() {
				if peer != n.ID() {
					_ = n.Send(peer, map[string]any{"type": "replicate", "totals": snapshot})
				}
			}
		}
	}()
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
