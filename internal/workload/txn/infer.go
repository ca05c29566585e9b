package txn

import (
	"fmt"
	"slices"
	"strings"
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

func (c *checker) reason(r reason) int32 {
	c.reasons = append(c.reasons, r)
	return int32(len(c.reasons) - 1)
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
		c.factWhy[i] = c.reason(reason{kind: f.kind, t: f.t, v: f.from, w: f.to, key: c.values[f.from].key})
	}
	var b builder
	events := 0
	for _, evs := range c.timeline {
		events += len(evs)
	}
	b.grow(len(c.values)+events, len(c.facts)+2*events)
	c.reasons = slices.Grow(c.reasons, len(c.facts)+events)
	for range c.values {
		b.node(nkValue)
	}
	for i, f := range c.facts {
		b.edge(f.from, f.to, ekPass, c.factWhy[i])
	}
	for k, evs := range c.timeline {
		b.chain(nkChain, len(evs), func(i int, n int32) {
			e := evs[i]
			if e.entry {
				b.edge(e.v, n, ekPass, c.reason(reason{kind: rsSeen, t: e.t, v: e.v, key: int32(k)}))
			} else {
				b.edge(n, e.v, ekPass, c.reason(reason{kind: rsInvoke, t: e.t, v: e.v, key: int32(k)}))
			}
		})
	}
	g := b.build()
	comp, ncomp := g.scc(nkValue|nkChain, ekPass)
	s := newSearcher(g)
	for _, ms := range cycles(comp, ncomp) {
		x := ms[0] // values come first in node order
		path := s.path(query{from: x, other: true, target: x, comp: comp, c: comp[x],
			nodeMask: nkValue | nkChain, edgeMask: ekPass, countMask: nkValue})
		key := c.values[x].key
		c.keys[key].untrusted = true
		var vals []string
		var why []reason
		var ops []int
		for _, e := range path {
			if g.nk[g.to[e]] == nkValue {
				vals = append(vals, fmt.Sprint(c.values[g.to[e]].val))
			}
			if g.why[e] >= 0 {
				why = append(why, c.reasons[g.why[e]])
				ops = append(ops, c.txns[c.reasons[g.why[e]].t].op())
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
	c.metrics["graph_nodes"] = g.size()
	c.metrics["graph_edges"] = len(g.to)
	s := newSearcher(g)
	const tries = 4
	isTxn := func(v int32) bool { return g.nk[v] == nkTxn }
	countTxns := func(ms []int32) int {
		n := 0
		for _, v := range ms {
			if isTxn(v) {
				n++
			}
		}
		return n
	}
	shortest := func(a, b []int32, g *graph) []int32 {
		if a == nil || (b != nil && txnsOn(g, b) < txnsOn(g, a)) {
			return b
		}
		return a
	}
	// components returns the graph's components within the masks, and
	// those of them that hold two transactions or more: only these can
	// close a cycle between transactions.
	components := func(nodeMask, edgeMask uint8) ([]int32, [][]int32) {
		comp, ncomp := g.scc(nodeMask, edgeMask)
		var sets [][]int32
		for _, ms := range cycles(comp, ncomp) {
			if countTxns(ms) >= 2 {
				sets = append(sets, ms)
			}
		}
		return comp, sets
	}
	// leaving returns the first tries edges of kind that leave a
	// transaction of ms and stay inside its component.
	leaving := func(ms, comp []int32, kind uint8) []int32 {
		var es []int32
		for _, u := range ms {
			if !isTxn(u) {
				continue
			}
			for e := g.off[u]; e < g.off[u+1] && len(es) < tries; e++ {
				if g.kind[e] == kind && comp[g.to[e]] == comp[u] {
					es = append(es, e)
				}
			}
		}
		return es
	}
	// closing returns the shortest cycle that starts with one of es and
	// comes back to that edge's source along q's masks, or nil.
	closing := func(es, comp []int32, q query) []int32 {
		var best []int32
		for _, e := range es {
			u := c.edgeSource(g, e)
			q.from, q.target, q.comp, q.c = g.to[e], u, comp, comp[u]
			if p := s.path(q); p != nil {
				best = shortest(best, append([]int32{e}, p...), g)
			}
		}
		return best
	}

	// G0: cycles of write-write dependencies.
	comp, sets := components(nkTxn|nkWW, ekWW|ekPass)
	for _, ms := range sets {
		var best []int32
		n := 0
		for _, v := range ms {
			if !isTxn(v) || n == tries {
				continue
			}
			n++
			best = shortest(best, s.path(query{from: v, target: v, comp: comp, c: comp[v],
				nodeMask: nkTxn | nkWW, edgeMask: ekWW | ekPass, countMask: nkTxn}), g)
		}
		if best != nil {
			c.cycleCase(g, KindG0, best)
		}
	}

	// G1c: cycles of ww and wr dependencies through at least one wr edge.
	comp, sets = components(nkTxn|nkWW, ekWW|ekWR|ekPass)
	for _, ms := range sets {
		best := closing(leaving(ms, comp, ekWR), comp, query{other: true,
			nodeMask: nkTxn | nkWW, edgeMask: ekWW | ekWR | ekPass, countMask: nkTxn})
		if best != nil {
			c.cycleCase(g, KindG1c, best)
		}
	}

	// G-single and G2: cycles through anti-dependencies. Look first for
	// one rw edge closed by ww and wr edges only, then allow more.
	comp, sets = components(nkTxn|nkWW|nkRW, ekWW|ekWR|ekRW|ekPass)
	for _, ms := range sets {
		rws := leaving(ms, comp, ekRW)
		var best []int32
		for _, mask := range []uint8{ekWW | ekWR | ekPass, ekWW | ekWR | ekRW | ekPass} {
			best = closing(rws, comp, query{nodeMask: nkTxn | nkWW | nkRW, edgeMask: mask, countMask: nkTxn})
			if best != nil {
				break
			}
		}
		if best == nil {
			continue
		}
		rw := 0
		for _, e := range best {
			if g.kind[e] == ekRW {
				rw++
			}
		}
		if rw == 1 {
			c.cycleCase(g, KindGSingle, best)
		} else {
			c.cycleCase(g, KindG2, best)
		}
	}

	// Real-time cycles (strict serializability): through at least one
	// real-time edge, named by the other edges as Elle names them.
	if !c.pol.realtime {
		return
	}
	const rtNodes, rtEdges = nkTxn | nkWW | nkRW | nkTime, ekWW | ekWR | ekRW | ekPass | ekRT
	comp, sets = components(rtNodes, rtEdges)
	for _, ms := range sets {
		best := closing(leaving(ms, comp, ekRT), comp, query{nodeMask: rtNodes, edgeMask: rtEdges, countMask: nkTxn})
		if best == nil {
			continue
		}
		rw, wr := 0, 0
		for _, e := range best {
			switch g.kind[e] {
			case ekRW:
				rw++
			case ekWR:
				wr++
			}
		}
		switch {
		case rw == 1:
			c.cycleCase(g, KindGSingleRT, best)
		case rw > 1:
			c.cycleCase(g, KindG2RT, best)
		case wr > 0:
			c.cycleCase(g, KindG1cRT, best)
		default:
			c.cycleCase(g, KindG0RT, best)
		}
	}
}

// edgeSource finds the node an edge leaves.
func (c *checker) edgeSource(g *graph, e int32) int32 {
	i, _ := slices.BinarySearchFunc(g.off, e, func(off, e int32) int {
		if off <= e {
			return -1
		}
		return 1
	})
	return int32(i - 1)
}

// txnsOn counts the transactions a path enters.
func txnsOn(g *graph, path []int32) int {
	n := 0
	for _, e := range path {
		if g.nk[g.to[e]] == nkTxn {
			n++
		}
	}
	return n
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
func (c *checker) buildDSG(timeline [][]event) *graph {
	var b builder
	events, nilReads := 0, 0
	for k, evs := range timeline {
		events += len(evs)
		nilReads += len(c.keys[k].nilReaders)
	}
	b.grow(len(c.txns)+2*len(c.values)+2*events,
		len(c.values)+2*len(c.reads)+2*len(c.facts)+4*events+nilReads)
	c.reasons = slices.Grow(c.reasons, len(c.values)+2*len(c.reads)+2*events+nilReads)
	for i := range c.txns {
		if c.txns[i].committed {
			b.node(nkTxn)
		} else {
			b.node(0)
		}
	}
	nt := int32(len(c.txns))
	for range c.values {
		b.node(nkWW)
		b.node(nkRW)
	}
	ww := func(v int32) int32 { return nt + 2*v }
	rw := func(v int32) int32 { return nt + 2*v + 1 }
	committed := func(t int32) bool { return t >= 0 && c.txns[t].committed }
	target := func(lane uint8, v int32) int32 {
		if w := c.values[v].writer; committed(w) {
			return w
		}
		if lane == nkWW {
			return ww(v)
		}
		return rw(v)
	}
	trusted := func(v int32) bool { return !c.keys[c.values[v].key].untrusted }

	for id := range c.values {
		v := &c.values[id]
		if committed(v.writer) && trusted(int32(id)) {
			b.edge(v.writer, ww(int32(id)), ekWW, c.reason(reason{kind: rsWrote, t: v.writer, v: int32(id), key: v.key}))
		}
	}
	for _, r := range c.reads {
		w := c.values[r.v].writer
		if committed(w) && committed(r.t) {
			b.edge(w, r.t, ekWR, c.reason(reason{kind: rsWR, t: r.t, v: r.v, key: c.values[r.v].key}))
		}
		if trusted(r.v) {
			b.edge(r.t, rw(r.v), ekRW, c.reason(reason{kind: rsRead, t: r.t, v: r.v, key: c.values[r.v].key}))
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
			b.edge(ww(f.from), target(nkWW, f.to), ekPass, why)
		}
		b.edge(rw(f.from), target(nkRW, f.to), ekPass, why)
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
		for _, lane := range []uint8{nkWW, nkRW} {
			if lane == nkWW && key.untrusted {
				continue
			}
			b.chain(lane, len(evs), func(i int, n int32) {
				e := evs[i]
				if i == 0 && lane == nkRW {
					for _, t := range key.nilReaders {
						if committed(t) {
							b.edge(t, n, ekRW, c.reason(reason{kind: rsRead, t: t, v: -1, key: int32(k)}))
						}
					}
				}
				if e.entry {
					if key.untrusted {
						return
					}
					from := ww(e.v)
					if lane == nkRW {
						from = rw(e.v)
					}
					b.edge(from, n, ekPass, c.reason(reason{kind: rsSeen, t: e.t, v: e.v, key: int32(k)}))
					return
				}
				to := e.t
				if !committed(e.t) {
					to = target(lane, e.v)
				}
				b.edge(n, to, ekPass, c.reason(reason{kind: rsInvoke, t: e.t, v: e.v, key: int32(k)}))
			})
		}
	}
	if c.pol.realtime {
		c.realtimeChain(&b, committed)
	}
	return b.build()
}

// realtimeChain adds, for strict serializability, the real-time order: a
// chain of nodes in history order, which each ok transaction enters at
// its completion and which leads to each committed transaction at its
// invocation, so that a path from T1 to T2 along it says T1 completed
// before T2 was invoked. It is linear in the number of transactions.
func (c *checker) realtimeChain(b *builder, committed func(int32) bool) {
	type tev struct {
		idx  int
		done bool
		t    int32
	}
	var evs []tev
	for i := range c.txns {
		t := &c.txns[i]
		if !committed(int32(i)) {
			continue
		}
		evs = append(evs, tev{idx: t.inv, t: int32(i)})
		if t.st == stOK {
			evs = append(evs, tev{idx: t.done, done: true, t: int32(i)})
		}
	}
	slices.SortFunc(evs, func(a, b tev) int { return a.idx - b.idx })
	b.chain(nkTime, len(evs), func(i int, n int32) {
		if e := evs[i]; e.done {
			b.edge(e.t, n, ekRT, c.reason(reason{kind: rsDone, t: e.t, v: -1, key: -1}))
		} else {
			b.edge(n, e.t, ekPass, c.reason(reason{kind: rsBegan, t: e.t, v: -1, key: -1}))
		}
	})
}

// cycleCase records a cycle found by search: path starts at a
// transaction and returns to it. Its description is written only if the
// case is shown.
func (c *checker) cycleCase(g *graph, kind string, path []int32) {
	var ops []int
	for _, e := range path {
		if to := g.to[e]; g.nk[to] == nkTxn {
			ops = append(ops, c.txns[to].op())
		}
	}
	// The path ends where it began: list the start first.
	ops = append(ops[len(ops)-1:], ops[:len(ops)-1]...)
	c.add(kind, anomalyCase{ops: ops, size: len(ops), render: func() string { return c.describeCycle(g, kind, path) }})
}

// describeCycle says, step by step, why each transaction of a cycle
// precedes the next.
func (c *checker) describeCycle(g *graph, kind string, path []int32) string {
	start := c.edgeSource(g, path[0])
	type step struct {
		from, to int32
		dep      string
		why      []reason
	}
	var steps []step
	cur := step{from: start}
	intermediate := false
	for _, e := range path {
		if cur.dep == "" {
			switch g.kind[e] {
			case ekWW:
				cur.dep = "ww"
			case ekWR:
				cur.dep = "wr"
			case ekRW:
				cur.dep = "rw"
			case ekRT:
				cur.dep = "rt"
			}
		}
		if w := g.why[e]; w >= 0 {
			r := c.reasons[w]
			cur.why = append(cur.why, r)
			if r.kind == rsWrote && !c.values[r.v].final {
				intermediate = true
			}
		}
		if to := g.to[e]; g.nk[to] == nkTxn {
			cur.to = to
			steps = append(steps, cur)
			cur = step{from: to}
		}
	}
	var sb strings.Builder
	n := c.namer()
	fmt.Fprintf(&sb, "cycle of %d transactions: ", len(steps))
	for i, st := range steps {
		if i == 0 {
			sb.WriteString(tName(&c.txns[st.from]))
		}
		fmt.Fprintf(&sb, " -%s-> %s", st.dep, tName(&c.txns[st.to]))
	}
	sb.WriteString(". ")
	for i, st := range steps {
		if i > 0 {
			sb.WriteString(" ")
		}
		fmt.Fprintf(&sb, "%s -%s-> %s: %s.", tName(&c.txns[st.from]), st.dep, tName(&c.txns[st.to]), c.saySteps(n, st.why))
	}
	if kind == KindG0 && intermediate {
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
