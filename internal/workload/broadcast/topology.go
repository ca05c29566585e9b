package broadcast

import (
	"fmt"
	"strings"
)

// DefaultTopology is Maelstrom's --topology default.
const DefaultTopology = "grid"

// topologies maps each --topology name to its construction, in the order
// errors list them.
var topologies = []struct {
	name  string
	build func(nodes []string) map[string][]string
}{
	{"grid", grid},
	{"line", line},
	{"total", total},
	{"tree", func(nodes []string) map[string][]string { return tree(2, nodes) }},
	{"tree2", func(nodes []string) map[string][]string { return tree(2, nodes) }},
	{"tree3", func(nodes []string) map[string][]string { return tree(3, nodes) }},
	{"tree4", func(nodes []string) map[string][]string { return tree(4, nodes) }},
}

// TopologyNames returns the valid --topology values.
func TopologyNames() []string {
	names := make([]string, len(topologies))
	for i, t := range topologies {
		names[i] = t.name
	}
	return names
}

// Topology computes the neighbour map Maelstrom sends in its topology
// message, for nodes in the order given (n0, n1, ...). Each list is in
// Maelstrom's order, which a node that takes "the first neighbour" sees:
//
//   - grid: nodes row by row in a square of side ceil(sqrt(N)); neighbours
//     below, above, right, left, those that exist.
//   - line: left then right; N < 2 gives an empty map.
//   - total: every other node, in node order.
//   - tree2, tree3, tree4 (tree is tree2): nodes fill a b-ary tree level by
//     level, so node i's children are b*i+1 .. b*i+b; neighbours are the
//     parent first, then the children.
//
// Ported from Maelstrom's src/maelstrom/workload/broadcast.clj (jepsen-io/
// maelstrom cb7f072). A node with no neighbours has an empty list, never
// null. An unknown name is an error listing the valid ones.
func Topology(name string, nodes []string) (map[string][]string, error) {
	for _, t := range topologies {
		if t.name == name {
			return t.build(nodes), nil
		}
	}
	return nil, fmt.Errorf("unknown --topology %q (valid: %s)", name, strings.Join(TopologyNames(), ", "))
}

func grid(nodes []string) map[string][]string {
	n := len(nodes)
	side := 0
	for side*side < n {
		side++
	}
	// at returns the node in row i, column j, if there is one. Columns are
	// bounded by the side; rows only by running out of nodes.
	at := func(i, j int) (string, bool) {
		if i < 0 || j < 0 || j >= side || i*side+j >= n {
			return "", false
		}
		return nodes[i*side+j], true
	}
	m := make(map[string][]string, n)
	for k, node := range nodes {
		i, j := k/side, k%side
		ns := []string{}
		for _, d := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
			if nb, ok := at(i+d[0], j+d[1]); ok {
				ns = append(ns, nb)
			}
		}
		m[node] = ns
	}
	return m
}

func line(nodes []string) map[string][]string {
	n := len(nodes)
	m := make(map[string][]string, n)
	if n < 2 {
		return m
	}
	m[nodes[0]] = []string{nodes[1]}
	m[nodes[n-1]] = []string{nodes[n-2]}
	for i := 1; i < n-1; i++ {
		m[nodes[i]] = []string{nodes[i-1], nodes[i+1]}
	}
	return m
}

func total(nodes []string) map[string][]string {
	m := make(map[string][]string, len(nodes))
	for _, node := range nodes {
		ns := []string{}
		for _, other := range nodes {
			if other != node {
				ns = append(ns, other)
			}
		}
		m[node] = ns
	}
	return m
}

// tree lays nodes out as Maelstrom's seq->tree does: tiers of 1, b, b², ...
// nodes, each tier's nodes taking the next tier's in groups of b. That is
// the heap layout, so it is computed by index.
func tree(b int, nodes []string) map[string][]string {
	n := len(nodes)
	m := make(map[string][]string, n)
	for i, node := range nodes {
		ns := []string{}
		if i > 0 {
			ns = append(ns, nodes[(i-1)/b])
		}
		for c := b*i + 1; c <= b*i+b && c < n; c++ {
			ns = append(ns, nodes[c])
		}
		m[node] = ns
	}
	return m
}
