// Command txn-g0 runs each micro-operation under the lock but not a whole
// transaction, and takes two milliseconds between micro-operations, as a
// node that did real work per operation would. Concurrent transactions
// interleave their writes to a key: T1 writes 1, T2 reads 1 and writes 2,
// T1 reads 2 and writes 3. Each overwrote the other, a write cycle: the
// txn-rw-register checker must report G0, which even read uncommitted
// forbids (the Fly.io 6b page's example).
//
// Why not two replicas that apply each other's writes in arrival order,
// the other classic way to order writes differently? With registers the
// checker can only order a key's versions from what clients saw, and
// when each node runs a transaction in one step, every order it can
// infer runs forward in time: such a node leaves replicas that disagree
// forever, but no history that proves it. That is why 6b's checker rests
// on what the history shows, and why a solution must not rely on luck.
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
		for i, op := range body.Txn {
			if i > 0 {
				time.Sleep(2 * time.Millisecond)
			}
			k := int(op[1].(float64))
			mu.Lock() // the bug: released between micro-operations
			if op[0] == "r" {
				if v, ok := regs[k]; ok {
					op[2] = v
				}
			} else {
				regs[k] = int(op[2].(float64))
			}
			mu.Unlock()
		}
		return n.Reply(msg, map[string]any{"type": "txn_ok", "txn": body.Txn})
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
