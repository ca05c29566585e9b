// Command listappend-single is a correct txn-list-append node for one
// node: it runs each transaction whole under one lock on its map of lists,
// so the store is strictly serializable. The checker must pass it under
// every model.
package main

import (
	"slices"

	"github.com/glomers/glomers/testdata/nodes/txnnode"
)

func main() {
	lists := map[int][]int{}
	txnnode.Serve(func(txn [][]any) error {
		for _, op := range txn {
			k := txnnode.Key(op)
			if op[0] == "r" {
				if l, ok := lists[k]; ok {
					op[2] = slices.Clone(l)
				}
				continue
			}
			lists[k] = append(lists[k], txnnode.Value(op))
		}
		return nil
	})
}
