// Command txn-madeup runs transactions on one node under one lock, but
// reads a key nobody has written as 0, the zero value a Go map hands out
// for a missing key, instead of null. The workload writes 1, 2, 3, ... to
// each key, so no transaction ever wrote that 0: the txn-rw-register
// checker must report garbage-read. Real Maelstrom misses it (Elle ignores
// values nobody wrote), so it is a strict finding: tutor test passes the
// node by Maelstrom's verdict, tutor test --strict and tutor check fail it.
package main

import (
	"encoding/json"
	"log"
	"sync"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

func main() {
	n := maelstrom.NewNode()
	var mu sync.Mutex
	regs := map[int]int{}
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
				op[2] = regs[k] // the bug: 0 for a key never written
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
