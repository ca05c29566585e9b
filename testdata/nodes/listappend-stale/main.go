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
	"encoding/json"
	"log"
	"maps"
	"slices"
	"sync"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

func main() {
	n := maelstrom.NewNode()
	var mu sync.Mutex
	live := map[int][]int{}
	snapshot := map[int][]int{}
	readOnly := 0
	n.Handle("txn", func(msg maelstrom.Message) error {
		var body struct {
			Txn [][]any `json:"txn"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		lists := live
		if !slices.ContainsFunc(body.Txn, func(op []any) bool { return op[0] == "append" }) {
			if readOnly%5 == 0 {
				snapshot = maps.Clone(live) // lists are never changed in place
			}
			readOnly++
			lists = snapshot // the bug: stale, though a state that existed
		}
		for _, op := range body.Txn {
			k := int(op[1].(float64))
			if op[0] == "r" {
				if l, ok := lists[k]; ok {
					op[2] = l
				}
				continue
			}
			l := lists[k]
			lists[k] = append(l[:len(l):len(l)], int(op[2].(float64)))
		}
		return n.Reply(msg, map[string]any{"type": "txn_ok", "txn": body.Txn})
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
