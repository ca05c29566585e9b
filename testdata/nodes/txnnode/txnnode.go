// Package txnnode is what the transactional test nodes share (the
// listappend-* nodes; txn-rw-register nodes can use it too): Serve runs a
// Maelstrom node whose txn handler hands each transaction, under one
// lock, to the node's own way of running it.
package txnnode

import (
	"encoding/json"
	"log"
	"sync"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// Serve runs the node: run executes one transaction's micro-ops, [f, k,
// v] each as Maelstrom sends them, filling in the reads in place. Calls
// never overlap.
func Serve(run func(txn [][]any)) {
	n := maelstrom.NewNode()
	var mu sync.Mutex
	n.Handle("txn", func(msg maelstrom.Message) error {
		var body struct {
			Txn [][]any `json:"txn"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		run(body.Txn)
		mu.Unlock()
		return n.Reply(msg, map[string]any{"type": "txn_ok", "txn": body.Txn})
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}

// Key reads a micro-op's key.
func Key(op []any) int { return int(op[1].(float64)) }

// Value reads the value a micro-op writes or appends.
func Value(op []any) int { return int(op[2].(float64)) }
