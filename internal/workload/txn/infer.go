package txn

import (
	"fmt"
	"slices"
	"strings"

	"github.com/glomers/glomers/internal/workload/txngraph"
)

// Reasons explain edges; a path's reasons, in order, say why its first
// transaction precedes its last.
const (
	rsWrote  uint8 = iota + 1 // t wrote v
	rsRead                    // t read v (v < 0: the initial nil of key)
	rsWR                      // t read v, which its writer wrote
	rsWFR                     // t read v, then wrote w
	rsOrder                   // t wrote v, then w
	rsSeen                    // t read v, and completed at op t.done
	rsInvoke                  // t, invoked at op t.inv, wrote v
	rsDone                    // t completed at op t.done (real time)
	rsBegan                   // t was invoked at op t.inv, later (real time)
)

type reason struct {
	kind uint8
	t    int32
	v, w int32
	key  int32
}

// event is a point on a key's time line: a value first seen by a reader
// that completed at idx (entry), or a writer invoked at idx (exit).
type event struct {
	idx   int32
	entry bool
	v     int32 // entry: the value; exit: the writer's first write of the key
	t     int32 // entry: the reader; exit: the writer
}

// timeline returns, for each key, its events in history order. A value
// seen at index s precedes every write of a transaction invoked at an
// index after s: entries and exits never share an index, so following the
// line from an entry reaches exactly the later exits.
func (c *checker) timelines() [][]event {
	ev := make([][]event, len(c.keys))
	for id := range c.values {
		v := &c.values[id]
		if v.seen >= 0 && v.writer >= 0 {
			ev[v.key] = append(ev[v.key], event{idx: v.seen, entry: true, v: int32(id), t: v.seenBy})
		}
	}
	for k := range c.keys {
		for _, w := range c.keys[k].writers {
			t := &c.txns[w.t]
			first := int32(-1)
			for p := int(w.pos); p < len(t.mops); p++ {
				m := t.mops[p]
				if m.isWrite() && m.key == c.keys[k].key {
					if id := c.vindex[kv{m.key, m.value}]; c.values[id].writer == w.t {
						first = id
						break
					}
				}
			}
			if first >= 0 {
				ev[k] = append(ev[k], event{idx: int32(t.inv), v: first, t: w.t})
			}
		}
		slices.SortFunc(ev[k], func(a, b event) int { return int(a.idx - b.idx) })
	}
	return ev
}

// checkVersions builds the inferred version order of every key — the
// write-order and writes-follow-reads facts, and the time lines — and
// reports keys whose order is cyclic. Such a key is untrusted: none of the
// orders inferred for it are used afterwards.
func (c *checker) checkVersions() {
	c.timeline = c.timelines()
	c.factWhy = make([]int32, len(c.facts))
	for i, f := range c.facts {
		c.factWhy[i] = c.reasons.Add(reason{kind: f.kind, t: f.t, v: f.from, w: f.to, key: c.values[f.from].key})
	}
	var b txngraph.Builder
	events := 0
	for _, evs := range c.timeline {
		events += len(evs)
	}
	b.Grow(len(c.values)+events, len(c.facts)+2*events)
	c.reasons = slices.Grow(c.reasons, len(c.facts)+events)
	for range c.values {
		b.Node(txngraph.NodeValue)
	}
	for i, f := range c.facts {
		b.Edge(f.from, f.to, txngraph.EdgePass, c.factWhy[i])
	}
	for k, evs := range c.timeline {
		b.Chain(txngraph.NodeChain, len(evs), func(i int, n int32) {
			e := evs[i]
			if e.entry {
				b.Edge(e.v, n, txngraph.EdgePass, c.reasons.Add(reason{kind: rsSeen, t: e.t, v: e.v, key: int32(k)}))
			} else {
				b.Edge(n, e.v, txngraph.EdgePass, c.reasons.Add(reason{kind: rsInvoke, t: e.t, v: e.v, key: int32(k)}))
			}
		})
	}
	g := b.Build()
	comp, ncomp := g.SCC(txngraph.NodeValue|txngraph.NodeChain, txngraph.EdgePass)
	s := txngraph.NewSearcher(g)
	for _, ms := range txngraph.Cycles(comp, ncomp) {
		x := ms[0] // values come first in node order
		path := s.Path(txngraph.Query{From: x, Other: true, Target: x, Comp: comp, C: comp[x],
			NodeMask: txngraph.NodeValue | txngraph.NodeChain, EdgeMask: txngraph.EdgePass, CountMask: txngraph.NodeValue})
		key := c.values[x].key
		c.keys[key].untrusted = true
		var vals []string
		var why []reason
		var ops []int
		for _, e := range path {
			if g.NK[g.To[e]] == txngraph.NodeValue {
				vals = append(vals, fmt.Sprint(c.values[g.To[e]].val))
			}
			if g.Why[e] >= 0 {
				why = append(why, c.reasons[g.Why[e]])
				ops = append(ops, c.txns[c.reasons[g.Why[e]].t].op())
			}
		}
		order := strings.Join(append([]string{fmt.Sprint(c.values[x].val)}, vals...), " < ")
		c.add(KindCyclicVersions, anomalyCase{
			msg: fmt.Sprintf("key %d: the order of its values inferred from the history is cyclic, %s: %s. No store that runs each transaction's micro-ops in order and returns only values already written can do this; no order inferred for key %d is used further",
				c.keys[key].key, order, c.saySteps(c.namer(), why), c.keys[key].key),
			ops:  dedupe(ops),
			size: len(vals),
		})
	}
}

