// Package broadcastmulti is the reference solution to step 3b, Fly.io's
// "Multi-Node Broadcast": a value broadcast to any node must reach every
// node, by gossip between them.
//
// Each node forwards a value the first time it sees it, to its neighbours
// in the topology Maelstrom sends, and to no one when it has seen the value
// before. Remembering what it has seen is what stops the flood: every value
// crosses each link of the topology at most twice, once each way. Gossip is
// fire and forget; step 3c shows what that costs when the network fails.
package broadcastmulti

import (
	"encoding/json"
	"sync"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// store is the node's set of values and its neighbours. Handlers run
// concurrently, so every access holds mu.
type store struct {
	mu         sync.Mutex
	values     []int
	seen       map[int]bool
	neighbours []string
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

// peers returns the neighbours the topology message named.
func (s *store) peers() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.neighbours
}

// Register installs the handlers on n.
func Register(n *maelstrom.Node) {
	s := &store{seen: map[int]bool{}}

	// spread records v and, if it is new, passes it on to every
	// neighbour except the one it came from, which has it already.
	spread := func(v int, from string) {
		if !s.add(v) {
			return
		}
		for _, peer := range s.peers() {
			if peer == from {
				continue
			}
			// A gossip message carries no msg_id and expects no
			// reply: Send, not RPC. Errors writing stdout are the
			// library's to log; there is nothing better to do here.
			_ = n.Send(peer, map[string]any{"type": "gossip", "message": v})
		}
	}

	n.Handle("broadcast", func(msg maelstrom.Message) error {
		var req struct {
			Message int `json:"message"`
		}
		if err := json.Unmarshal(msg.Body, &req); err != nil {
			return err
		}
		spread(req.Message, msg.Src)
		return n.Reply(msg, map[string]any{"type": "broadcast_ok"})
	})

	// gossip is a value from another node. It is a message type of our
	// own rather than a forwarded broadcast, because a broadcast asks for
	// a broadcast_ok, and a reply nobody waits for would be an error on
	// the node that receives it.
	n.Handle("gossip", func(msg maelstrom.Message) error {
		var req struct {
			Message int `json:"message"`
		}
		if err := json.Unmarshal(msg.Body, &req); err != nil {
			return err
		}
		spread(req.Message, msg.Src)
		return nil
	})

	n.Handle("read", func(msg maelstrom.Message) error {
		return n.Reply(msg, map[string]any{"type": "read_ok", "messages": s.all()})
	})

	n.Handle("topology", func(msg maelstrom.Message) error {
		var req struct {
			Topology map[string][]string `json:"topology"`
		}
		if err := json.Unmarshal(msg.Body, &req); err != nil {
			return err
		}
		s.mu.Lock()
		s.neighbours = req.Topology[n.ID()]
		s.mu.Unlock()
		return n.Reply(msg, map[string]any{"type": "topology_ok"})
	})
}
