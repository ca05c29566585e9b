package broadcast

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func nodes(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("n%d", i)
	}
	return out
}

// topo parses "n0:n3,n1 n1:n0" into a neighbour map; "n0:" is no neighbours.
func topo(s string) map[string][]string {
	m := map[string][]string{}
	for _, entry := range strings.Fields(s) {
		node, ns, _ := strings.Cut(entry, ":")
		m[node] = []string{}
		if ns != "" {
			m[node] = strings.Split(ns, ",")
		}
	}
	return m
}

// Hand-drawn layouts; neighbour order is Maelstrom's: grid below, above,
// right, left; line left, right; trees parent, then children.
func TestTopology(t *testing.T) {
	tests := []struct {
		name string
		n    int
		want string
	}{
		{"grid", 1, "n0:"},
		// n0 n1
		{"grid", 2, "n0:n1 n1:n0"},
		// n0 n1
		// n2
		{"grid", 3, "n0:n2,n1 n1:n0 n2:n0"},
		// n0 n1 n2
		// n3 n4
		{"grid", 5, "n0:n3,n1 n1:n4,n2,n0 n2:n1 n3:n0,n4 n4:n1,n3"},
		// n0 n1 n2
		// n3 n4 n5
		// n6 n7 n8
		{"grid", 9, "n0:n3,n1 n1:n4,n2,n0 n2:n5,n1 n3:n6,n0,n4 n4:n7,n1,n5,n3 n5:n8,n2,n4 n6:n3,n7 n7:n4,n8,n6 n8:n5,n7"},
		// n0  n1  n2  n3  n4
		// n5  n6  n7  n8  n9
		// n10 n11 n12 n13 n14
		// n15 n16 n17 n18 n19
		// n20 n21 n22 n23 n24
		{"grid", 25, "n0:n5,n1 n1:n6,n2,n0 n2:n7,n3,n1 n3:n8,n4,n2 n4:n9,n3 " +
			"n5:n10,n0,n6 n6:n11,n1,n7,n5 n7:n12,n2,n8,n6 n8:n13,n3,n9,n7 n9:n14,n4,n8 " +
			"n10:n15,n5,n11 n11:n16,n6,n12,n10 n12:n17,n7,n13,n11 n13:n18,n8,n14,n12 n14:n19,n9,n13 " +
			"n15:n20,n10,n16 n16:n21,n11,n17,n15 n17:n22,n12,n18,n16 n18:n23,n13,n19,n17 n19:n24,n14,n18 " +
			"n20:n15,n21 n21:n16,n22,n20 n22:n17,n23,n21 n23:n18,n24,n22 n24:n19,n23"},
		{"line", 1, ""},
		{"line", 2, "n0:n1 n1:n0"},
		{"line", 4, "n0:n1 n1:n0,n2 n2:n1,n3 n3:n2"},
		{"total", 1, "n0:"},
		{"total", 3, "n0:n1,n2 n1:n0,n2 n2:n0,n1"},
		{"tree2", 1, "n0:"},
		//      n0
		//   n1     n2
		// n3  n4 n5  n6
		{"tree2", 7, "n0:n1,n2 n1:n0,n3,n4 n2:n0,n5,n6 n3:n1 n4:n1 n5:n2 n6:n2"},
		{"tree", 5, "n0:n1,n2 n1:n0,n3,n4 n2:n0 n3:n1 n4:n1"},
		//        n0
		//   n1   n2   n3
		// n4 n5
		{"tree3", 6, "n0:n1,n2,n3 n1:n0,n4,n5 n2:n0 n3:n0 n4:n1 n5:n1"},
		//          n0
		//   n1   n2   n3   n4
		// n5 n6
		{"tree4", 7, "n0:n1,n2,n3,n4 n1:n0,n5,n6 n2:n0 n3:n0 n4:n0 n5:n1 n6:n1"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.name, tt.n), func(t *testing.T) {
			got, err := Topology(tt.name, nodes(tt.n))
			if err != nil {
				t.Fatal(err)
			}
			if want := topo(tt.want); !reflect.DeepEqual(got, want) {
				t.Errorf("got  %v\nwant %v", got, want)
			}
		})
	}
}

// Every topology is symmetric (b neighbours a when a neighbours b), has no
// self-loops, and names only the given nodes; grid and the trees are
// connected. A node with no neighbours gets [], never null.
func TestTopologyProperties(t *testing.T) {
	for _, name := range TopologyNames() {
		for n := 1; n <= 40; n++ {
			ns := nodes(n)
			m, err := Topology(name, ns)
			if err != nil {
				t.Fatal(err)
			}
			for a, nbs := range m {
				if nbs == nil {
					t.Errorf("%s/%d: %s has null neighbours", name, n, a)
				}
				for _, b := range nbs {
					if a == b || !slices.Contains(m[b], a) {
						t.Errorf("%s/%d: %s -> %s is not symmetric or is a loop", name, n, a, b)
					}
				}
			}
			if name == "line" && n < 2 {
				continue
			}
			if len(m) != n || !connected(m, ns[0]) {
				t.Errorf("%s/%d: %d nodes in map, or not connected", name, n, len(m))
			}
		}
	}
}

// The tree layout is computed by index; this oracle builds it as
// Maelstrom's seq->tree does, tier by tier (1, b, b², ... nodes), handing
// each parent the next b nodes of the tier below.
func TestTreeMatchesTierConstruction(t *testing.T) {
	for b := 2; b <= 4; b++ {
		for n := 1; n <= 100; n++ {
			ns := nodes(n)
			var tiers [][]string
			for rest, size := ns, 1; len(rest) > 0; size *= b {
				k := min(size, len(rest))
				tiers = append(tiers, rest[:k])
				rest = rest[k:]
			}
			want := map[string][]string{}
			for _, node := range ns {
				want[node] = []string{}
			}
			for i := 0; i+1 < len(tiers); i++ {
				for j, child := range tiers[i+1] {
					parent := tiers[i][j/b]
					want[parent] = append(want[parent], child)
				}
			}
			for i := 1; i < len(tiers); i++ {
				for j, child := range tiers[i] {
					want[child] = append([]string{tiers[i-1][j/b]}, want[child]...)
				}
			}
			got, _ := Topology(fmt.Sprintf("tree%d", b), ns)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("tree%d/%d:\ngot  %v\nwant %v", b, n, got, want)
			}
		}
	}
}

func TestTopologyUnknown(t *testing.T) {
	_, err := Topology("ring", nodes(3))
	want := `unknown --topology "ring" (valid: grid, line, total, tree, tree2, tree3, tree4)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func connected(m map[string][]string, from string) bool {
	seen := map[string]bool{from: true}
	todo := []string{from}
	for len(todo) > 0 {
		a := todo[0]
		todo = todo[1:]
		for _, b := range m[a] {
			if !seen[b] {
				seen[b] = true
				todo = append(todo, b)
			}
		}
	}
	return len(seen) == len(m)
}
