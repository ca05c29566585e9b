// Command chatty-ids generates unique ids correctly (node id and a
// counter), but prints a debugging line to stdout on its twentieth
// request, where only messages belong. Real Maelstrom logs the bad line,
// stops reading the node and judges the rest: the ids were unique, so it
// passes. The harness stops the run at the line and names it; Maelstrom's
// verdict on what was recorded is valid, and the fault is a strict finding
// that fails tutor test --strict and tutor check.
package main

import (
	"fmt"
	"log"
	"sync"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

func main() {
	n := maelstrom.NewNode()
	var mu sync.Mutex
	next := 0
	n.Handle("generate", func(msg maelstrom.Message) error {
		mu.Lock()
		next++
		id := fmt.Sprintf("%s-%d", n.ID(), next)
		if next == 20 {
			fmt.Println("generated twenty ids") // the bug: stdout is for messages
		}
		mu.Unlock()
		return n.Reply(msg, map[string]any{"type": "generate_ok", "id": id})
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
