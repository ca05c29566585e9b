// Package netsim is the simulated network between clients, server nodes and
// services: per-message latency, one receiver per destination, partitions,
// and the statistics Maelstrom reports.
//
// The model is pure, in the way etcd's raft is: it starts no goroutines,
// reads no clock and performs no I/O. The caller passes the current time to
// Send and Deliver, and asks NextDeadline when to call Deliver again. Chance
// (the latency draws) comes from the *rand.Rand in Config, so the same seed
// and the same sequence of calls give the same deliveries. Ties between
// messages due at the same instant are broken by send order, never by map
// order.
//
// Rules, as in Maelstrom (src/maelstrom/net.clj in jepsen-io/maelstrom):
//   - a message to or from a client has zero latency (clients are co-located
//     with the node they talk to); every other message, service traffic
//     included, gets a latency drawn at send time, in whole milliseconds;
//   - each destination has one receiver, as each Maelstrom node has one
//     thread feeding its stdin (net.clj recv!, process.clj stdin-thread):
//     when free, it takes the waiting message with the earliest deadline,
//     checks the partition then, and waits until that deadline before
//     delivering it and taking the next. A message due sooner that arrives
//     meanwhile (a client's request, with no latency) waits its turn, so
//     delivery can come later than the deadline: head-of-line blocking;
//   - a message is dropped, not delivered, if when its receiver takes it the
//     destination holds a grudge against its source (a partition): a message
//     taken before a partition starts is delivered, and one waiting in the
//     queue when a partition starts is dropped; clients and services are
//     never partitioned;
//   - a dropped message counts as sent but not received.
package netsim

import (
	"container/heap"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/glomers/glomers/internal/proto"
)

// Dist is a latency distribution (--latency-dist).
type Dist string

// The latency distributions Maelstrom offers. Each has mean --latency.
const (
	// Constant: every message takes exactly the latency.
	Constant Dist = "constant"
	// Uniform: a whole number of ms drawn uniformly from [0, 2*latency).
	Uniform Dist = "uniform"
	// Exponential: exponentially distributed with the latency as mean.
	Exponential Dist = "exponential"
)

// ParseDist parses a --latency-dist value.
func ParseDist(s string) (Dist, error) {
	switch d := Dist(s); d {
	case Constant, Uniform, Exponential:
		return d, nil
	}
	return "", fmt.Errorf("unknown latency distribution %q (valid: constant, uniform, exponential)", s)
}

// Kind is the kind of an endpoint.
type Kind int

// Endpoint kinds. Only nodes can be partitioned.
const (
	Node Kind = iota
	Service
	Client
)

// Config configures a network.
type Config struct {
	// Latency is the mean server-to-server latency (--latency, default 0).
	Latency time.Duration
	// Dist is the latency distribution (--latency-dist, default constant).
	Dist Dist
	// Rand draws latencies. Required when Latency > 0 and Dist is not
	// Constant.
	Rand *rand.Rand
}

// EventKind says what happened to a message.
type EventKind string

// Event kinds, as journaled.
const (
	Send EventKind = "send"
	Recv EventKind = "recv"
	Drop EventKind = "drop"
)

// Event is one entry of the network journal.
type Event struct {
	Kind EventKind
	// Time is when the event happened (since the start of the run).
	Time time.Duration
	// Deadline is when a sent message is due: the send time plus its
	// latency. A Recv may come later, when its receiver was busy.
	Deadline time.Duration
	// Msg is the message, with its network id set.
	Msg proto.Message
}

// Bucket counts events of one class of traffic.
type Bucket struct {
	SendCount int `json:"send_count"`
	RecvCount int `json:"recv_count"`
	// MsgCount counts distinct messages. Every message is sent once, so it
	// equals SendCount; it is kept because Maelstrom reports both.
	MsgCount int `json:"msg_count"`
}

// Stats are Maelstrom's network statistics. Clients holds traffic with a
// client at either end; Servers everything else, node-to-service traffic
// included. The Fly.io efficiency targets use Servers.
type Stats struct {
	All     Bucket `json:"all"`
	Clients Bucket `json:"clients"`
	Servers Bucket `json:"servers"`
}

