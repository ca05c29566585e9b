package listappend

import (
	"fmt"
	"strings"

	"github.com/glomers/glomers/internal/workload/txngraph"
)

// Reasons explain the graph's edges.
const (
	rsWW     uint8 = iota + 1 // t appended e2 right after from's e
	rsWR                      // t read a list ending with e, which from appended
	rsRW                      // from read the first n elements; t appended the next, e
	rsRWTail                  // from read all the n elements any read saw
	rsWWTail                  // from appended e, the last element any read saw
	rsUnread                  // t appended e, which no read saw
	rsDone                    // t completed (real time)
	rsBegan                   // t was invoked later (real time)
)

type reason struct {
	kind    uint8
	from, t int32
	key     int32
	e, e2   int32
	n       int32
}

// buildGraph builds the dependency graph of committed transactions from
// the version orders, as Elle's list-append checker does:
//
//	T1 -ww-> T2   T2 appended the element right after T1's in a key's order
//	T1 -wr-> T2   T2 read a list whose last element T1 appended
//	T1 -rw-> T2   T1 read the first n elements; T2 appended element n+1
//
// An append of a committed transaction that no read saw comes after every
// element read (it would be in the longest read otherwise): each key has
// a write hub, entered by the appender of the order's last element, and a
// read hub, entered by the readers of the whole order, both leading to
// every such appender. With strict serializability, real-time order joins
// the graph (txngraph.RealtimeChain).
func (c *checker) buildGraph() *txngraph.Graph {
	var b txngraph.Builder
	b.Grow(len(c.txns)+2*len(c.keys), len(c.elems)+2*len(c.reads)+2*len(c.txns))
	c.reasons = make([]reason, 0, len(c.elems)+2*len(c.reads)+2*len(c.txns))
	for i := range c.txns {
		if c.txns[i].committed {
			b.Node(txngraph.NodeTxn)
		} else {
			b.Node(0)
		}
	}
	committed := func(t int32) bool { return t >= 0 && c.txns[t].committed }
	writer := func(id int32) int32 { return c.elems[id].writer }

	tailReaders := make([][]int32, len(c.keys))
	for _, r := range c.reads {
		if !committed(r.t) {
			continue
		}
		n := len(r.list)
		if n > 0 {
			id := c.eindex[kv{c.keys[r.key].key, r.list[n-1]}]
			if w := writer(id); committed(w) && w != r.t {
				b.Edge(w, r.t, txngraph.EdgeWR, c.reasons.Add(reason{kind: rsWR, from: w, t: r.t, key: r.key, e: id, n: int32(n)}))
			}
		}
		k := &c.keys[r.key]
		if k.untrusted {
			continue
		}
		if n < len(k.order) {
			if w := writer(k.order[n]); committed(w) && w != r.t {
				b.Edge(r.t, w, txngraph.EdgeRW, c.reasons.Add(reason{kind: rsRW, from: r.t, t: w, key: r.key, e: k.order[n], n: int32(n)}))
			}
		} else {
			tailReaders[r.key] = append(tailReaders[r.key], r.t)
		}
	}
	unread := make([][]int32, len(c.keys))
	for id := range c.elems {
		e := &c.elems[id]
		if !e.inOrder && committed(e.writer) && !c.keys[e.key].untrusted {
			unread[e.key] = append(unread[e.key], int32(id))
		}
	}
	for ki := range c.keys {
		k := &c.keys[ki]
		if k.untrusted {
			continue
		}
		for i := 1; i < len(k.order); i++ {
			a, z := writer(k.order[i-1]), writer(k.order[i])
			if committed(a) && committed(z) && a != z {
				b.Edge(a, z, txngraph.EdgeWW, c.reasons.Add(reason{kind: rsWW, from: a, t: z, key: int32(ki), e: k.order[i-1], e2: k.order[i]}))
			}
		}
		if len(unread[ki]) == 0 {
			continue
		}
		var hubs []int32
		if len(tailReaders[ki]) > 0 {
			hub := b.Node(txngraph.NodeRW)
			hubs = append(hubs, hub)
			for _, t := range tailReaders[ki] {
				b.Edge(t, hub, txngraph.EdgeRW, c.reasons.Add(reason{kind: rsRWTail, from: t, key: int32(ki), n: int32(len(k.order))}))
			}
		}
		if n := len(k.order); n > 0 && committed(writer(k.order[n-1])) {
			hub := b.Node(txngraph.NodeWW)
			hubs = append(hubs, hub)
			w := writer(k.order[n-1])
			b.Edge(w, hub, txngraph.EdgeWW, c.reasons.Add(reason{kind: rsWWTail, from: w, key: int32(ki), e: k.order[n-1]}))
		}
		for _, hub := range hubs {
			prev := int32(-1)
			for _, id := range unread[ki] {
				if w := writer(id); w != prev {
					prev = w
					b.Edge(hub, w, txngraph.EdgePass, c.reasons.Add(reason{kind: rsUnread, t: w, key: int32(ki), e: id}))
				}
			}
		}
	}
	if c.pol.Realtime {
		var spans []txngraph.Span
		for i := range c.txns {
			t := &c.txns[i]
			if !t.committed {
				continue
			}
			s := txngraph.Span{T: int32(i), Inv: t.Inv, Done: -1}
			if t.St == stOK {
				s.Done = t.Done
			}
			spans = append(spans, s)
		}
		txngraph.RealtimeChain(&b, spans, func(t int32, done bool) int32 {
			if done {
				return c.reasons.Add(reason{kind: rsDone, t: t})
			}
			return c.reasons.Add(reason{kind: rsBegan, t: t})
		})
	}
	return b.Build()
}

