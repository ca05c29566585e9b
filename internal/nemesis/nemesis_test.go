package nemesis

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/netsim"
)

func nodes(n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("n%d", i))
	}
	return out
}

// cuts reports whether dest drops src.
func cuts(g netsim.Grudge, dest, src string) bool { return slices.Contains(g[dest], src) }

// sees returns the nodes dest still hears from (itself included).
func sees(g netsim.Grudge, all []string, dest string) []string {
	var out []string
	for _, x := range all {
		if !cuts(g, dest, x) {
			out = append(out, x)
		}
	}
	return out
}

// components checks that g is a complete cut into two sides and returns
// their sizes, smaller first.
func components(t *testing.T, g netsim.Grudge, all []string) (int, int) {
	t.Helper()
	side := map[string]int{}
	side[all[0]] = 0
	for _, x := range all[1:] {
		if cuts(g, all[0], x) {
			side[x] = 1
		} else {
			side[x] = 0
		}
	}
	var a, b int
	for _, x := range all {
		for _, y := range all {
			if x == y {
				continue
			}
			if cuts(g, x, y) != (side[x] != side[y]) {
				t.Fatalf("not a complete two-sided cut: %s", g)
			}
		}
		if side[x] == 0 {
			a++
		} else {
			b++
		}
	}
	return min(a, b), max(a, b)
}

// Jepsen nemesis.clj: one isolates a single node in both directions.
func TestOne(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{2, 3, 5, 25} {
		small, big := components(t, Grudge(One, nodes(n), rnd), nodes(n))
		if small != 1 || big != n-1 {
			t.Errorf("N=%d: sides %d/%d, want 1/%d", n, small, big, n-1)
		}
	}
	if g := Grudge(One, nodes(1), rnd); len(g) != 0 {
		t.Errorf("one node: %s", g)
	}
}

// Jepsen: minority-third cuts floor((N-1)/3) nodes; with N <= 3 that is no
// one, so the partition is a no-op.
func TestMinorityThird(t *testing.T) {
	rnd := rand.New(rand.NewPCG(2, 2))
	for _, tc := range []struct{ n, small int }{{4, 1}, {5, 1}, {7, 2}, {25, 8}} {
		small, _ := components(t, Grudge(MinorityThird, nodes(tc.n), rnd), nodes(tc.n))
		if small != tc.small {
			t.Errorf("N=%d: minority %d, want %d", tc.n, small, tc.small)
		}
	}
	for _, n := range []int{1, 2, 3} {
		if g := Grudge(MinorityThird, nodes(n), rnd); len(g) != 0 {
			t.Errorf("N=%d: want no-op, got %s", n, g)
		}
	}
}

// Jepsen: majority splits floor(N/2) from the rest.
func TestMajority(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 3))
	for _, tc := range []struct{ n, small int }{{2, 1}, {3, 1}, {5, 2}, {25, 12}} {
		small, big := components(t, Grudge(Majority, nodes(tc.n), rnd), nodes(tc.n))
		if small != tc.small || big != tc.n-tc.small {
			t.Errorf("N=%d: sides %d/%d", tc.n, small, big)
		}
	}
}

// Jepsen majorities-ring: every node sees a majority (itself included).
// With four or five nodes it is a perfect ring and no two nodes see the
// same majority; the stochastic variant for larger clusters does not
// promise that. With two nodes it cannot cut anything.
func TestMajoritiesRing(t *testing.T) {
	for _, n := range []int{3, 4, 5, 6, 7, 9, 25} {
		for seed := range 20 {
			all := nodes(n)
			g := Grudge(MajoritiesRing, all, rand.New(rand.NewPCG(uint64(seed), 9)))
			views := map[string]bool{}
			for _, x := range all {
				v := sees(g, all, x)
				if len(v) < n/2+1 {
					t.Fatalf("N=%d seed %d: %s sees %v, not a majority (%s)", n, seed, x, v, g)
				}
				if !slices.Contains(v, x) {
					t.Fatalf("%s drops itself", x)
				}
				key := fmt.Sprint(v)
				if (n == 4 || n == 5) && views[key] {
					t.Fatalf("N=%d seed %d: two nodes see the same majority %v (%s)", n, seed, v, g)
				}
				views[key] = true
			}
			if n <= 5 {
				for _, x := range all {
					if len(sees(g, all, x)) != n/2+1 {
						t.Fatalf("N=%d: perfect ring should give exact majorities: %s", n, g)
					}
				}
			}
		}
	}
	if g := Grudge(MajoritiesRing, nodes(2), rand.New(rand.NewPCG(1, 1))); len(g) != 0 {
		t.Errorf("N=2: want no-op, got %s", g)
	}
}

