// Package gset is the reference solution to step 7a, "Grow-Only Set": a
// state-based CRDT. Each node keeps the set of elements it knows, adds a
// client's element locally and answers at once, and every replicateEvery
// sends its whole set to every other node, which merges it by union.
//
// Union is a join: commutative, associative and idempotent. So it does not
// matter in which order replicas arrive, how often the same one arrives, or
// whether one is lost: the next round carries everything again. No
// acknowledgements, no retries, no per-peer bookkeeping; a partition only
// delays the elements until it heals.
package gset

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"sync"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// replicateEvery is how often a node sends its whole set to the others.
// Shorter spreads elements sooner and costs more messages; their number
// per second does not grow with the rate of adds, only their size does.
const replicateEvery = time.Second

// Set is a grow-only set of integers. Handlers and the replication loop
// run concurrently, so every access holds mu.
type Set struct {
	mu       sync.Mutex
	elements map[int]bool
}

// Add puts e in the set.
func (s *Set) Add(e int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.elements[e] = true
}

// Merge is the join of two replicas: their union. Merging the same
// elements twice, or in another order, gives the same set.
func (s *Set) Merge(elements []int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range elements {
		s.elements[e] = true
	}
}

// Elements returns the set's elements, sorted; never nil, since an empty
// set is [] in JSON, not null.
func (s *Set) Elements() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.AppendSeq(make([]int, 0, len(s.elements)), maps.Keys(s.elements))
	slices.Sort(out)
	return out
}

// Start installs the handlers on n and replicates until ctx ends.
func Start(ctx context.Context, n *maelstrom.Node) {
	s := &Set{elements: map[int]bool{}}

	n.Handle("add", func(msg maelstrom.Message) error {
		var req struct {
			Element int `json:"element"`
		}
		if err := json.Unmarshal(msg.Body, &req); err != nil {
			return err
		}
		s.Add(req.Element)
		return n.Reply(msg, map[string]any{"type": "add_ok"})
	})

	n.Handle("read", func(msg maelstrom.Message) error {
		return n.Reply(msg, map[string]any{"type": "read_ok", "value": s.Elements()})
	})

	// A replica needs no reply: if it is lost, the next one carries the
	// same elements and more.
	n.Handle("replicate", func(msg maelstrom.Message) error {
		var req struct {
			Value []int `json:"value"`
		}
		if err := json.Unmarshal(msg.Body, &req); err != nil {
			return err
		}
		s.Merge(req.Value)
		return nil
	})

	go replicate(ctx, n, s)
}

// replicate sends the whole set to every other node, every replicateEvery.
func replicate(ctx context.Context, n *maelstrom.Node, s *Set) {
	t := time.NewTicker(replicateEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			value := s.Elements()
			for _, peer := range n.NodeIDs() {
				if peer != n.ID() {
					_ = n.Send(peer, map[string]any{"type": "replicate", "value": value})
				}
			}
		}
	}
}
