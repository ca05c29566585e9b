// Package txnuncommitted is the reference solution to step 6b, Fly.io's
// "Totally-Available, Read Uncommitted Transactions": every node answers
// every transaction at once, from its own copy of the registers, even
// when it cannot reach the others, and the copies catch up later.
//
// Total availability rules out asking anyone before replying, so a node
// applies a transaction locally, replies, and only then sends the
// transaction's writes to its peers, again and again until each
// acknowledges them. Read uncommitted forbids one thing, G0: transactions
// that overwrote each other in a cycle. Two nodes that applied concurrent
// writes to a key in the order they arrived could each end with the other
// one's value, and the pair of transactions then overwrote each other.
// So every write carries a version, a Lamport clock and the writer's node
// id, and a replica keeps a key's write only if its version is higher
// than the one it has: every replica sees each key's writes in one order,
// the versions', whatever order the network delivered them in.
package txnuncommitted

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// retryInterval is how often unacknowledged transactions are sent again.
// A round trip takes two network latencies, 200 ms at Maelstrom's default
// --latency 100; retrying sooner would mostly resend what is already
// acknowledged on the way back.
const retryInterval = 500 * time.Millisecond

// batchSize caps the transactions in one replicate message. After a long
// partition thousands are waiting, and the Maelstrom library refuses an
// input line over 64 KiB: the receiving node would stop. A few hundred
// small transactions make a message of a few KiB.
const batchSize = 200

// Version orders the writes to a key, the same on every node. Clock is a
// Lamport clock, so a transaction that saw a write (it ran on a node
// that had applied it) writes with a higher clock; Node breaks ties
// between nodes, Op between the writes of one transaction to one key,
// which must win in the order the transaction made them.
type Version struct {
	Clock uint64 `json:"clock"`
	Node  string `json:"node"`
	Op    int    `json:"op"`
}

// less orders versions by clock, then node, then position.
func (v Version) less(w Version) bool {
	if v.Clock != w.Clock {
		return v.Clock < w.Clock
	}
	if v.Node != w.Node {
		return v.Node < w.Node
	}
	return v.Op < w.Op
}

// register is one key's value and the version that wrote it.
type register struct {
	value   int
	version Version
}

// Txn is a transaction as replicated: its id, for acknowledgements, its
// clock, and all of its writes in order. A write's version is (Clock,
// origin node, its index in Writes).
type Txn struct {
	ID     string  `json:"id"`
	Clock  uint64  `json:"clock"`
	Writes [][]int `json:"writes"` // [key, value]
}

// store is the node's state. Handlers and the retry loop run
// concurrently, so every access holds mu; holding it for a whole
// transaction is also what keeps each node's transactions from
// interleaving.
type store struct {
	mu    sync.Mutex
	id    string
	peers []string
	clock uint64
	seq   int
	regs  map[int]register
	// unacked holds, per peer, the transactions it has not acknowledged.
	unacked map[string]map[string]Txn
}

// write applies one write if its version is newer than the key's.
// Called with mu held.
func (s *store) write(key, value int, v Version) {
	if r, ok := s.regs[key]; ok && !r.version.less(v) {
		return
	}
	s.regs[key] = register{value: value, version: v}
}

// local runs a client's transaction, in place, with the lock held
// throughout, and queues its writes for every peer. It returns the
// completed micro-ops and the transaction to replicate, whose Writes are
// empty if it wrote nothing.
func (s *store) local(txn []Op) ([]Op, Txn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock++
	s.seq++
	t := Txn{ID: fmt.Sprintf("%s-%d", s.id, s.seq), Clock: s.clock}
	out := make([]Op, len(txn))
	for i, op := range txn {
		switch op.F {
		case "r":
			op.Value = nil
			if r, ok := s.regs[op.Key]; ok {
				op.Value = &r.value
			}
		case "w":
			s.write(op.Key, *op.Value, Version{s.clock, s.id, len(t.Writes)})
			t.Writes = append(t.Writes, []int{op.Key, *op.Value})
		}
		out[i] = op
	}
	if len(t.Writes) > 0 {
		for _, p := range s.peers {
			s.unacked[p][t.ID] = t
		}
	}
	return out, t
}

// remote applies transactions replicated from node from. Applying one
// twice changes nothing: its versions are no longer newer.
func (s *store) remote(from string, txns []Txn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range txns {
		// Lamport's rule: later than anything seen, so the next local
		// write wins over this one.
		s.clock = max(s.clock, t.Clock)
		for i, w := range t.Writes {
			if len(w) == 2 {
				s.write(w[0], w[1], Version{t.Clock, from, i})
			}
		}
	}
}

// ack forgets the transactions peer has confirmed.
func (s *store) ack(peer string, ids []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		delete(s.unacked[peer], id)
	}
}

