package txngraph

import "slices"

// Edge kinds. A dependency between two transactions is a path from one
// transaction node to the other whose first edge says what kind of
// dependency it is; the rest of the path runs through helper nodes (value
// lanes and time chains) on pass edges.
const (
	EdgeWW   uint8 = 1 << iota // a writer enters the write lane of its value
	EdgeWR                     // writer -> reader of one of its values
	EdgeRW                     // a reader enters the read lane of the value it read
	EdgePass                   // everything inside lanes and chains
	EdgeRT                     // a completed transaction enters the real-time chain
)

// Node kinds.
const (
	NodeTxn   uint8 = 1 << iota // a committed transaction
	NodeWW                      // write lane of a value, or a key's write-lane time chain
	NodeRW                      // read lane of a value, or a key's read-lane time chain
	NodeValue                   // a value in the version graph
	NodeChain                   // a time-chain node in the version graph
	NodeTime                    // a node of the real-time chain
)

// Graph is a directed graph in compressed sparse row form: the edges of
// node v are Off[v] to Off[v+1]. Every edge has a kind and a reason (an
// index into the checker's reasons, or -1), so that a path found by
// search can be explained.
type Graph struct {
	NK   []uint8 // each node's kind
	Off  []int32 // node v's edges are Off[v] to Off[v+1]
	To   []int32 // each edge's target
	Kind []uint8 // each edge's kind
	Why  []int32 // each edge's reason, or -1
}

// Reasons are a checker's explanations of its graph's edges, in the
// workload's own form R: an edge's Why is the index Add returned, so that
// a cycle, once found, can be told in words.
type Reasons[R any] []R

// Add keeps r and returns its index, an edge's Why.
func (rs *Reasons[R]) Add(r R) int32 {
	*rs = append(*rs, r)
	return int32(len(*rs) - 1)
}

// Builder collects edges in any order.
type Builder struct {
	nk       []uint8
	from, to []int32
	kind     []uint8
	why      []int32
}

// Grow makes room for n more nodes and m more edges.
func (b *Builder) Grow(n, m int) {
	b.nk = slices.Grow(b.nk, n)
	b.from = slices.Grow(b.from, m)
	b.to = slices.Grow(b.to, m)
	b.kind = slices.Grow(b.kind, m)
	b.why = slices.Grow(b.why, m)
}

// Node adds a node of kind and returns it.
func (b *Builder) Node(kind uint8) int32 {
	b.nk = append(b.nk, kind)
	return int32(len(b.nk) - 1)
}

// Edge adds an edge of kind from one node to another, with a reason (or -1).
func (b *Builder) Edge(from, to int32, kind uint8, why int32) {
	b.from = append(b.from, from)
	b.to = append(b.to, to)
	b.kind = append(b.kind, kind)
	b.why = append(b.why, why)
}

// Chain adds n nodes of kind in a line, each entered by a pass edge from
// the one before, and hands each to at as it is added, so that the
// caller can attach what enters or leaves the line there.
func (b *Builder) Chain(kind uint8, n int, at func(i int, node int32)) {
	prev := int32(-1)
	for i := range n {
		node := b.Node(kind)
		if prev >= 0 {
			b.Edge(prev, node, EdgePass, -1)
		}
		prev = node
		at(i, node)
	}
}

// Build sorts the edges by source, keeping their order within a source.
func (b *Builder) Build() *Graph {
	n := len(b.nk)
	g := &Graph{NK: b.nk, Off: make([]int32, n+1)}
	for _, f := range b.from {
		g.Off[f+1]++
	}
	for i := 0; i < n; i++ {
		g.Off[i+1] += g.Off[i]
	}
	m := len(b.from)
	g.To = make([]int32, m)
	g.Kind = make([]uint8, m)
	g.Why = make([]int32, m)
	next := make([]int32, n)
	copy(next, g.Off[:n])
	for i, f := range b.from {
		j := next[f]
		next[f]++
		g.To[j] = b.to[i]
		g.Kind[j] = b.kind[i]
		g.Why[j] = b.why[i]
	}
	return g
}

// Size is the number of nodes.
func (g *Graph) Size() int { return len(g.NK) }

