// Package kafkamulti is the reference solution to step 5b, Fly.io's
// "Multi-Node Kafka-Style Log": the log of step 5a served by several
// nodes, any of which may receive any request.
//
// The nodes share nothing but lin-kv, a linearizable store. The lesson is
// where linearizability is needed and what it costs. Two nodes must never
// hand out the same offset, so each key's whole log is one lin-kv value
// (the workload writes at most 16 messages to a key, so logs stay short)
// and a send appends by compare-and-swap: whoever wins the swap owns the
// offset, the log's old length, and the message is readable by every node
// the moment the send is acknowledged. A loser reads the log again and
// retries. Committed offsets live in lin-kv too, so a client may ask any
// node for them.
//
// Every send costs at least two round trips to lin-kv, more under
// contention, and every poll one per key: correct, but chatty. Step 5c
// removes most of it.
package kafkamulti

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// handlerTimeout bounds the lin-kv requests of one client request, so that
// a handler never waits for ever; the client then sees an error and treats
// the request as "maybe happened", which is true. The final phase polls
// hundreds of keys at once, so this is generous.
const handlerTimeout = 3 * time.Second

// lin-kv keys: a key's log, a JSON array of messages indexed by offset,
// and its committed offset.
func logKey(key string) string    { return "log-" + key }
func commitKey(key string) string { return "commit-" + key }

// Register adds the log's handlers to n.
func Register(n *maelstrom.Node) {
	kv := maelstrom.NewLinKV(n)

	n.Handle("send", func(msg maelstrom.Message) error {
		var body struct {
			Key string `json:"key"`
			Msg int    `json:"msg"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), handlerTimeout)
		defer cancel()
		off, err := appendMsg(ctx, kv, body.Key, body.Msg)
		if err != nil {
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
		ctx, cancel := context.WithTimeout(context.Background(), handlerTimeout)
		defer cancel()
		var mu sync.Mutex
		out := map[string][][2]int{}
		err := each(body.Offsets, func(key string, from int) error {
			log, err := readLog(ctx, kv, key)
			if err != nil {
				return err
			}
			var msgs [][2]int
			for off := max(from, 0); off < len(log); off++ {
				msgs = append(msgs, [2]int{off, log[off]})
			}
			if len(msgs) > 0 {
				mu.Lock()
				out[key] = msgs
				mu.Unlock()
			}
			return nil
		})
		if err != nil {
			return err
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
		ctx, cancel := context.WithTimeout(context.Background(), handlerTimeout)
		defer cancel()
		// The last commit wins, as in step 5a.
		err := each(body.Offsets, func(key string, off int) error {
			return kv.Write(ctx, commitKey(key), off)
		})
		if err != nil {
			return err
		}
		return n.Reply(msg, map[string]any{"type": "commit_offsets_ok"})
	})

	n.Handle("list_committed_offsets", func(msg maelstrom.Message) error {
		var body struct {
			Keys []string `json:"keys"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), handlerTimeout)
		defer cancel()
		keys := map[string]bool{}
		for _, key := range body.Keys {
			keys[key] = true
		}
		var mu sync.Mutex
		out := map[string]int{}
		err := each(keys, func(key string, _ bool) error {
			off, err := kv.ReadInt(ctx, commitKey(key))
			if missing(err) {
				return nil
			}
			if err != nil {
				return err
			}
			mu.Lock()
			out[key] = off
			mu.Unlock()
			return nil
		})
		if err != nil {
			return err
		}
		return n.Reply(msg, map[string]any{"type": "list_committed_offsets_ok", "offsets": out})
	})
}

// appendMsg appends msg to key's log and returns its offset. The swap
// succeeds only if nobody appended since we read the log; otherwise we
// read again. A stale log is never a problem, only a retry.
func appendMsg(ctx context.Context, kv *maelstrom.KV, key string, msg int) (int, error) {
	for {
		log, err := readLog(ctx, kv, key)
		if err != nil {
			return 0, err
		}
		err = kv.CompareAndSwap(ctx, logKey(key), log, append(log, msg), true)
		if err == nil {
			return len(log), nil
		}
		if maelstrom.ErrorCode(err) != maelstrom.PreconditionFailed {
			return 0, err
		}
	}
}

// readLog returns key's log; a key nobody sent to has an empty one, which
// a compare-and-swap with create_if_not_exists may then create.
func readLog(ctx context.Context, kv *maelstrom.KV, key string) ([]int, error) {
	log := []int{}
	err := kv.ReadInto(ctx, logKey(key), &log)
	if missing(err) {
		return []int{}, nil
	}
	return log, err
}

// each runs fn on every entry of m at once and returns the first error.
// The final phase of a run polls and commits hundreds of keys in one
// request; one lin-kv round trip after another would exceed the client's
// patience.
func each[V any](m map[string]V, fn func(string, V) error) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(m))
	for key, v := range m {
		wg.Go(func() {
			if err := fn(key, v); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// missing reports whether err says the key was never written.
func missing(err error) bool {
	var rpcErr *maelstrom.RPCError
	return errors.As(err, &rpcErr) && rpcErr.Code == maelstrom.KeyDoesNotExist
}