// Jepsen: for three nodes the ring cut is one-way: each node drops one
// other node, and nobody is dropped by both of the others.
func TestMajoritiesRingThreeIsOneWay(t *testing.T) {
	all := nodes(3)
	g := Grudge(MajoritiesRing, all, rand.New(rand.NewPCG(5, 5)))
	for _, x := range all {
		if len(g[x]) != 1 {
			t.Fatalf("%s drops %v, want exactly one: %s", x, g[x], g)
		}
		y := g[x][0]
		if cuts(g, y, x) {
			t.Fatalf("%s and %s cut each other: not one-way: %s", x, y, g)
		}
	}
}

// Maelstrom: flip-flop staggered by the interval, first partition at once.
func TestPlan(t *testing.T) {
	limit := 10 * time.Minute
	plan := Plan(nodes(5), 10*time.Second, limit, rand.New(rand.NewPCG(11, 11)))
	if len(plan) < 40 {
		t.Fatalf("only %d events in 10 minutes at a 10s mean interval", len(plan))
	}
	if plan[0].Time != 0 || plan[0].Kind != Start {
		t.Fatalf("first event %+v, want a partition at 0", plan[0])
	}
	var gaps []time.Duration
	for i, e := range plan {
		want := Start
		if i%2 == 1 {
			want = Stop
		}
		if e.Kind != want {
			t.Fatalf("event %d is %s, want %s", i, e.Kind, want)
		}
		if e.Time >= limit {
			t.Fatalf("event %d at %v, after the limit", i, e.Time)
		}
		if i > 0 {
			gap := e.Time - plan[i-1].Time
			if gap < 0 || gap >= 20*time.Second {
				t.Fatalf("gap %v outside [0, 20s)", gap)
			}
			gaps = append(gaps, gap)
		}
	}
	var sum time.Duration
	for _, g := range gaps {
		sum += g
	}
	if mean := sum / time.Duration(len(gaps)); mean < 7*time.Second || mean > 13*time.Second {
		t.Errorf("mean gap %v, want about 10s", mean)
	}
	specs := map[Spec]bool{}
	for _, e := range plan {
		if e.Kind == Start {
			specs[e.Spec] = true
		}
	}
	if len(specs) != len(Specs) {
		t.Errorf("only specs %v chosen in %d partitions", specs, len(plan)/2)
	}
}

func TestPlanIsReproducible(t *testing.T) {
	a := Plan(nodes(25), 10*time.Second, time.Minute, rand.New(rand.NewPCG(42, 0)))
	b := Plan(nodes(25), 10*time.Second, time.Minute, rand.New(rand.NewPCG(42, 0)))
	c := Plan(nodes(25), 10*time.Second, time.Minute, rand.New(rand.NewPCG(43, 0)))
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different plans")
	}
	if reflect.DeepEqual(a, c) {
		t.Fatal("different seeds, same plan")
	}
}

func TestDescribe(t *testing.T) {
	for _, tc := range []struct {
		e    Event
		want string
	}{
		{Event{Kind: Stop}, "heal: network healed"},
		{Event{Kind: Start, Spec: One, Grudge: netsim.Grudge{"n0": {"n1"}, "n1": {"n0"}}}, "partition one: n0 drops n1; n1 drops n0"},
		{Event{Kind: Start, Spec: MinorityThird, Grudge: netsim.Grudge{}}, "partition minority-third: nothing to cut with this many nodes"},
	} {
		if got := tc.e.Describe(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestParseList(t *testing.T) {
	if got, err := ParseList("partition"); err != nil || !slices.Equal(got, []string{"partition"}) {
		t.Errorf("got %v %v", got, err)
	}
	if got, err := ParseList(""); err != nil || got != nil {
		t.Errorf("empty: got %v %v", got, err)
	}
	if _, err := ParseList("partition,kill"); err == nil || err.Error() != `unknown fault "kill" (valid: partition)` {
		t.Errorf("got %v", err)
	}
}
