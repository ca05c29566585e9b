// Command crashy answers echo until its fifth request, then indexes past
// the end of a slice and dies with a panic. The harness must report the
// crash, name the node and show the panic from its log.
package main

import (
	"encoding/json"
	"log"
	"sync/atomic"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

func main() {
	n := maelstrom.NewNode()
	var count atomic.Int64
	recent := make([]int, 5)
	n.Handle("echo", func(msg maelstrom.Message) error {
		i := int(count.Add(1))
		recent[i] = i // out of range on the fifth request
		var body map[string]any
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		body["type"] = "echo_ok"
		return n.Reply(msg, body)
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
