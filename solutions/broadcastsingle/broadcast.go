// Package broadcastsingle is the reference solution to step 3a, Fly.io's
// "Single-Node Broadcast": one node keeps every value clients broadcast to
// it and hands the whole set back on a read.
//
// There is no one to tell yet, so the node is a set behind a lock. The
// shape of the three handlers is what the next steps keep: broadcast
// stores, read returns everything, topology is acknowledged.
package broadcastsingle

import (
	"encoding/json"
	"sync"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// store is the node's set of values. Handlers run concurrently (the
// library starts a goroutine per message), so every access holds mu.
type store struct {
	mu     sync.Mutex
	values []int
	seen   map[int]bool
}

// add records v and reports whether it was new.
func (s *store) add(v int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen[v] {
		return false
	}
	s.seen[v] = true
	s.values = append(s.values, v)
	return true
}

// all returns a copy of the values, never nil (so an empty node answers
// []) and the reply's own while Reply encodes it after the lock is
// released: a store that changed its slice in place would race with the
// encoder without it.
func (s *store) all() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int{}, s.values...)
}

// Register installs the broadcast, read and topology handlers on n.
func Register(n *maelstrom.Node) {
	s := &store{seen: map[int]bool{}}

	n.Handle("broadcast", func(msg maelstrom.Message) error {
		var req struct {
			Message int `json:"message"`
		}
		if err := json.Unmarshal(msg.Body, &req); err != nil {
			return err
		}
		s.add(req.Message)
		return n.Reply(msg, map[string]any{"type": "broadcast_ok"})
	})

	n.Handle("read", func(msg maelstrom.Message) error {
		return n.Reply(msg, map[string]any{"type": "read_ok", "messages": s.all()})
	})

	// With one node the topology names no neighbours; it only needs an
	// answer.
	n.Handle("topology", func(msg maelstrom.Message) error {
		return n.Reply(msg, map[string]any{"type": "topology_ok"})
	})
}
