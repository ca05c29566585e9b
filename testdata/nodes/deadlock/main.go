// Command deadlock answers its first three requests, then deadlocks: the
// handler takes a lock again on a path where it already holds it, so that
// request and every later one wait forever and are never answered. A read
// takes that path at once (it snapshots the messages under the lock it
// holds). The node stays up and silent; the clients' requests time out.
// The summary must say that requests timed out, at which node and of which
// type, that a deadlock or a handler that never replies does this, and
// show the node's last log lines.
package main

import (
	"encoding/json"
	"log"
	"sync"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

func main() {
	n := maelstrom.NewNode()
	var (
		mu       sync.Mutex
		count    int
		messages []int
	)
	// handle runs f under the lock, the bug included.
	handle := func(msg maelstrom.Message, f func(body map[string]any)) error {
		var body map[string]any
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		count++
		if count > 3 || body["type"] == "read" {
			log.Printf("request %d (%s): checking the state again", count, body["type"])
			mu.Lock() // the bug: mu is already held, so this waits forever
		}
		f(body)
		mu.Unlock()
		return n.Reply(msg, body)
	}
	n.Handle("echo", func(msg maelstrom.Message) error {
		return handle(msg, func(body map[string]any) { body["type"] = "echo_ok" })
	})
	n.Handle("broadcast", func(msg maelstrom.Message) error {
		return handle(msg, func(body map[string]any) {
			messages = append(messages, int(body["message"].(float64)))
			delete(body, "message")
			body["type"] = "broadcast_ok"
		})
	})
	n.Handle("read", func(msg maelstrom.Message) error {
		return handle(msg, func(body map[string]any) {
			body["type"] = "read_ok"
			body["messages"] = append([]int{}, messages...)
		})
	})
	n.Handle("topology", func(msg maelstrom.Message) error {
		return n.Reply(msg, map[string]any{"type": "topology_ok"})
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
