// Command counter-lost-updates keeps the counter in one seq-kv key and adds
// by reading it and writing the sum back, with no compare-and-swap. Two
// adds that read the same value both write value+delta and one is lost
// (seq-kv's stale reads make it likelier still): the g-counter checker must
// report wrong-final-read.
package main

import (
	"context"
	"encoding/json"
	"log"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

func main() {
	n := maelstrom.NewNode()
	kv := maelstrom.NewSeqKV(n)
	read := func() (int, error) {
		v, err := kv.ReadInt(context.Background(), "counter")
		if maelstrom.ErrorCode(err) == maelstrom.KeyDoesNotExist {
			return 0, nil
		}
		return v, err
	}
	n.Handle("add", func(msg maelstrom.Message) error {
		var body struct {
			Delta int `json:"delta"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		old, err := read()
		if err != nil {
			return err
		}
		// The bug: another add may have written since the read.
		if err := kv.Write(context.Background(), "counter", old+body.Delta); err != nil {
			return err
		}
		return n.Reply(msg, map[string]any{"type": "add_ok"})
	})
	n.Handle("read", func(msg maelstrom.Message) error {
		v, err := read()
		if err != nil {
			return err
		}
		return n.Reply(msg, map[string]any{"type": "read_ok", "value": v})
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
