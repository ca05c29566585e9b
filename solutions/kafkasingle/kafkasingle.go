// Package kafkasingle is the reference solution to step 5a, Fly.io's
// "Single-Node Kafka-Style Log": one node keeps an append-only log per key,
// hands out offsets, serves polls and remembers committed offsets.
//
// With one node the whole job is bookkeeping under one lock. The lesson is
// in what the log promises: an offset, once handed out, names one message
// for ever; a send that starts after another to the same key was
// acknowledged gets a higher offset; and a poll never steps over an offset
// that holds a message, so a client that moves past what it was given
// never skips anything.
package kafkasingle

import (
	"encoding/json"
	"sync"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// maxPoll bounds the messages one poll returns per key. Clients poll again
// from where the last poll ended, so a bound only keeps replies small; the
// checker accepts any non-empty prefix.
const maxPoll = 32

// Log is a set of per-key logs and committed offsets, safe for concurrent
// use. Step 5c's owners keep a copy of it.
type Log struct {
	mu        sync.Mutex
	logs      map[string][]int
	committed map[string]int
}

// NewLog returns an empty Log.
func NewLog() *Log {
	return &Log{logs: map[string][]int{}, committed: map[string]int{}}
}

// Append adds msg to key's log and returns its offset. Offsets are indices
// into the log, so they start at 0 and have no gaps.
func (l *Log) Append(key string, msg int) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.logs[key] = append(l.logs[key], msg)
	return len(l.logs[key]) - 1
}

// Poll returns, for each key, up to maxPoll [offset, message] pairs
// starting at the requested offset; keys with nothing there are left out.
func (l *Log) Poll(offsets map[string]int) map[string][][2]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string][][2]int{}
	for key, from := range offsets {
		log := l.logs[key]
		from = max(from, 0)
		for off := from; off < len(log) && off < from+maxPoll; off++ {
			out[key] = append(out[key], [2]int{off, log[off]})
		}
	}
	return out
}

// Commit records committed offsets. The last commit wins: Kafka lets a
// consumer move its offset back, and the checker only notes it.
func (l *Log) Commit(offsets map[string]int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for key, off := range offsets {
		l.committed[key] = off
	}
}

// Committed returns the committed offsets of keys; keys never committed
// are left out, which tells the client to start from 0.
func (l *Log) Committed(keys []string) map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]int{}
	for _, key := range keys {
		if off, ok := l.committed[key]; ok {
			out[key] = off
		}
	}
	return out
}

// Bodies of the workload's requests.
type (
	// SendBody is a send request.
	SendBody struct {
		Key string `json:"key"`
		Msg int    `json:"msg"`
	}
	// OffsetsBody is a poll or commit_offsets request.
	OffsetsBody struct {
		Offsets map[string]int `json:"offsets"`
	}
	// KeysBody is a list_committed_offsets request.
	KeysBody struct {
		Keys []string `json:"keys"`
	}
)

// Register adds the log's handlers to n.
func Register(n *maelstrom.Node) {
	l := NewLog()
	n.Handle("send", func(msg maelstrom.Message) error {
		var body SendBody
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		return n.Reply(msg, map[string]any{"type": "send_ok", "offset": l.Append(body.Key, body.Msg)})
	})
	n.Handle("poll", func(msg maelstrom.Message) error {
		var body OffsetsBody
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		return n.Reply(msg, map[string]any{"type": "poll_ok", "msgs": l.Poll(body.Offsets)})
	})
	n.Handle("commit_offsets", func(msg maelstrom.Message) error {
		var body OffsetsBody
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		l.Commit(body.Offsets)
		return n.Reply(msg, map[string]any{"type": "commit_offsets_ok"})
	})
	n.Handle("list_committed_offsets", func(msg maelstrom.Message) error {
		var body KeysBody
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		return n.Reply(msg, map[string]any{"type": "list_committed_offsets_ok", "offsets": l.Committed(body.Keys)})
	})
}
