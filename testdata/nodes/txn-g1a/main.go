// Command txn-g1a runs transactions on one node under one lock, and
// aborts every fifth transaction that writes, after its writes are
// already in place: it answers error 30 (txn-conflict) but never undoes
// them. Later transactions read values of a transaction that, as far as
// its client knows, never happened: the txn-rw-register checker must
// report G1a (aborted read) under read committed.
package main

import (
	maelstrom "github.com/jepsen-io/maelstrom/demo/go"

	"github.com/glomers/glomers/testdata/nodes/txnnode"
)

func main() {
	regs := map[int]int{}
	writers := 0
	txnnode.Serve(func(txn [][]any) error {
		wrote := false
		for _, op := range txn {
			k := txnnode.Key(op)
			if op[0] == "r" {
				if v, ok := regs[k]; ok {
					op[2] = v
				}
			} else {
				regs[k] = txnnode.Value(op)
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
		return nil
	})
}
