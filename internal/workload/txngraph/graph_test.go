package txngraph

import (
	"math/rand/v2"
	"testing"
)

// naiveSCC labels components by mutual reachability, the definition.
func naiveSCC(n int, adj [][]int32) []int {
	reach := make([][]bool, n)
	for s := range n {
		reach[s] = make([]bool, n)
		stack := []int32{int32(s)}
		reach[s][s] = true
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, w := range adj[v] {
				if !reach[s][w] {
					reach[s][w] = true
					stack = append(stack, w)
				}
			}
		}
	}
	label := make([]int, n)
	for i := range label {
		label[i] = -1
	}
	next := 0
	for v := range n {
		if label[v] >= 0 {
			continue
		}
		for w := range n {
			if reach[v][w] && reach[w][v] {
				label[w] = next
			}
		}
		next++
	}
	return label
}

// The iterative Tarjan agrees with the definition of strongly connected
// components on random graphs (fast versus naive, as etcd's quorum tests
// do).
func TestSCCMatchesNaive(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 5))
	for round := range 300 {
		n := 1 + rnd.IntN(30)
		m := rnd.IntN(3 * n)
		var b Builder
		for range n {
			b.Node(NodeTxn)
		}
		adj := make([][]int32, n)
		for range m {
			x, y := int32(rnd.IntN(n)), int32(rnd.IntN(n))
			b.Edge(x, y, EdgeWW, -1)
			adj[x] = append(adj[x], y)
		}
		g := b.Build()
		comp, _ := g.SCC(NodeTxn, EdgeWW)
		want := naiveSCC(n, adj)
		for v := range n {
			for w := range n {
				if (comp[v] == comp[w]) != (want[v] == want[w]) {
					t.Fatalf("round %d: nodes %d and %d: tarjan %d/%d, naive %d/%d", round, v, w, comp[v], comp[w], want[v], want[w])
				}
			}
		}
	}
}

// A chain a million nodes long closed into one cycle: no recursion, one
// component.
func TestSCCLongChain(t *testing.T) {
	const n = 1 << 20
	var b Builder
	for i := range n {
		b.Node(NodeTxn)
		b.Edge(int32(i), int32((i+1)%n), EdgeWW, -1)
	}
	comp, ncomp := b.Build().SCC(NodeTxn, EdgeWW)
	if ncomp != 1 || comp[0] != comp[n-1] {
		t.Fatalf("%d components", ncomp)
	}
}

// The search finds a shortest cycle in counted nodes, skipping
// uncounted helper nodes for free, and never returns the trivial walk
// from a node back to itself through helpers alone.
func TestSearcherShortestCycle(t *testing.T) {
	var b Builder
	a, c, d := b.Node(NodeTxn), b.Node(NodeTxn), b.Node(NodeTxn)
	h1, h2 := b.Node(NodeWW), b.Node(NodeWW)
	b.Edge(a, h1, EdgeWW, -1) // a -> h1 -> a: trivial
	b.Edge(h1, a, EdgePass, -1)
	b.Edge(a, c, EdgeWW, -1) // a -> c -> d -> a: three
	b.Edge(c, d, EdgeWW, -1)
	b.Edge(d, a, EdgeWW, -1)
	b.Edge(h1, h2, EdgePass, -1) // a -> h1 -> h2 -> d -> a: two
	b.Edge(h2, d, EdgePass, -1)
	g := b.Build()
	comp, _ := g.SCC(NodeTxn|NodeWW, EdgeWW|EdgePass)
	p := NewSearcher(g).Path(Query{From: a, Target: a, Comp: comp, C: comp[a], NodeMask: NodeTxn | NodeWW, EdgeMask: EdgeWW | EdgePass, CountMask: NodeTxn})
	if TxnsOn(g, p) != 2 || len(p) != 4 {
		t.Fatalf("path %v through %d transactions, want a -> h1 -> h2 -> d -> a", p, TxnsOn(g, p))
	}
}
