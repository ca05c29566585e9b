// Command wrong-echo answers every echo, but shouts every third one back in
// upper case. The echo checker must report a wrong echo naming the op.
package main

import (
	"encoding/json"
	"log"
	"strings"
	"sync/atomic"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

func main() {
	n := maelstrom.NewNode()
	var count atomic.Int64
	n.Handle("echo", func(msg maelstrom.Message) error {
		var body map[string]any
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		body["type"] = "echo_ok"
		if count.Add(1)%3 == 0 {
			body["echo"] = strings.ToUpper(body["echo"].(string))
		}
		return n.Reply(msg, body)
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
