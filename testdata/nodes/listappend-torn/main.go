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
	"encoding/json"
	"log"
	"slices"
	"sync"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

type appendOp struct{ key, elem int }

func main() {
	n := maelstrom.NewNode()
	var mu sync.Mutex
	lists := map[int][]int{}
	var pending []appendOp // the second half of the last torn transaction
	n.Handle("txn", func(msg maelstrom.Message) error {
		var body struct {
			Txn [][]any `json:"txn"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		later := pending
		pending = nil
		torn := len(body.Txn) > 1 && !slices.ContainsFunc(body.Txn, func(op []any) bool { return op[0] == "r" })
		for i, op := range body.Txn {
			k := int(op[1].(float64))
			if op[0] == "r" {
				if l, ok := lists[k]; ok {
					op[2] = slices.Clone(l)
				}
				continue
			}
			if torn && i > 0 {
				pending = append(pending, appendOp{k, int(op[2].(float64))}) // the bug
				continue
			}
			lists[k] = append(lists[k], int(op[2].(float64)))
		}
		for _, a := range later {
			lists[a.key] = append(lists[a.key], a.elem)
		}
		return n.Reply(msg, map[string]any{"type": "txn_ok", "txn": body.Txn})
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