// SCC labels the strongly connected components of the subgraph made of
// nodes whose kind is in nodeMask and edges whose kind is in edgeMask,
// using Tarjan's algorithm with an explicit stack, so that long chains of
// dependencies cannot overflow anything. comp[v] is v's component, or -1
// for nodes outside the subgraph; components are numbered from 0.
func (g *Graph) SCC(nodeMask, edgeMask uint8) (comp []int32, ncomp int32) {
	n := g.Size()
	index := make([]int32, n) // 0: not visited yet
	low := make([]int32, n)
	comp = make([]int32, n)
	onStack := make([]bool, n)
	var stack []int32
	type frame struct{ v, e int32 }
	var call []frame
	var counter int32
	visit := func(v int32) {
		counter++
		index[v], low[v] = counter, counter
		stack = append(stack, v)
		onStack[v] = true
		call = append(call, frame{v, g.Off[v]})
	}
	for s := int32(0); s < int32(n); s++ {
		comp[s] = -1
	}
	for s := int32(0); s < int32(n); s++ {
		if index[s] != 0 || g.NK[s]&nodeMask == 0 {
			continue
		}
		visit(s)
		for len(call) > 0 {
			top := len(call) - 1
			v, e := call[top].v, call[top].e
			if e < g.Off[v+1] {
				call[top].e++
				if g.Kind[e]&edgeMask == 0 {
					continue
				}
				w := g.To[e]
				if g.NK[w]&nodeMask == 0 {
					continue
				}
				if index[w] == 0 {
					visit(w)
				} else if onStack[w] {
					low[v] = min(low[v], index[w])
				}
				continue
			}
			if low[v] == index[v] {
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = ncomp
					if w == v {
						break
					}
				}
				ncomp++
			}
			call = call[:top]
			if top > 0 {
				u := call[top-1].v
				low[u] = min(low[u], low[v])
			}
		}
	}
	return comp, ncomp
}

// Cycles groups the nodes of each component that has more than one node
// (our graphs have no self-loops, so only those hold cycles), in node
// order.
func Cycles(comp []int32, ncomp int32) [][]int32 {
	count := make([]int32, ncomp)
	for _, c := range comp {
		if c >= 0 {
			count[c]++
		}
	}
	var out [][]int32
	at := make(map[int32]int, 16)
	for v, c := range comp {
		if c < 0 || count[c] < 2 {
			continue
		}
		i, ok := at[c]
		if !ok {
			i = len(out)
			at[c] = i
			out = append(out, make([]int32, 0, count[c]))
		}
		out[i] = append(out[i], int32(v))
	}
	return out
}

// Searcher finds shortest paths inside one component with a 0-1
// breadth-first search: entering a counted node costs 1, anything else 0,
// so a path's length is the number of transactions (or values) it visits.
// Its arrays are reused between searches through a stamp.
type Searcher struct {
	g      *Graph
	stamp  []int32
	cur    int32
	dist   []int32
	parent []int32 // edge index that reached the state
	prev   []int32 // previous state
	level  []int32
	next   []int32
}

// NewSearcher returns a searcher over g.
func NewSearcher(g *Graph) *Searcher {
	n := 2 * g.Size()
	return &Searcher{g: g, stamp: make([]int32, n), dist: make([]int32, n), parent: make([]int32, n), prev: make([]int32, n)}
}

// Query describes one search. States are (node, other): other records
// whether the path has entered a counted node other than target, so that a
// walk from a transaction straight back to itself through a lane (it read
// a value and later overwrote it) never counts as a cycle.
type Query struct {
	From      int32
	Other     bool // initial value of other
	Target    int32
	Comp      []int32 // component labels, from SCC
	C         int32   // the component to stay in
	NodeMask  uint8
	EdgeMask  uint8
	CountMask uint8 // node kinds that count towards a path's length
}

