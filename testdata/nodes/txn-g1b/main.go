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
	"sync"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"

	"github.com/glomers/glomers/testdata/nodes/txnnode"
)

func main() {
	n := maelstrom.NewNode()
	var mu sync.Mutex
	regs := map[int]int{}
	txnnode.Handle(n, &mu, func(txn [][]any) error {
		for i, op := range txn {
			if i > 0 {
				time.Sleep(2 * time.Millisecond)
			}
			k := txnnode.Key(op)
			if op[0] == "r" {
				if v, ok := regs[k]; ok {
					op[2] = v
				}
				continue
			}
			v := txnnode.Value(op)
			regs[k] = v
			// The bug: every write goes out on its own, before the
			// transaction has finished.
			for _, peer := range n.NodeIDs() {
				if peer != n.ID() {
					_ = n.Send(peer, map[string]any{"type": "replicate", "key": k, "value": v})
				}
			}
		}
		return nil
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
	txnnode.Run(n)
}
