// Command gset-replace is a g-set node that gossips its whole set every
// 100 ms, as a state-based CRDT should, but merges a peer's set by taking
// it in place of its own instead of taking the union. Replacing is not a
// join: it keeps whichever replica arrived last, so an element a node
// accepted and had not yet passed on is gone once another node's set
// arrives. The g-set checker must report lost.
package main

import (
	"encoding/json"
	"log"
	"maps"
	"slices"
	"sync"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

func main() {
	n := maelstrom.NewNode()
	var mu sync.Mutex
	set := map[int]bool{}
	elements := func() []int {
		mu.Lock()
		defer mu.Unlock()
		out := slices.AppendSeq(make([]int, 0, len(set)), maps.Keys(set))
		slices.Sort(out)
		return out
	}
	n.Handle("add", func(msg maelstrom.Message) error {
		var body struct {
			Element int `json:"element"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		set[body.Element] = true
		mu.Unlock()
		return n.Reply(msg, map[string]any{"type": "add_ok"})
	})
	n.Handle("read", func(msg maelstrom.Message) error {
		return n.Reply(msg, map[string]any{"type": "read_ok", "value": elements()})
	})
	n.Handle("replicate", func(msg maelstrom.Message) error {
		var body struct {
			Value []int `json:"value"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		// The bug: the peer's set replaces ours. The fix is to add each
		// of its elements to ours.
		set = map[int]bool{}
		for _, e := range body.Value {
			set[e] = true
		}
		return nil
	})
	go func() {
		for range time.Tick(100 * time.Millisecond) {
			value := elements()
			for _, peer := range n.NodeIDs() {
				if peer != n.ID() {
					_ = n.Send(peer, map[string]any{"type": "replicate", "value": value})
				}
			}
		}
	}()
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
