// Command counter-stale adds correctly, each node compare-and-swapping its
// own key in seq-kv, but reads the keys straight away with no step that
// makes seq-kv show it a fresh state. seq-kv may answer from the past, so
// final reads can miss adds that completed long before: the g-counter
// checker must report wrong-final-read. It shows only by chance, when
// seq-kv happens to answer a final read from an old state: 1 of 10 runs of
// "tutor test -w g-counter --node-count 3 --time-limit 5 --rate 100" caught
// it, so no script relies on it.
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
	read := func(key string) (int, error) {
		v, err := kv.ReadInt(context.Background(), key)
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
		for {
			old, err := read(n.ID())
			if err != nil {
				return err
			}
			err = kv.CompareAndSwap(context.Background(), n.ID(), old, old+body.Delta, true)
			if err == nil {
				break
			}
			if maelstrom.ErrorCode(err) != maelstrom.PreconditionFailed {
				return err
			}
		}
		return n.Reply(msg, map[string]any{"type": "add_ok"})
	})
	n.Handle("read", func(msg maelstrom.Message) error {
		total := 0
		for _, id := range n.NodeIDs() {
			v, err := read(id) // The bug: this may be any recent state.
			if err != nil {
				return err
			}
			total += v
		}
		return n.Reply(msg, map[string]any{"type": "read_ok", "value": total})
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
