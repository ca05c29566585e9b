// Command datomic-no-cas keeps step 7c's whole database in lin-kv's root
// key, as the chapter's first version does, but commits by writing the
// new database back instead of swapping it in: read the root, apply the
// transaction, write the root. Two transactions that read the same root
// both write, and the second erases the first's appends, which some
// transaction may already have read. The list-append checker must find
// reads of one key that no single order of appends explains
// (incompatible-order), or cycles through the lost writes.
package main

import (
	"context"
	"encoding/json"
	"log"
	"maps"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// op is one micro-operation, [f, key, value]; value is a read's list or
// an append's element.
type op [3]any

func main() {
	n := maelstrom.NewNode()
	kv := maelstrom.NewLinKV(n)
	n.Handle("txn", func(msg maelstrom.Message) error {
		var req struct {
			Txn []op `json:"txn"`
		}
		if err := json.Unmarshal(msg.Body, &req); err != nil {
			return maelstrom.NewRPCError(maelstrom.MalformedRequest, err.Error())
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		db := map[string][]any{}
		if err := kv.ReadInto(ctx, "root", &db); err != nil && maelstrom.ErrorCode(err) != maelstrom.KeyDoesNotExist {
			return err
		}
		next := maps.Clone(db)
		changed := false
		for i, o := range req.Txn {
			k, err := json.Marshal(o[1])
			if err != nil {
				return err
			}
			switch o[0] {
			case "r":
				req.Txn[i][2] = next[string(k)]
			case "append":
				next[string(k)] = append(append([]any(nil), next[string(k)]...), o[2])
				changed = true
			}
		}
		if changed {
			// The bug: the root may have changed since it was read.
			if err := kv.Write(ctx, "root", next); err != nil {
				return err
			}
		}
		return n.Reply(msg, map[string]any{"type": "txn_ok", "txn": req.Txn})
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