// findCycles builds the dependency graph of committed transactions and
// searches it for cycles. See the package documentation for its shape.
func (c *checker) findCycles() {
	g := c.buildDSG(c.timeline)
	c.metrics["graph_nodes"] = g.Size()
	c.metrics["graph_edges"] = len(g.To)
	txngraph.FindCycles(g, c.pol.Realtime, func(kind string, path []int32) { c.cycleCase(g, kind, path) })
}

// buildDSG builds the dependency graph. Nodes: one per transaction
// (present only when committed), two lanes per value, and for each key a
// time line per lane. Edges:
//
//	writer -ww-> ww(v)                  the writer of v enters v's write lane
//	reader -rw-> rw(v)                  a reader of v enters its read lane
//	reader -rw-> the key's read line    a reader of nil: nil precedes every write
//	writer -wr-> reader                 a committed writer to each reader
//	L(x) -> target(L, y)                for each inferred order x < y
//	L(v) -> L-line at v's first read, line -> target(L, writes of
//	                                    each transaction invoked later)
//
// where target(L, y) is y's writer when it committed, and L(y) otherwise,
// so that orders chain through values of transactions that did not (or may
// not have) commit without those transactions joining any cycle.
func (c *checker) buildDSG(timeline [][]event) *txngraph.Graph {
	var b txngraph.Builder
	events, nilReads := 0, 0
	for k, evs := range timeline {
		events += len(evs)
		nilReads += len(c.keys[k].nilReaders)
	}
	b.Grow(len(c.txns)+2*len(c.values)+2*events,
		len(c.values)+2*len(c.reads)+2*len(c.facts)+4*events+nilReads)
	c.reasons = slices.Grow(c.reasons, len(c.values)+2*len(c.reads)+2*events+nilReads)
	for i := range c.txns {
		if c.txns[i].committed {
			b.Node(txngraph.NodeTxn)
		} else {
			b.Node(0)
		}
	}
	nt := int32(len(c.txns))
	for range c.values {
		b.Node(txngraph.NodeWW)
		b.Node(txngraph.NodeRW)
	}
	ww := func(v int32) int32 { return nt + 2*v }
	rw := func(v int32) int32 { return nt + 2*v + 1 }
	committed := func(t int32) bool { return t >= 0 && c.txns[t].committed }
	target := func(lane uint8, v int32) int32 {
		if w := c.values[v].writer; committed(w) {
			return w
		}
		if lane == txngraph.NodeWW {
			return ww(v)
		}
		return rw(v)
	}
	trusted := func(v int32) bool { return !c.keys[c.values[v].key].untrusted }

	for id := range c.values {
		v := &c.values[id]
		if committed(v.writer) && trusted(int32(id)) {
			b.Edge(v.writer, ww(int32(id)), txngraph.EdgeWW, c.reasons.Add(reason{kind: rsWrote, t: v.writer, v: int32(id), key: v.key}))
		}
	}
	for _, r := range c.reads {
		w := c.values[r.v].writer
		if committed(w) && committed(r.t) {
			b.Edge(w, r.t, txngraph.EdgeWR, c.reasons.Add(reason{kind: rsWR, t: r.t, v: r.v, key: c.values[r.v].key}))
		}
		if trusted(r.v) {
			b.Edge(r.t, rw(r.v), txngraph.EdgeRW, c.reasons.Add(reason{kind: rsRead, t: r.t, v: r.v, key: c.values[r.v].key}))
		}
	}
	for i, f := range c.facts {
		if !trusted(f.from) {
			continue
		}
		why := c.factWhy[i]
		if !(f.kind == rsOrder && committed(c.values[f.from].writer)) {
			// (Within a committed writer, the order of its own writes is
			// no dependency between transactions.)
			b.Edge(ww(f.from), target(txngraph.NodeWW, f.to), txngraph.EdgePass, why)
		}
		b.Edge(rw(f.from), target(txngraph.NodeRW, f.to), txngraph.EdgePass, why)
	}
	for k, evs := range timeline {
		key := &c.keys[k]
		exits := false
		for _, e := range evs {
			exits = exits || !e.entry
		}
		if !exits {
			continue
		}
		for _, lane := range []uint8{txngraph.NodeWW, txngraph.NodeRW} {
			if lane == txngraph.NodeWW && key.untrusted {
				continue
			}
			b.Chain(lane, len(evs), func(i int, n int32) {
				e := evs[i]
				if i == 0 && lane == txngraph.NodeRW {
					for _, t := range key.nilReaders {
						if committed(t) {
							b.Edge(t, n, txngraph.EdgeRW, c.reasons.Add(reason{kind: rsRead, t: t, v: -1, key: int32(k)}))
						}
					}
				}
				if e.entry {
					if key.untrusted {
						return
					}
					from := ww(e.v)
					if lane == txngraph.NodeRW {
						from = rw(e.v)
					}
					b.Edge(from, n, txngraph.EdgePass, c.reasons.Add(reason{kind: rsSeen, t: e.t, v: e.v, key: int32(k)}))
					return
				}
				to := e.t
				if !committed(e.t) {
					to = target(lane, e.v)
				}
				b.Edge(n, to, txngraph.EdgePass, c.reasons.Add(reason{kind: rsInvoke, t: e.t, v: e.v, key: int32(k)}))
			})
		}
	}
	if c.pol.Realtime {
		c.realtimeChain(&b, committed)
	}
	return b.Build()
}

