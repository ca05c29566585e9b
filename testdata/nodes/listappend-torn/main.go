// Command listappend-torn applies the appends of a transaction that only
// appends in two steps: the first append at once, the others only after
// the next transaction has run. That next transaction sees part of the
// first: the middle of its appends to one key (an intermediate read,
// G1b), or its append to one key but not to another, or its own append
// ordered between the two halves (G1c, G0 and G-single cycles). Read
// committed forbids G1b and G1c, so the checker must fail the node under
// --consistency-models read-committed. The bug is by count, not by time,
// so a run with one client is the same every time.
package main

import (
	"slices"

	"github.com/glomers/glomers/testdata/nodes/txnnode"
)

func main() {
	lists := map[int][]int{}
	var pending [][]any // the second half of the last torn transaction
	txnnode.Serve(func(txn [][]any) error {
		later := pending
		pending = nil
		torn := len(txn) > 1 && !slices.ContainsFunc(txn, func(op []any) bool { return op[0] == "r" })
		for i, op := range txn {
			k := txnnode.Key(op)
			switch {
			case op[0] == "r":
				if l, ok := lists[k]; ok {
					op[2] = slices.Clone(l)
				}
			case torn && i > 0:
				pending = append(pending, op) // the bug
			default:
				lists[k] = append(lists[k], txnnode.Value(op))
			}
		}
		for _, op := range later {
			lists[txnnode.Key(op)] = append(lists[txnnode.Key(op)], txnnode.Value(op))
		}
		return nil
	})
}
