// Package broadcastfault is the reference solution to step 3c, Fly.io's
// "Fault Tolerant Broadcast": every value must reach every node even when
// the network drops messages between them for a while.
//
// It is step 3b's gossip with one addition: a node remembers, for each
// neighbour, the values it sent that the neighbour has not acknowledged,
// and sends them again until it does. A partition then only delays a
// value; when the network heals, the next retry carries it across.
package broadcastfault

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"sync"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// retryInterval is how often unacknowledged values are sent again. A
// gossip round trip takes two network latencies (200 ms at the
// challenge's --latency 100), so retrying sooner would mostly resend
// values whose acknowledgement is on its way.
const retryInterval = 500 * time.Millisecond

// store is the node's state. Handlers and the retry loop run
// concurrently, so every access holds mu.
type store struct {
	mu         sync.Mutex
	values     []int
	seen       map[int]bool
	neighbours []string
	// unacked holds, per neighbour, the values sent to it that it has
	// not acknowledged yet.
	unacked map[string]map[int]bool
}

// add records v and, if it is new, queues it for every neighbour but
// from. It returns the neighbours to send it to now.
func (s *store) add(v int, from string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen[v] {
		return nil
	}
	s.seen[v] = true
	s.values = append(s.values, v)
	var to []string
	for _, peer := range s.neighbours {
		if peer == from {
			continue
		}
		if s.unacked[peer] == nil {
			s.unacked[peer] = map[int]bool{}
		}
		s.unacked[peer][v] = true
		to = append(to, peer)
	}
	return to
}

// ack forgets the values peer has confirmed.
func (s *store) ack(peer string, vs []int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range vs {
		delete(s.unacked[peer], v)
	}
}

// pending returns, per neighbour, the values still unacknowledged.
func (s *store) pending() map[string][]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]int{}
	for peer, vs := range s.unacked {
		if len(vs) > 0 {
			out[peer] = slices.Sorted(maps.Keys(vs))
		}
	}
	return out
}

func (s *store) all() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int{}, s.values...)
}

// gossip is the body of a message between nodes: values to add, or, in
// a gossip_ok, the values acknowledged.
type gossip struct {
	Type     string `json:"type"`
	Messages []int  `json:"messages"`
}

// Start installs the handlers on n and runs the retry loop until ctx
// ends.
func Start(ctx context.Context, n *maelstrom.Node) {
	s := &store{seen: map[int]bool{}, unacked: map[string]map[int]bool{}}

	spread := func(v int, from string) {
		for _, peer := range s.add(v, from) {
			_ = n.Send(peer, gossip{Type: "gossip", Messages: []int{v}})
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

	// A gossip is acknowledged whether or not its values were new: the
	// sender only knows we have them once we say so, and a lost
	// acknowledgement is repaired by the sender's next retry.
	n.Handle("gossip", func(msg maelstrom.Message) error {
		var req gossip
		if err := json.Unmarshal(msg.Body, &req); err != nil {
			return err
		}
		for _, v := range req.Messages {
			spread(v, msg.Src)
		}
		return n.Send(msg.Src, gossip{Type: "gossip_ok", Messages: req.Messages})
	})

	n.Handle("gossip_ok", func(msg maelstrom.Message) error {
		var req gossip
		if err := json.Unmarshal(msg.Body, &req); err != nil {
			return err
		}
		s.ack(msg.Src, req.Messages)
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

	go retry(ctx, n, s)
}

// retry sends every neighbour, in one message, all the values it has not
// acknowledged, every retryInterval.
func retry(ctx context.Context, n *maelstrom.Node, s *store) {
	t := time.NewTicker(retryInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for peer, vs := range s.pending() {
				_ = n.Send(peer, gossip{Type: "gossip", Messages: vs})
			}
		}
	}
}