// realtimeChain adds, for strict serializability, the real-time order: a
// chain of nodes in history order, which each ok transaction enters at
// its completion and which leads to each committed transaction at its
// invocation, so that a path from T1 to T2 along it says T1 completed
// before T2 was invoked. It is linear in the number of transactions.
func (c *checker) realtimeChain(b *txngraph.Builder, committed func(int32) bool) {
	var spans []txngraph.Span
	for i := range c.txns {
		t := &c.txns[i]
		if !committed(int32(i)) {
			continue
		}
		s := txngraph.Span{T: int32(i), Inv: t.inv, Done: -1}
		if t.st == stOK {
			s.Done = t.done
		}
		spans = append(spans, s)
	}
	txngraph.RealtimeChain(b, spans, func(t int32, done bool) int32 {
		if done {
			return c.reasons.Add(reason{kind: rsDone, t: t, v: -1, key: -1})
		}
		return c.reasons.Add(reason{kind: rsBegan, t: t, v: -1, key: -1})
	})
}

// cycleCase records a cycle found by search: path starts at a
// transaction and returns to it. Its description is written only if the
// case is shown.
func (c *checker) cycleCase(g *txngraph.Graph, kind string, path []int32) {
	ops := txngraph.CycleOps(g, path, func(t int32) int { return c.txns[t].op() })
	c.add(kind, anomalyCase{ops: ops, size: len(ops), render: func() string { return c.describeCycle(g, kind, path) }})
}

