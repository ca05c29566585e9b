// Command kafka-dup-offsets stores messages in lin-kv, where every node can
// read them, but counts offsets on each node alone. Two nodes that receive
// sends to one key both hand out offset 0, then 1, ...: one offset names
// two messages, and the second write hides the first. The kafka checker
// must report inconsistent-offsets.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"sync"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

func main() {
	n := maelstrom.NewNode()
	kv := maelstrom.NewLinKV(n)
	var mu sync.Mutex
	next := map[string]int{} // The bug: per node, not per cluster.
	committed := map[string]int{}
	msgKey := func(key string, off int) string { return fmt.Sprintf("%s/%d", key, off) }
	n.Handle("send", func(msg maelstrom.Message) error {
		var body struct {
			Key string `json:"key"`
			Msg int    `json:"msg"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		off := next[body.Key]
		next[body.Key]++
		mu.Unlock()
		if err := kv.Write(context.Background(), msgKey(body.Key, off), body.Msg); err != nil {
			return err
		}
		return n.Reply(msg, map[string]any{"type": "send_ok", "offset": off})
	})
	n.Handle("poll", func(msg maelstrom.Message) error {
		var body struct {
			Offsets map[string]int `json:"offsets"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		out := map[string][][2]int{}
		for key, from := range body.Offsets {
			for off := from; off < from+8; off++ {
				v, err := kv.ReadInt(context.Background(), msgKey(key, off))
				if err != nil {
					break
				}
				out[key] = append(out[key], [2]int{off, v})
			}
		}
		return n.Reply(msg, map[string]any{"type": "poll_ok", "msgs": out})
	})
	n.Handle("commit_offsets", func(msg maelstrom.Message) error {
		var body struct {
			Offsets map[string]int `json:"offsets"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		for k, v := range body.Offsets {
			committed[k] = v
		}
		mu.Unlock()
		return n.Reply(msg, map[string]any{"type": "commit_offsets_ok"})
	})
	n.Handle("list_committed_offsets", func(msg maelstrom.Message) error {
		var body struct {
			Keys []string `json:"keys"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		out := map[string]int{}
		for _, k := range body.Keys {
			if v, ok := committed[k]; ok {
				out[k] = v
			}
		}
		mu.Unlock()
		return n.Reply(msg, map[string]any{"type": "list_committed_offsets_ok", "offsets": out})
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