// pending returns, per peer, the transactions it has not acknowledged, in
// id order so that a test sees them the same way each time.
func (s *store) pending() map[string][]Txn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]Txn{}
	for p, ts := range s.unacked {
		for _, id := range slices.Sorted(maps.Keys(ts)) {
			out[p] = append(out[p], ts[id])
		}
	}
	return out
}

// replicate is the body of a message between nodes: transactions to
// apply, and in a replicate_ok the ids of those applied.
type replicate struct {
	Type string   `json:"type"`
	Txns []Txn    `json:"txns,omitempty"`
	IDs  []string `json:"ids,omitempty"`
}

// Start installs the handlers on n and runs the retry loop until ctx
// ends.
func Start(ctx context.Context, n *maelstrom.Node) {
	s := &store{regs: map[int]register{}, unacked: map[string]map[string]Txn{}}

	n.Handle("init", func(msg maelstrom.Message) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.id = n.ID()
		for _, p := range n.NodeIDs() {
			if p != n.ID() {
				s.peers = append(s.peers, p)
				s.unacked[p] = map[string]Txn{}
			}
		}
		return nil
	})

	n.Handle("txn", func(msg maelstrom.Message) error {
		var req struct {
			Txn []Op `json:"txn"`
		}
		if err := json.Unmarshal(msg.Body, &req); err != nil {
			return maelstrom.NewRPCError(maelstrom.MalformedRequest, err.Error())
		}
		done, t := s.local(req.Txn)
		// Reply first: a client of a totally available store waits for
		// nobody else. This first send may be lost; the retry loop
		// sends again until each peer acknowledges.
		if err := n.Reply(msg, map[string]any{"type": "txn_ok", "txn": done}); err != nil {
			return err
		}
		if len(t.Writes) > 0 {
			for _, p := range n.NodeIDs() {
				if p != n.ID() {
					_ = n.Send(p, replicate{Type: "replicate", Txns: []Txn{t}})
				}
			}
		}
		return nil
	})

	// Acknowledged whether or not the transactions were new: a lost
	// acknowledgement is repaired by the sender's next retry.
	n.Handle("replicate", func(msg maelstrom.Message) error {
		var req replicate
		if err := json.Unmarshal(msg.Body, &req); err != nil {
			return err
		}
		s.remote(msg.Src, req.Txns)
		ids := make([]string, len(req.Txns))
		for i, t := range req.Txns {
			ids[i] = t.ID
		}
		return n.Send(msg.Src, replicate{Type: "replicate_ok", IDs: ids})
	})

	n.Handle("replicate_ok", func(msg maelstrom.Message) error {
		var req replicate
		if err := json.Unmarshal(msg.Body, &req); err != nil {
			return err
		}
		s.ack(msg.Src, req.IDs)
		return nil
	})

	go retry(ctx, n, s)
}

// retry sends every peer, in one message, all the transactions it has not
// acknowledged, every retryInterval.
func retry(ctx context.Context, n *maelstrom.Node, s *store) {
	t := time.NewTicker(retryInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for p, ts := range s.pending() {
				for batch := range slices.Chunk(ts, batchSize) {
					_ = n.Send(p, replicate{Type: "replicate", Txns: batch})
				}
			}
		}
	}
}

// Op is one micro-operation, which travels as a JSON array [f, key,
// value]: ["r", 1, null] asks for key 1, ["r", 1, 3] is the answer, ["w",
// 1, 6] writes 6. A nil Value is JSON null: a read not yet done, or a key
// never written.
type Op struct {
	F     string
	Key   int
	Value *int
}

// UnmarshalJSON reads the [f, key, value] array.
func (o *Op) UnmarshalJSON(b []byte) error {
	var a []json.RawMessage
	if err := json.Unmarshal(b, &a); err != nil || len(a) != 3 {
		return fmt.Errorf("micro-op %s is not [f, key, value]", b)
	}
	if err := json.Unmarshal(a[0], &o.F); err != nil || (o.F != "r" && o.F != "w") {
		return fmt.Errorf("micro-op %s: function is not \"r\" or \"w\"", b)
	}
	if err := json.Unmarshal(a[1], &o.Key); err != nil {
		return fmt.Errorf("micro-op %s: key is not an integer", b)
	}
	o.Value = nil
	if err := json.Unmarshal(a[2], &o.Value); err != nil {
		return fmt.Errorf("micro-op %s: value is not an integer or null", b)
	}
	if o.F == "w" && o.Value == nil {
		return fmt.Errorf("micro-op %s writes null", b)
	}
	return nil
}

// MarshalJSON writes the [f, key, value] array.
func (o Op) MarshalJSON() ([]byte, error) {
	return json.Marshal([]any{o.F, o.Key, o.Value})
}
