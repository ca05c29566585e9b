// Command listappend-stale runs transactions with appends whole, one at a
// time, on its live lists, but answers read-only transactions from a copy
// it refreshes only on every fifth of them. Each copy is a state the lists
// really had, so every read-only transaction fits somewhere in a serial
// order: the store is serializable. It is not strictly serializable,
// which txn-list-append asks by default: a read-only transaction invoked
// after an append completed can miss it. The checker must find
// G-single-realtime (a stale read) under the default model and pass the
// node under --consistency-models serializable. The bug is by count, not
// by time, so a run with one client is the same every time.
package main

import (
	"maps"
	"slices"

	"github.com/glomers/glomers/testdata/nodes/txnnode"
)

func main() {
	live := map[int][]int{}
	snapshot := map[int][]int{}
	readOnly := 0
	txnnode.Serve(func(txn [][]any) error {
		lists := live
		if !slices.ContainsFunc(txn, func(op []any) bool { return op[0] == "append" }) {
			if readOnly%5 == 0 {
				snapshot = maps.Clone(live) // lists are never changed in place
			}
			readOnly++
			lists = snapshot // the bug: stale, though a state that existed
		}
		for _, op := range txn {
			k := txnnode.Key(op)
			if op[0] == "r" {
				if l, ok := lists[k]; ok {
					op[2] = l
				}
				continue
			}
			l := lists[k]
			lists[k] = append(l[:len(l):len(l)], txnnode.Value(op))
		}
		return nil
	})
}