// findCycles searches the dependency graph for cycles.
func (c *checker) findCycles() {
	g := c.buildGraph()
	c.metrics["graph_nodes"] = g.Size()
	c.metrics["graph_edges"] = len(g.To)
	txngraph.FindCycles(g, c.pol.Realtime, func(kind string, path []int32) {
		ops := txngraph.CycleOps(g, path, func(t int32) int { return c.txns[t].Op() })
		c.add(kind, txngraph.Case{Ops: ops, Size: len(ops), Render: func() string { return c.describeCycle(g, path) }})
	})
}

// describeCycle says, step by step, why each transaction of a cycle
// precedes the next.
func (c *checker) describeCycle(g *txngraph.Graph, path []int32) string {
	steps := txngraph.Steps(g, path)
	short := func(t int32) string { return fmt.Sprintf("T%d", c.txns[t].Num) }
	var sb strings.Builder
	sb.WriteString(txngraph.Outline(steps, short))
	seen := map[int32]bool{}
	name := func(t int32) string {
		if seen[t] {
			return short(t)
		}
		seen[t] = true
		return c.label(t)
	}
	for i, st := range steps {
		var parts []string
		for _, w := range st.Why {
			parts = append(parts, c.say(name, c.reasons[w]))
		}
		if i > 0 {
			sb.WriteString(" ")
		}
		fmt.Fprintf(&sb, "%s -%s-> %s: %s.", short(st.From), st.Dep, short(st.To), strings.Join(parts, "; "))
	}
	return sb.String()
}

// say renders one reason in words.
func (c *checker) say(name func(int32) string, r reason) string {
	key := int64(0)
	if r.kind != rsDone && r.kind != rsBegan {
		key = c.keys[r.key].key
	}
	prefix := func(n int32) string {
		list := c.keys[r.key].order[:n]
		vals := make([]int64, len(list))
		for i, id := range list {
			vals[i] = c.elems[id].val
		}
		if n == 0 {
			return "null"
		}
		return showList(vals)
	}
	switch r.kind {
	case rsWW:
		return fmt.Sprintf("%s appended %d to key %d and %s appended %d right after it", name(r.from), c.elems[r.e].val, key, name(r.t), c.elems[r.e2].val)
	case rsWR:
		return fmt.Sprintf("%s appended %d to key %d and %s read a list of key %d ending with it", name(r.from), c.elems[r.e].val, key, name(r.t), key)
	case rsRW:
		return fmt.Sprintf("%s read key %d = %s, without %d, which %s appended next", name(r.from), key, prefix(r.n), c.elems[r.e].val, name(r.t))
	case rsRWTail:
		return fmt.Sprintf("%s read key %d = %s, the longest list any read saw", name(r.from), key, prefix(r.n))
	case rsWWTail:
		return fmt.Sprintf("%s appended %d, the last element of key %d any read saw", name(r.from), c.elems[r.e].val, key)
	case rsUnread:
		return fmt.Sprintf("%s appended %d to key %d, which no read saw, so it came after every element read", name(r.t), c.elems[r.e].val, key)
	case rsDone:
		if n := name(r.t); strings.Contains(n, "(op") {
			return n + " completed" // the label names the op
		} else {
			return fmt.Sprintf("%s completed at op %d", n, c.txns[r.t].Done)
		}
	case rsBegan:
		return fmt.Sprintf("%s was invoked after that, at op %d, so strict serializability puts it later", name(r.t), c.txns[r.t].Inv)
	}
	return "?"
}