// PerOp returns msg-count divided by the number of client operations
// invoked, or 0 when there were none (Maelstrom omits it then).
func (b Bucket) PerOp(ops int) float64 {
	if ops == 0 {
		return 0
	}
	return float64(b.MsgCount) / float64(ops)
}

// Grudge says, for each destination, which sources' messages it drops.
type Grudge map[string][]string

// String renders a grudge compactly and deterministically, e.g.
// "n0 drops n1,n2; n1 drops n0".
func (g Grudge) String() string {
	if len(g) == 0 {
		return "no partition"
	}
	dests := make([]string, 0, len(g))
	for d := range g {
		dests = append(dests, d)
	}
	slices.Sort(dests)
	var parts []string
	for _, d := range dests {
		srcs := slices.Clone(g[d])
		slices.Sort(srcs)
		parts = append(parts, d+" drops "+strings.Join(srcs, ","))
	}
	return strings.Join(parts, "; ")
}

// Net is the network. It is not safe for concurrent use: one driver owns it.
type Net struct {
	cfg       Config
	endpoints map[string]Kind
	receivers map[string]*receiver
	// ready holds what happens next: each busy receiver's message, at the
	// time it is delivered, and the messages dropped by a partition, at the
	// time their receiver took them.
	ready    queue
	inFlight int
	nextID   int64
	seq      uint64
	cut      map[string]map[string]bool // dest -> srcs it drops
	grudge   Grudge
	stats    Stats
}

// receiver is one destination's reader: the messages waiting for it,
// earliest deadline first, and whether it is busy with one (waiting for
// that message's deadline).
type receiver struct {
	waiting queue
	busy    bool
}

// New returns an empty network.
func New(cfg Config) *Net {
	if cfg.Dist == "" {
		cfg.Dist = Constant
	}
	return &Net{cfg: cfg, endpoints: map[string]Kind{}, receivers: map[string]*receiver{}, cut: map[string]map[string]bool{}}
}

// Add registers an endpoint. Adding an id twice keeps its first kind.
func (n *Net) Add(id string, k Kind) {
	if _, ok := n.endpoints[id]; !ok {
		n.endpoints[id] = k
	}
}

// Has reports whether id is a registered endpoint.
func (n *Net) Has(id string) bool {
	_, ok := n.endpoints[id]
	return ok
}

// Send accepts a message into the network at time now: it gets the next
// network id and a deadline. Sending from or to an unknown endpoint is an
// error, reported against the sender.
func (n *Net) Send(m proto.Message, now time.Duration) (Event, error) {
	if !n.Has(m.Src) {
		return Event{}, fmt.Errorf("message from unknown sender %q", m.Src)
	}
	if !n.Has(m.Dest) {
		return Event{}, fmt.Errorf("%s sent a message to unknown destination %q", m.Src, m.Dest)
	}
	id := n.nextID
	n.nextID++
	m.ID = &id
	deadline := now + n.latency(m)
	n.seq++
	r := n.receivers[m.Dest]
	if r == nil {
		r = &receiver{}
		n.receivers[m.Dest] = r
	}
	heap.Push(&r.waiting, &pending{deadline: deadline, at: deadline, seq: n.seq, msg: m})
	n.inFlight++
	n.count(m, Send)
	if !r.busy {
		n.take(r, now)
	}
	return Event{Kind: Send, Time: now, Deadline: deadline, Msg: m}, nil
}

// take is a free receiver taking its next message at time now: a message
// its destination's grudge cuts is dropped at once, and the first one that
// passes keeps the receiver busy until it is due.
func (n *Net) take(r *receiver, now time.Duration) {
	for len(r.waiting) > 0 {
		p := heap.Pop(&r.waiting).(*pending)
		p.at = max(now, p.deadline)
		p.dropped = n.cut[p.msg.Dest][p.msg.Src]
		if p.dropped {
			p.at = now
		}
		heap.Push(&n.ready, p)
		if !p.dropped {
			r.busy = true
			return
		}
	}
}

