// Command counter-no-reads acknowledges every add and answers every read
// with an error: its counter can never be seen. The g-counter checker has
// no read to judge, but Jepsen's stats checker, which Maelstrom runs on
// every test, fails a run where an operation type never succeeds: the
// verdict must be invalid (stats), not unknown.
package main

import (
	"log"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

func main() {
	n := maelstrom.NewNode()
	n.Handle("add", func(msg maelstrom.Message) error {
		return n.Reply(msg, map[string]any{"type": "add_ok"})
	})
	n.Handle("read", func(msg maelstrom.Message) error {
		return maelstrom.NewRPCError(maelstrom.TemporarilyUnavailable, "reads are not implemented")
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
