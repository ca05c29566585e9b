// Package broadcastefficient2 is the reference solution to step 3e,
// Fly.io's "Efficient Broadcast, Part II": the cluster of step 3d with a
// tighter budget of messages (fewer than 20 per operation) and a looser
// one of time (a median under one second, a maximum under two).
//
// It is step 3d's code with longer intervals, and nothing else: batching
// trades latency for messages, and the intervals set the exchange rate.
// Each node now holds values for nodeFlush before passing them to the
// hub, so that a few share a message, and the hub holds them three times
// as long as in 3d; the sync runs half as often.
//
// The design, unchanged from 3d:
//
//   - The topology. Maelstrom's grid makes a value travel up to eight hops
//     (800 ms) and cross every link. We ignore it and use a star: every
//     node sends to one hub, the hub sends to everyone, so any value is
//     two hops from any node.
//   - One message per value. The hub collects what arrived and sends it to
//     every node in one message per hubFlush; a message costs the
//     same whether it carries one value or fifty.
//   - Acknowledgements. They doubled every message to guard against a loss
//     that almost never happens. Instead, every syncInterval each node
//     sends the hub everything it has, and the hub answers with whatever
//     the node lacks: anti-entropy, which repairs any loss, including a
//     whole partition, for a fixed cost per interval.
package broadcastefficient2

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// region intervals
// The three intervals are the whole trade-off between messages and
// latency: a value waits up to nodeFlush on its first node, one latency
// to the hub, up to hubFlush there and one latency to every other node.
const (
	// nodeFlush is how often a node passes new values to the hub.
	nodeFlush = 150 * time.Millisecond
	// hubFlush is how often the hub passes new values to every node.
	hubFlush = 300 * time.Millisecond
	// syncInterval is how often a node compares notes with the hub.
	syncInterval = 2 * time.Second
)

// endregion intervals

// store is the node's state. Handlers and the flush and sync loops run
// concurrently, so every access holds mu.
type store struct {
	mu     sync.Mutex
	values []int
	seen   map[int]bool
	// outbox holds the values that arrived since the last flush and
	// have not been passed on yet.
	outbox []int
}

// add records the new values among vs and, when forward is set, queues
// them for the next flush. A node forwards what clients gave it; the hub
// forwards everything new to it; a node never forwards what came from
// the hub, which would only send it back.
func (s *store) add(forward bool, vs ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range vs {
		if !s.seen[v] {
			s.seen[v] = true
			s.values = append(s.values, v)
			if forward {
				s.outbox = append(s.outbox, v)
			}
		}
	}
}

// take empties the outbox and returns what it held.
func (s *store) take() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.outbox
	s.outbox = nil
	return out
}

func (s *store) all() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int{}, s.values...)
}

// missing returns the values we hold that are neither in have nor still
// waiting in the outbox (those go out with the next flush anyway).
func (s *store) missing(have []int) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	skip := make(map[int]bool, len(have)+len(s.outbox))
	for _, v := range have {
		skip[v] = true
	}
	for _, v := range s.outbox {
		skip[v] = true
	}
	var out []int
	for _, v := range s.values {
		if !skip[v] {
			out = append(out, v)
		}
	}
	return out
}

// values is the body of every message between nodes: gossip (new values,
// no reply), sync (all of the sender's values) and sync_ok (the values
// the syncing node lacked).
type values struct {
	Type     string `json:"type"`
	Messages []int  `json:"messages"`
}

// Start installs the handlers on n and runs the flush and sync loops
// until ctx ends.
func Start(ctx context.Context, n *maelstrom.Node) {
	StartWith(ctx, n, Intervals{NodeFlush: nodeFlush, HubFlush: hubFlush, Sync: syncInterval})
}

// Intervals are the three settings of the trade-off. Start uses the
// constants above; chapter 3e's table runs the package with others.
type Intervals struct {
	NodeFlush, HubFlush, Sync time.Duration
}

// StartWith is Start with other intervals.
func StartWith(ctx context.Context, n *maelstrom.Node, iv Intervals) {
	s := &store{seen: map[int]bool{}}

	n.Handle("broadcast", func(msg maelstrom.Message) error {
		var req struct {
			Message int `json:"message"`
		}
		if err := json.Unmarshal(msg.Body, &req); err != nil {
			return err
		}
		s.add(true, req.Message)
		return n.Reply(msg, map[string]any{"type": "broadcast_ok"})
	})

	n.Handle("gossip", func(msg maelstrom.Message) error {
		var req values
		if err := json.Unmarshal(msg.Body, &req); err != nil {
			return err
		}
		s.add(n.ID() == hub(n), req.Messages...)
		return nil
	})

	// Only the hub receives sync. It learns what the node had that it
	// did not (add queues those for everyone) and answers only when the
	// node lacks something, so a quiet, healthy cluster pays one message
	// per node per syncInterval.
	n.Handle("sync", func(msg maelstrom.Message) error {
		var req values
		if err := json.Unmarshal(msg.Body, &req); err != nil {
			return err
		}
		s.add(true, req.Messages...)
		if lack := s.missing(req.Messages); len(lack) > 0 {
			return n.Send(msg.Src, values{Type: "sync_ok", Messages: lack})
		}
		return nil
	})

	n.Handle("sync_ok", func(msg maelstrom.Message) error {
		var req values
		if err := json.Unmarshal(msg.Body, &req); err != nil {
			return err
		}
		s.add(false, req.Messages...)
		return nil
	})

	n.Handle("read", func(msg maelstrom.Message) error {
		return n.Reply(msg, map[string]any{"type": "read_ok", "messages": s.all()})
	})

	// The topology Maelstrom suggests is acknowledged and ignored: the
	// star is ours.
	n.Handle("topology", func(msg maelstrom.Message) error {
		return n.Reply(msg, map[string]any{"type": "topology_ok"})
	})

	// ready is closed once init has named this node and its peers. The
	// library sets them without a lock, so the loop, which runs on its
	// own from the start, may read them only after.
	ready := make(chan struct{})
	n.Handle("init", func(maelstrom.Message) error { close(ready); return nil })

	go loop(ctx, n, s, iv, ready)
}

// hub is the centre of the star: the first node Maelstrom names, which
// every node agrees on without a message.
func hub(n *maelstrom.Node) string { return n.NodeIDs()[0] }

// loop flushes the outbox and syncs with the hub, from init until ctx
// ends.
func loop(ctx context.Context, n *maelstrom.Node, s *store, iv Intervals, ready <-chan struct{}) {
	select {
	case <-ready:
	case <-ctx.Done():
		return
	}
	flush := time.NewTicker(iv.NodeFlush)
	defer flush.Stop()
	sync := time.NewTicker(iv.Sync)
	defer sync.Stop()
	var last time.Time // the hub's last flush
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-flush.C:
			if n.ID() != hub(n) {
				if vs := s.take(); len(vs) > 0 {
					_ = n.Send(hub(n), values{Type: "gossip", Messages: vs})
				}
				continue
			}
			if now.Sub(last) < iv.HubFlush {
				continue
			}
			last = now
			if vs := s.take(); len(vs) > 0 {
				for _, peer := range n.NodeIDs() {
					if peer != n.ID() {
						_ = n.Send(peer, values{Type: "gossip", Messages: vs})
					}
				}
			}
		case <-sync.C:
			if n.ID() != hub(n) {
				_ = n.Send(hub(n), values{Type: "sync", Messages: s.all()})
			}
		}
	}
}