// describeCycle says, step by step, why each transaction of a cycle
// precedes the next.
func (c *checker) describeCycle(g *txngraph.Graph, kind string, path []int32) string {
	steps := txngraph.Steps(g, path)
	n := c.namer()
	var sb strings.Builder
	sb.WriteString(txngraph.Outline(steps, func(t int32) string { return tName(&c.txns[t]) }))
	intermediate := false
	for i, st := range steps {
		why := make([]reason, len(st.Why))
		for j, w := range st.Why {
			why[j] = c.reasons[w]
			if r := why[j]; r.kind == rsWrote && !c.values[r.v].final {
				intermediate = true
			}
		}
		if i > 0 {
			sb.WriteString(" ")
		}
		fmt.Fprintf(&sb, "%s -%s-> %s: %s.", tName(&c.txns[st.From]), st.Dep, tName(&c.txns[st.To]), c.saySteps(n, why))
	}
	if kind == txngraph.KindG0 && intermediate {
		sb.WriteString(" (Some of these writes were overwritten later by the same transaction: Adya, who counts only each transaction's final write as a version, would call this a dirty write rather than G0.)")
	}
	return sb.String()
}

// namer names transactions in one message: in full (with the op that
// shows the outcome) the first time, by number after that.
type namer struct {
	c    *checker
	seen map[int32]bool
}

func (c *checker) namer() *namer { return &namer{c: c, seen: map[int32]bool{}} }

func (n *namer) name(t int32) string {
	if n.seen[t] {
		return tName(&n.c.txns[t])
	}
	n.seen[t] = true
	return n.c.label(t)
}

// saySteps renders the reasons along one dependency. A write reached
// along a key's time line follows either a read that completed before
// the writer was invoked, or the initial nil; the words say which.
func (c *checker) saySteps(n *namer, rs []reason) string {
	var parts []string
	for i, r := range rs {
		var prev *reason
		if i > 0 {
			prev = &rs[i-1]
		}
		switch {
		case r.kind == rsInvoke && (prev == nil || prev.kind != rsSeen):
			parts = append(parts, fmt.Sprintf("%s wrote %s", n.name(r.t), c.kv(r.v)))
		case r.kind == rsSeen && prev != nil && prev.v == r.v && prev.kind == rsRead && prev.t == r.t:
			// The reader is the first to have seen the value: said.
		case r.kind == rsSeen && prev != nil && prev.v == r.v && (prev.kind == rsRead || prev.kind == rsWrote):
			parts[len(parts)-1] += fmt.Sprintf(", which %s also read", n.name(r.t))
			if prev.kind == rsWrote {
				parts[len(parts)-1] = strings.Replace(parts[len(parts)-1], " also read", " read", 1)
			}
		default:
			parts = append(parts, c.say(n, r))
		}
	}
	return strings.Join(parts, "; ")
}

// say renders one reason in words.
func (c *checker) say(n *namer, r reason) string {
	switch r.kind {
	case rsWrote:
		return fmt.Sprintf("%s wrote %s", n.name(r.t), c.kv(r.v))
	case rsRead:
		if r.v < 0 {
			return fmt.Sprintf("%s read key %d = nil, the initial value, which precedes every write", n.name(r.t), c.keys[r.key].key)
		}
		return fmt.Sprintf("%s read %s", n.name(r.t), c.kv(r.v))
	case rsWR:
		w := n.name(c.values[r.v].writer)
		return fmt.Sprintf("%s wrote %s and %s read it", w, c.kv(r.v), n.name(r.t))
	case rsWFR:
		return fmt.Sprintf("%s read %s and then wrote %s", n.name(r.t), c.kv(r.v), c.kv(r.w))
	case rsOrder:
		return fmt.Sprintf("%s wrote %s and then %s", n.name(r.t), c.kv(r.v), c.kv(r.w))
	case rsSeen:
		return fmt.Sprintf("%s read %s", n.name(r.t), c.kv(r.v))
	case rsInvoke:
		return fmt.Sprintf("%s, invoked afterwards at op %d, wrote %s", n.name(r.t), c.txns[r.t].inv, c.kv(r.v))
	case rsDone:
		if !n.seen[r.t] {
			return fmt.Sprintf("%s completed", n.name(r.t)) // the label names the op
		}
		return fmt.Sprintf("%s completed at op %d", n.name(r.t), c.txns[r.t].done)
	case rsBegan:
		return fmt.Sprintf("%s was invoked after that, at op %d, so strict serializability puts it later", n.name(r.t), c.txns[r.t].inv)
	}
	return "?"
}

func dedupe(ops []int) []int {
	out := ops[:0]
	seen := map[int]bool{}
	for _, o := range ops {
		if !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	return out
}