// Path returns the edges of a shortest path from q.From to q.Target that
// enters some other counted node on the way (unless q.Other starts true),
// or nil. States are expanded level by level: a level is every state at
// one distance, grown through 0-cost edges before the next level starts,
// so the first time the target is reached the path is a shortest one.
func (s *Searcher) Path(q Query) []int32 {
	g := s.g
	s.cur++
	if s.cur <= 0 { // wrapped: start the stamps again
		clear(s.stamp)
		s.cur = 1
	}
	start := 2*q.From + b2i(q.Other)
	s.stamp[start], s.dist[start], s.parent[start], s.prev[start] = s.cur, 0, -1, -1
	level := append(s.level[:0], start)
	next := s.next[:0]
	found, lastEdge := int32(-1), int32(-1)
	for d := int32(0); len(level) > 0 && found < 0; d++ {
		for i := 0; i < len(level) && found < 0; i++ {
			st := level[i]
			if s.dist[st] != d {
				continue // reached more cheaply since it was queued
			}
			v, other := st/2, st%2 == 1
			for e := g.Off[v]; e < g.Off[v+1]; e++ {
				if g.Kind[e]&q.EdgeMask == 0 {
					continue
				}
				w := g.To[e]
				if g.NK[w]&q.NodeMask == 0 || q.Comp[w] != q.C {
					continue
				}
				o, cost := other, int32(0)
				if g.NK[w]&q.CountMask != 0 {
					cost = 1
					if w == q.Target {
						if other {
							// The target may be the start itself, so its
							// arrival is kept apart from the states.
							found, lastEdge = st, e
							break
						}
						continue
					}
					o = true
				}
				ns := 2*w + b2i(o)
				if s.stamp[ns] == s.cur && s.dist[ns] <= d+cost {
					continue
				}
				s.stamp[ns], s.dist[ns], s.parent[ns], s.prev[ns] = s.cur, d+cost, e, st
				if cost == 0 {
					level = append(level, ns)
				} else {
					next = append(next, ns)
				}
			}
		}
		level, next = next, level[:0]
	}
	s.level, s.next = level, next
	if found < 0 {
		return nil
	}
	edges := []int32{lastEdge}
	for st := found; s.parent[st] >= 0; st = s.prev[st] {
		edges = append(edges, s.parent[st])
	}
	for i, j := 0, len(edges)-1; i < j; i, j = i+1, j-1 {
		edges[i], edges[j] = edges[j], edges[i]
	}
	return edges
}

func b2i(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

// EdgeSource finds the node edge e leaves.
func (g *Graph) EdgeSource(e int32) int32 {
	i, _ := slices.BinarySearchFunc(g.Off, e, func(off, e int32) int {
		if off <= e {
			return -1
		}
		return 1
	})
	return int32(i - 1)
}

// TxnsOn counts the transactions a path enters.
func TxnsOn(g *Graph, path []int32) int {
	n := 0
	for _, e := range path {
		if g.NK[g.To[e]] == NodeTxn {
			n++
		}
	}
	return n
}

// Span is a committed transaction's place in real time: the history
// indexes of its invocation and of its ok completion (-1 if it has none:
// then nothing is known to come after it).
type Span struct {
	T         int32 // the transaction's node
	Inv, Done int
}

// RealtimeChain adds real-time order, for strict serializability: a
// chain of time nodes in history order, which each transaction enters
// (by an EdgeRT edge) at its completion and which leads (by pass edges)
// to each transaction at its invocation, so that a path from T1 to T2
// along it says T1 completed before T2 was invoked. It is linear in the
// number of transactions. why gives each edge's reason: done for the
// edge into the chain, !done for the one out of it.
func RealtimeChain(b *Builder, spans []Span, why func(t int32, done bool) int32) {
	type tev struct {
		idx  int
		done bool
		t    int32
	}
	evs := make([]tev, 0, 2*len(spans))
	for _, s := range spans {
		evs = append(evs, tev{idx: s.Inv, t: s.T})
		if s.Done >= 0 {
			evs = append(evs, tev{idx: s.Done, done: true, t: s.T})
		}
	}
	slices.SortFunc(evs, func(a, b tev) int { return a.idx - b.idx })
	b.Chain(NodeTime, len(evs), func(i int, n int32) {
		if e := evs[i]; e.done {
			b.Edge(e.t, n, EdgeRT, why(e.t, true))
		} else {
			b.Edge(n, e.t, EdgePass, why(e.t, false))
		}
	})
}
