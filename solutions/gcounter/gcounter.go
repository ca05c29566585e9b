// Package gcounter is the reference solution to step 4, Fly.io's
// "Grow-Only Counter": nodes keep no state of their own and store the
// counter in seq-kv, a sequentially consistent store that may answer a
// read from the past.
//
// Two lessons. Adds must not overwrite each other: each node owns one key
// and changes it only by compare-and-swap, retrying when it lost a race
// with itself (handlers run concurrently; no other node writes the key).
// Reads must not be stale at the end: seq-kv only promises that a caller
// never goes back past what it has already seen, so before summing the
// keys a read first writes a value nobody wrote before. Maelstrom's seq-kv
// applies a write to its newest state and moves this caller there, so
// every read that follows sees every add acknowledged before the write.
package gcounter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// callTimeout bounds one request to seq-kv. The store never loses a
// message in these runs, but a bound keeps a handler from waiting forever
// if it did; the client then sees an error, which the checker counts as
// "maybe happened".
const callTimeout = time.Second

// Register adds the counter's handlers to n.
func Register(n *maelstrom.Node) {
	kv := maelstrom.NewSeqKV(n)
	// syncs makes every freshness write unique: a write of the value
	// already there changes nothing, so seq-kv may answer it from the past.
	var syncs atomic.Int64

	n.Handle("add", func(msg maelstrom.Message) error {
		var body struct {
			Delta int `json:"delta"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		if err := add(kv, "counter-"+n.ID(), body.Delta); err != nil {
			return err
		}
		return n.Reply(msg, map[string]any{"type": "add_ok"})
	})

	n.Handle("read", func(msg maelstrom.Message) error {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		token := fmt.Sprintf("%s-%d", n.ID(), syncs.Add(1))
		if err := kv.Write(ctx, "sync-"+n.ID(), token); err != nil {
			return err
		}
		total := 0
		for _, id := range n.NodeIDs() {
			v, err := readInt(ctx, kv, "counter-"+id)
			if err != nil {
				return err
			}
			total += v
		}
		return n.Reply(msg, map[string]any{"type": "read_ok", "value": total})
	})
}

// add adds delta to key by compare-and-swap. A failed swap means another
// handler of this node changed the key since we read it (seq-kv never
// shows a caller a state older than its own changes); reading again is
// always safe because nothing was changed.
func add(kv *maelstrom.KV, key string, delta int) error {
	if delta == 0 {
		return nil
	}
	for {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		old, err := readInt(ctx, kv, key)
		if err == nil {
			err = kv.CompareAndSwap(ctx, key, old, old+delta, true)
		}
		cancel()
		if err == nil {
			return nil
		}
		if maelstrom.ErrorCode(err) != maelstrom.PreconditionFailed {
			return err
		}
	}
}

// readInt reads key as an integer; a key nobody has written yet holds 0.
func readInt(ctx context.Context, kv *maelstrom.KV, key string) (int, error) {
	v, err := kv.ReadInt(ctx, key)
	var rpcErr *maelstrom.RPCError
	if errors.As(err, &rpcErr) && rpcErr.Code == maelstrom.KeyDoesNotExist {
		return 0, nil
	}
	return v, err
}
