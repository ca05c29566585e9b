// Command txn-g1a runs transactions on one node under one lock, and
// aborts every fifth transaction that writes, after its writes are
// already in place: it answers error 30 (txn-conflict) but never undoes
// them. Later transactions read values of a transaction that, as far as
// its client knows, never happened: the txn-rw-register checker must
// report G1a (aborted read) under read committed.
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
	regs := map[int]int{}
	writers := 0
	n.Handle("txn", func(msg maelstrom.Message) error {
		var body struct {
			Txn [][]any `json:"txn"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		wrote := false
		for _, op := range body.Txn {
			k := int(op[1].(float64))
			if op[0] == "r" {
				if v, ok := regs[k]; ok {
					op[2] = v
				}
			} else {
				regs[k] = int(op[2].(float64))
				wrote = true
			}
		}
		if wrote {
			writers++
			if writers%5 == 0 {
				// The bug: the writes stay.
				return maelstrom.NewRPCError(maelstrom.TxnConflict, "aborted (but its writes stay)")
			}
		}
		return n.Reply(msg, map[string]any{"type": "txn_ok", "txn": body.Txn})
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
