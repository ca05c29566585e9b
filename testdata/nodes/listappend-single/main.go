// Command listappend-single is a correct txn-list-append node for one
// node: it runs each transaction whole under one lock on its map of lists,
// so the store is strictly serializable. The checker must pass it under
// every model.
package main

import (
	"encoding/json"
	"log"
	"slices"
	"sync"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

func main() {
	n := maelstrom.NewNode()
	var mu sync.Mutex
	lists := map[int][]int{}
	n.Handle("txn", func(msg maelstrom.Message) error {
		var body struct {
			Txn [][]any `json:"txn"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		for _, op := range body.Txn {
			k := int(op[1].(float64))
			if op[0] == "r" {
				if l, ok := lists[k]; ok {
					op[2] = slices.Clone(l)
				}
				continue
			}
			lists[k] = append(lists[k], int(op[2].(float64)))
		}
		return n.Reply(msg, map[string]any{"type": "txn_ok", "txn": body.Txn})
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
