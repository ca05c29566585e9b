// Package pncounter is the reference solution to step 7b, "PN-Counter": a
// counter that goes up and down, built as a state-based CRDT from two
// grow-only counters. Each node counts what its own clients added in P
// (increments) and N (decrements, as positive amounts), and every
// replicateEvery sends both maps to every other node. The value is the sum
// of P minus the sum of N.
//
// A grow-only counter is a map from node to that node's total, merged by
// taking, per node, the larger of the two totals: a node's own total only
// grows, so the larger one is the newer. That merge is a join (commutative,
// associative, idempotent), so replicas may arrive late, twice or not at
// all. A single net total per node would not do: it can go down, and a
// maximum would then keep a stale, higher value and lose the decrement.
package pncounter

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// replicateEvery is how often a node sends its counters to the others.
const replicateEvery = time.Second

// GCounter is a grow-only counter: each node's total of what its own
// clients added.
type GCounter map[string]int

// Merge takes, per node, the larger total: each node's entry only grows,
// so the larger is the newer, and merging again changes nothing.
func (g GCounter) Merge(other GCounter) {
	for node, v := range other {
		g[node] = max(g[node], v)
	}
}

// Sum is the counter's value.
func (g GCounter) Sum() int {
	total := 0
	for _, v := range g {
		total += v
	}
	return total
}

// Counter is a PN-counter: increments in P and decrements in N, both as
// grow-only counters. Handlers and the replication loop run concurrently,
// so every access holds mu.
type Counter struct {
	mu   sync.Mutex
	P, N GCounter
}

// replica is the state a node sends: its two maps.
type replica struct {
	Type string   `json:"type"`
	P    GCounter `json:"inc"`
	N    GCounter `json:"dec"`
}

// Add counts delta as the local node's: up in P, down in N.
func (c *Counter) Add(node string, delta int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if delta >= 0 {
		c.P[node] += delta
	} else {
		c.N[node] -= delta
	}
}

// Merge joins another replica into this one, map by map.
func (c *Counter) Merge(r replica) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.P.Merge(r.P)
	c.N.Merge(r.N)
}

// Value is what a read returns.
func (c *Counter) Value() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.P.Sum() - c.N.Sum()
}

// replica copies the state, so that it can be sent without the lock.
func (c *Counter) replica() replica {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := replica{Type: "replicate", P: GCounter{}, N: GCounter{}}
	r.P.Merge(c.P)
	r.N.Merge(c.N)
	return r
}

// Start installs the handlers on n and replicates until ctx ends.
func Start(ctx context.Context, n *maelstrom.Node) {
	c := &Counter{P: GCounter{}, N: GCounter{}}

	n.Handle("add", func(msg maelstrom.Message) error {
		var req struct {
			Delta int `json:"delta"`
		}
		if err := json.Unmarshal(msg.Body, &req); err != nil {
			return err
		}
		c.Add(n.ID(), req.Delta)
		return n.Reply(msg, map[string]any{"type": "add_ok"})
	})

	n.Handle("read", func(msg maelstrom.Message) error {
		return n.Reply(msg, map[string]any{"type": "read_ok", "value": c.Value()})
	})

	n.Handle("replicate", func(msg maelstrom.Message) error {
		var r replica
		if err := json.Unmarshal(msg.Body, &r); err != nil {
			return err
		}
		c.Merge(r)
		return nil
	})

	go replicate(ctx, n, c)
}

// replicate sends the counters to every other node, every replicateEvery.
func replicate(ctx context.Context, n *maelstrom.Node, c *Counter) {
	t := time.NewTicker(replicateEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r := c.replica()
			for _, peer := range n.NodeIDs() {
				if peer != n.ID() {
					_ = n.Send(peer, r)
				}
			}
		}
	}
}
