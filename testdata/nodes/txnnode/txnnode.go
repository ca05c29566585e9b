// Package txnnode is what the transactional test nodes share (the
// listappend-* and txn-* nodes): a Maelstrom txn handler that hands each
// transaction, under one lock, to the node's own way of running it.
package txnnode

import (
	"encoding/json"
	"log"
	"sync"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// Handle registers n's txn handler: under mu, run executes one
// transaction's micro-ops, [f, k, v] each as Maelstrom sends them,
// filling in the reads in place, and the node answers txn_ok with them,
// or the error run returns (a *maelstrom.RPCError for a definite one).
func Handle(n *maelstrom.Node, mu *sync.Mutex, run func(txn [][]any) error) {
	n.Handle("txn", func(msg maelstrom.Message) error {
		var body struct {
			Txn [][]any `json:"txn"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		err := run(body.Txn)
		mu.Unlock()
		if err != nil {
			return err
		}
		return n.Reply(msg, map[string]any{"type": "txn_ok", "txn": body.Txn})
	})
}

// Serve runs a node that handles txn alone, as Handle says.
func Serve(run func(txn [][]any) error) {
	n := maelstrom.NewNode()
	Handle(n, new(sync.Mutex), run)
	Run(n)
}

// Run runs n until its input ends.
func Run(n *maelstrom.Node) {
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}

// Key reads a micro-op's key.
func Key(op []any) int { return int(op[1].(float64)) }

// Value reads the value a micro-op writes or appends.
func Value(op []any) int { return int(op[2].(float64)) }
