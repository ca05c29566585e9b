// Command txn-g1b runs each transaction under its node's lock, so its own
// clients never see one half done, but replicates each write the moment
// it makes it, one message per write, and takes two milliseconds between
// micro-operations, as a node doing real work would. A peer applies each
// write as it arrives, so its clients can read a value that the writing
// transaction overwrote a moment later: an intermediate value, which the
// txn-rw-register checker must report as G1b under read committed.
// Replicating each transaction's final writes, in one message, is the fix.
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
	regs := map[int]int{}
	n.Handle("txn", func(msg maelstrom.Message) error {
		var body struct {
			Txn [][]any `json:"txn"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		for i, op := range body.Txn {
			if i > 0 {
				time.Sleep(2 * time.Millisecond)
			}
			k := int(op[1].(float64))
			if op[0] == "r" {
				if v, ok := regs[k]; ok {
					op[2] = v
				}
				continue
			}
			v := int(op[2].(float64))
			regs[k] = v
			// The bug: every write goes out on its own, before the
			// transaction has finished.
			for _, peer := range n.NodeIDs() {
				if peer != n.ID() {
					_ = n.Send(peer, map[string]any{"type": "replicate", "key": k, "value": v})
				}
			}
		}
		return n.Reply(msg, map[string]any{"type": "txn_ok", "txn": body.Txn})
	})
	// Applied on arrival and never acknowledged: the run has no
	// partitions, so nothing is lost, and the point is the window.
	n.Handle("replicate", func(msg maelstrom.Message) error {
		var body struct{ Key, Value int }
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		regs[body.Key] = body.Value
		mu.Unlock()
		return nil
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
