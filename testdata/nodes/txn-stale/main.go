// Command txn-stale runs transactions with writes one at a time on the
// live registers, but answers read-only transactions from a copy taken
// every half second. Each copy is a state the registers really had, so
// every read-only transaction fits somewhere in the serial order: the
// store is serializable. It is not strictly serializable, which
// Maelstrom's txn-rw-register asks by default: a read-only transaction
// invoked after a write completed can miss it. The checker must give a
// definite verdict, invalid with G-single-realtime, under the default
// model, and valid under --consistency-models serializable.
package main

import (
	"encoding/json"
	"log"
	"maps"
	"sync"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

func main() {
	n := maelstrom.NewNode()
	var mu sync.Mutex
	live := map[int]int{}
	snapshot := map[int]int{}
	go func() {
		for range time.Tick(500 * time.Millisecond) {
			mu.Lock()
			snapshot = maps.Clone(live)
			mu.Unlock()
		}
	}()
	n.Handle("txn", func(msg maelstrom.Message) error {
		var body struct {
			Txn [][]any `json:"txn"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		readOnly := true
		for _, op := range body.Txn {
			if op[0] == "w" {
				readOnly = false
			}
		}
		mu.Lock()
		defer mu.Unlock()
		regs := live
		if readOnly {
			regs = snapshot // the bug: stale, though a state that existed
		}
		for _, op := range body.Txn {
			k := int(op[1].(float64))
			if op[0] == "r" {
				if v, ok := regs[k]; ok {
					op[2] = v
				} else {
					op[2] = nil
				}
			} else {
				regs[k] = int(op[2].(float64))
			}
		}
		return n.Reply(msg, map[string]any{"type": "txn_ok", "txn": body.Txn})
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