func (n *Net) latency(m proto.Message) time.Duration {
	if proto.IsClient(m.Src) || proto.IsClient(m.Dest) || n.cfg.Latency <= 0 {
		return 0
	}
	mean := float64(n.cfg.Latency) / float64(time.Millisecond)
	var ms float64
	switch n.cfg.Dist {
	case Uniform:
		ms = math.Floor(n.cfg.Rand.Float64() * 2 * mean)
	case Exponential:
		ms = math.Floor(n.cfg.Rand.ExpFloat64() * mean)
	default:
		ms = math.Floor(mean)
	}
	return time.Duration(ms) * time.Millisecond
}

// NextDeadline returns when the next delivery or drop is due: the time to
// call Deliver again.
func (n *Net) NextDeadline() (time.Duration, bool) {
	if len(n.ready) == 0 {
		return 0, false
	}
	return n.ready[0].at, true
}

// InFlight returns the number of messages not yet delivered or dropped.
func (n *Net) InFlight() int { return n.inFlight }

// Deliver pops the next message due at or before now. The event is a Recv
// for the caller to hand to the destination, or a Drop when a partition cut
// the link; ok is false when nothing is due. A delivery frees its receiver,
// which takes its next message as of the delivery's due time.
func (n *Net) Deliver(now time.Duration) (ev Event, ok bool) {
	if len(n.ready) == 0 || n.ready[0].at > now {
		return Event{}, false
	}
	p := heap.Pop(&n.ready).(*pending)
	n.inFlight--
	kind := Recv
	if p.dropped {
		kind = Drop
	} else {
		r := n.receivers[p.msg.Dest]
		r.busy = false
		n.take(r, p.at)
	}
	n.count(p.msg, kind)
	return Event{Kind: kind, Time: now, Deadline: p.deadline, Msg: p.msg}, true
}

// Partition replaces the current grudge. Grudges naming clients or
// services are ignored for them: only nodes are ever partitioned.
func (n *Net) Partition(g Grudge) {
	n.cut = map[string]map[string]bool{}
	n.grudge = Grudge{}
	for dest, srcs := range g {
		if k, ok := n.endpoints[dest]; !ok || k != Node {
			continue
		}
		for _, src := range srcs {
			if k, ok := n.endpoints[src]; !ok || k != Node || src == dest {
				continue
			}
			if n.cut[dest] == nil {
				n.cut[dest] = map[string]bool{}
			}
			if !n.cut[dest][src] {
				n.cut[dest][src] = true
				n.grudge[dest] = append(n.grudge[dest], src)
			}
		}
	}
}

// Heal removes every partition.
func (n *Net) Heal() { n.Partition(nil) }

// Grudge returns the partition in force.
func (n *Net) Grudge() Grudge { return n.grudge }

// Stats returns the statistics so far.
func (n *Net) Stats() Stats { return n.stats }

func (n *Net) count(m proto.Message, k EventKind) {
	buckets := []*Bucket{&n.stats.All, &n.stats.Servers}
	if proto.IsClient(m.Src) || proto.IsClient(m.Dest) {
		buckets[1] = &n.stats.Clients
	}
	for _, b := range buckets {
		switch k {
		case Send:
			b.SendCount++
			b.MsgCount++
		case Recv:
			b.RecvCount++
		}
	}
}

type pending struct {
	deadline time.Duration
	seq      uint64
	msg      proto.Message
	// at orders the queues: the deadline while the message waits for its
	// receiver; once taken, when it leaves the network (delivered at its
	// deadline or later, or dropped at once).
	at      time.Duration
	dropped bool
}

// queue is a min-heap of messages by at, then send order.
type queue []*pending

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if q[i].at != q[j].at {
		return q[i].at < q[j].at
	}
	return q[i].seq < q[j].seq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(*pending)) }
func (q *queue) Pop() any {
	old := *q
	p := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return p
}
