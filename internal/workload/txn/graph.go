package txn

import "slices"

// Edge kinds. A dependency between two transactions is a path from one
// transaction node to the other whose first edge says what kind of
// dependency it is; the rest of the path runs through helper nodes (value
// lanes and time chains) on pass edges.
const (
	ekWW   uint8 = 1 << iota // a writer enters the write lane of its value
	ekWR                     // writer -> reader of one of its values
	ekRW                     // a reader enters the read lane of the value it read
	ekPass                   // everything inside lanes and chains
	ekRT                     // a completed transaction enters the real-time chain
)

// Node kinds.
const (
	nkTxn   uint8 = 1 << iota // a committed transaction
	nkWW                      // write lane of a value, or a key's write-lane time chain
	nkRW                      // read lane of a value, or a key's read-lane time chain
	nkValue                   // a value in the version graph
	nkChain                   // a time-chain node in the version graph
	nkTime                    // a node of the real-time chain
)

// graph is a directed graph in compressed sparse row form: the edges of
// node v are off[v] to off[v+1]. Every edge has a kind and a reason (an
// index into the checker's reasons, or -1), so that a path found by
// search can be explained.
type graph struct {
	nk   []uint8
	off  []int32
	to   []int32
	kind []uint8
	why  []int32
}

// builder collects edges in any order.
type builder struct {
	nk       []uint8
	from, to []int32
	kind     []uint8
	why      []int32
}

// grow makes room for n more nodes and m more edges.
func (b *builder) grow(n, m int) {
	b.nk = slices.Grow(b.nk, n)
	b.from = slices.Grow(b.from, m)
	b.to = slices.Grow(b.to, m)
	b.kind = slices.Grow(b.kind, m)
	b.why = slices.Grow(b.why, m)
}

func (b *builder) node(kind uint8) int32 {
	b.nk = append(b.nk, kind)
	return int32(len(b.nk) - 1)
}

func (b *builder) edge(from, to int32, kind uint8, why int32) {
	b.from = append(b.from, from)
	b.to = append(b.to, to)
	b.kind = append(b.kind, kind)
	b.why = append(b.why, why)
}

// chain adds n nodes of kind in a line, each entered by a pass edge from
// the one before, and hands each to at as it is added, so that the
// caller can attach what enters or leaves the line there.
func (b *builder) chain(kind uint8, n int, at func(i int, node int32)) {
	prev := int32(-1)
	for i := range n {
		node := b.node(kind)
		if prev >= 0 {
			b.edge(prev, node, ekPass, -1)
		}
		prev = node
		at(i, node)
	}
}

// build sorts the edges by source, keeping their order within a source.
func (b *builder) build() *graph {
	n := len(b.nk)
	g := &graph{nk: b.nk, off: make([]int32, n+1)}
	for _, f := range b.from {
		g.off[f+1]++
	}
	for i := 0; i < n; i++ {
		g.off[i+1] += g.off[i]
	}
	m := len(b.from)
	g.to = make([]int32, m)
	g.kind = make([]uint8, m)
	g.why = make([]int32, m)
	next := make([]int32, n)
	copy(next, g.off[:n])
	for i, f := range b.from {
		j := next[f]
		next[f]++
		g.to[j] = b.to[i]
		g.kind[j] = b.kind[i]
		g.why[j] = b.why[i]
	}
	return g
}

func (g *graph) size() int { return len(g.nk) }

// scc labels the strongly connected components of the subgraph made of
// nodes whose kind is in nodeMask and edges whose kind is in edgeMask,
// using Tarjan's algorithm with an explicit stack, so that long chains of
// dependencies cannot overflow anything. comp[v] is v's component, or -1
// for nodes outside the subgraph; components are numbered from 0.
func (g *graph) scc(nodeMask, edgeMask uint8) (comp []int32, ncomp int32) {
	n := g.size()
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
		call = append(call, frame{v, g.off[v]})
	}
	for s := int32(0); s < int32(n); s++ {
		comp[s] = -1
	}
	for s := int32(0); s < int32(n); s++ {
		if index[s] != 0 || g.nk[s]&nodeMask == 0 {
			continue
		}
		visit(s)
		for len(call) > 0 {
			top := len(call) - 1
			v, e := call[top].v, call[top].e
			if e < g.off[v+1] {
				call[top].e++
				if g.kind[e]&edgeMask == 0 {
					continue
				}
				w := g.to[e]
				if g.nk[w]&nodeMask == 0 {
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

// cycles groups the nodes of each component that has more than one node
// (our graphs have no self-loops, so only those hold cycles), in node
// order.
func cycles(comp []int32, ncomp int32) [][]int32 {
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

// searcher finds shortest paths inside one component with a 0-1
// breadth-first search: entering a counted node costs 1, anything else 0,
// so a path's length is the number of transactions (or values) it visits.
// Its arrays are reused between searches through a stamp.
type searcher struct {
	g      *graph
	stamp  []int32
	cur    int32
	dist   []int32
	parent []int32 // edge index that reached the state
	prev   []int32 // previous state
	level  []int32
	next   []int32
}

func newSearcher(g *graph) *searcher {
	n := 2 * g.size()
	return &searcher{g: g, stamp: make([]int32, n), dist: make([]int32, n), parent: make([]int32, n), prev: make([]int32, n)}
}

// query describes one search. States are (node, other): other records
// whether the path has entered a counted node other than target, so that a
// walk from a transaction straight back to itself through a lane (it read
// a value and later overwrote it) never counts as a cycle.
type query struct {
	from      int32
	other     bool // initial value of other
	target    int32
	comp      []int32
	c         int32
	nodeMask  uint8
	edgeMask  uint8
	countMask uint8
}

// path returns the edges of a shortest path from q.from to q.target that
// enters some other counted node on the way (unless q.other starts true),
// or nil. States are expanded level by level: a level is every state at
// one distance, grown through 0-cost edges before the next level starts,
// so the first time the target is reached the path is a shortest one.
func (s *searcher) path(q query) []int32 {
	g := s.g
	s.cur++
	if s.cur <= 0 { // wrapped: start the stamps again
		clear(s.stamp)
		s.cur = 1
	}
	start := 2*q.from + b2i(q.other)
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
			for e := g.off[v]; e < g.off[v+1]; e++ {
				if g.kind[e]&q.edgeMask == 0 {
					continue
				}
				w := g.to[e]
				if g.nk[w]&q.nodeMask == 0 || q.comp[w] != q.c {
					continue
				}
				o, cost := other, int32(0)
				if g.nk[w]&q.countMask != 0 {
					cost = 1
					if w == q.target {
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
