// Command linkv-stale writes and compare-and-swaps through Maelstrom's
// lin-kv service, correctly, but serves reads from a local cache that
// learns only of the node's own writes: once another node has written a
// key, this node keeps answering with the value it last saw. The lin-kv
// checker must report nonlinearizable (a stale read). Run it with two
// nodes or more; each key's readers and writers are spread over every
// node, so a read soon follows another node's write.
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
	cache := map[string]any{}
	type request struct {
		Key   any `json:"key"`
		Value any `json:"value"`
		From  any `json:"from"`
		To    any `json:"to"`
	}
	parse := func(msg maelstrom.Message) (request, string, error) {
		var r request
		err := json.Unmarshal(msg.Body, &r)
		return r, fmt.Sprint(r.Key), err
	}
	n.Handle("read", func(msg maelstrom.Message) error {
		_, key, err := parse(msg)
		if err != nil {
			return err
		}
		mu.Lock()
		v, ok := cache[key] // The bug: a cached value may be long out of date.
		mu.Unlock()
		if !ok {
			if v, err = kv.Read(context.Background(), key); err != nil {
				return err
			}
			mu.Lock()
			cache[key] = v
			mu.Unlock()
		}
		return n.Reply(msg, map[string]any{"type": "read_ok", "value": v})
	})
	n.Handle("write", func(msg maelstrom.Message) error {
		r, key, err := parse(msg)
		if err != nil {
			return err
		}
		if err := kv.Write(context.Background(), key, r.Value); err != nil {
			return err
		}
		mu.Lock()
		cache[key] = r.Value
		mu.Unlock()
		return n.Reply(msg, map[string]any{"type": "write_ok"})
	})
	n.Handle("cas", func(msg maelstrom.Message) error {
		r, key, err := parse(msg)
		if err != nil {
			return err
		}
		if err := kv.CompareAndSwap(context.Background(), key, r.From, r.To, false); err != nil {
			return err
		}
		mu.Lock()
		cache[key] = r.To
		mu.Unlock()
		return n.Reply(msg, map[string]any{"type": "cas_ok"})
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
