// Package txncommitted is the reference solution to step 6c, Fly.io's
// "Totally-Available, Read Committed Transactions": step 6b's replicated,
// totally available store, now promising read committed.
//
// Read committed adds G1 to what is forbidden: no transaction may read a
// write of a transaction that aborted (G1a), nor a value its writer
// overwrote before it committed (G1b), nor depend on another through a
// cycle of writes and reads (G1c). The rule that prevents all three is
// that a transaction's writes become visible together, at commit, and
// only their final values. So a transaction works on a private buffer:
// its writes go there and its reads look there first; when it has run
// to its end it installs the buffer's final values in one step, and only
// those final values, with one version per key, go to the peers. A
// transaction that stopped half way (here none does, but a real store
// aborts on conflicts and errors) would throw the buffer away, and no
// one would have seen it.
//
// Step 6b's solution, which writes in place, meets this too as long as
// its one lock hides a transaction's intermediate states from every
// other; this one does not rely on that, and it sends less: a key written
// five times by one transaction travels once.
package txncommitted

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
// between nodes. Op is the write's position in its transaction's
// Writes; a transaction writes each key once, so it orders nothing here,
// but it keeps versions unique.
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

// Txn is a committed transaction as replicated: its id, for
// acknowledgements, its clock, and the final value of each key it wrote. A write's version is (Clock,
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

// local runs a client's transaction against a private buffer and then
// commits it: installs the buffer's final values and queues them for
// every peer. The lock covers the whole run only so that the versions of
// one node's transactions follow its clock; the buffer is what keeps
// unfinished writes out of sight. It returns the completed micro-ops and
// the transaction to replicate, whose Writes are empty if it wrote
// nothing.
func (s *store) local(txn []Op) ([]Op, Txn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	buf := map[int]int{}
	var order []int // keys in the order first written, for a stable message
	out := make([]Op, len(txn))
	for i, op := range txn {
		switch op.F {
		case "r":
			op.Value = nil
			if v, ok := buf[op.Key]; ok {
				op.Value = &v
			} else if r, ok := s.regs[op.Key]; ok {
				op.Value = &r.value
			}
		case "w":
			if _, ok := buf[op.Key]; !ok {
				order = append(order, op.Key)
			}
			buf[op.Key] = *op.Value
		}
		out[i] = op
	}

	// Commit.
	s.clock++
	s.seq++
	t := Txn{ID: fmt.Sprintf("%s-%d", s.id, s.seq), Clock: s.clock}
	for _, k := range order {
		s.write(k, buf[k], Version{s.clock, s.id, len(t.Writes)})
		t.Writes = append(t.Writes, []int{k, buf[k]})
	}
	if len(t.Writes) > 0 {
		for _, p := range s.peers {
			s.unacked[p][t.ID] = t
		}
	}
	return out, t
}

// remote applies committed transactions replicated from node from, each
// in one step under the lock. Applying one twice changes nothing: its
// versions are no longer newer.
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
