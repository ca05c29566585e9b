// Command dup-ids counts 0, 1, 2, ... on every node without the node's id,
// so two nodes hand out the same ids. The unique-ids checker must report
// the duplicates.
package main

import (
	"log"
	"sync/atomic"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

func main() {
	n := maelstrom.NewNode()
	var next atomic.Int64
	n.Handle("generate", func(msg maelstrom.Message) error {
		return n.Reply(msg, map[string]any{"type": "generate_ok", "id": next.Add(1)})
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
