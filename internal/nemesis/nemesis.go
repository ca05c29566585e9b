// Package nemesis plans the faults of a run: which partitions start when,
// and when the network heals. Maelstrom's only fault is the partition
// (--nemesis partition); this package reproduces its choices, from
// jepsen-io/jepsen's nemesis.clj and nemesis/combined.clj.
//
// Planning is pure: a schedule is computed up front from the node list, the
// interval, the time limit and a seeded random source, so the same seed
// gives the same schedule, and a test can read it before any node starts.
package nemesis

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/glomers/glomers/internal/netsim"
)

// Spec names a kind of partition.
type Spec string

// The partition kinds Maelstrom chooses among, uniformly.
const (
	// One isolates a single random node from all others.
	One Spec = "one"
	// MinorityThird cuts floor((N-1)/3) random nodes off from the rest.
	MinorityThird Spec = "minority-third"
	// Majority cuts floor(N/2) random nodes off from the rest.
	Majority Spec = "majority"
	// MajoritiesRing lets every node see a majority, but no two nodes the
	// same one; the cut can be one-way.
	MajoritiesRing Spec = "majorities-ring"
)

// Specs are the kinds the partition nemesis picks from.
var Specs = []Spec{One, MinorityThird, Majority, MajoritiesRing}

// Kind is what a scheduled event does.
type Kind string

// Event kinds.
const (
	Start Kind = "start-partition"
	Stop  Kind = "stop-partition"
)

// Event is one nemesis decision.
type Event struct {
	// Time is when the event happens, since the start of the main phase.
	Time time.Duration `json:"time"`
	Kind Kind          `json:"kind"`
	// Spec and Grudge describe a Start; Grudge may be empty when the spec
	// cannot cut anything with this many nodes (minority-third of 3).
	Spec   Spec          `json:"spec,omitempty"`
	Grudge netsim.Grudge `json:"grudge,omitempty"`
}

// Describe renders an event for logs and reports.
func (e Event) Describe() string {
	if e.Kind == Stop {
		return "heal: network healed"
	}
	if len(e.Grudge) == 0 {
		return fmt.Sprintf("partition %s: nothing to cut with this many nodes", e.Spec)
	}
	return fmt.Sprintf("partition %s: %s", e.Spec, e.Grudge)
}

// Plan returns the nemesis schedule for a main phase of length limit: a
// partition at time 0, then alternately heal and partition, with gaps
// drawn uniformly from [0, 2*interval) as Jepsen's stagger does.
func Plan(nodes []string, interval, limit time.Duration, rnd *rand.Rand) []Event {
	var events []Event
	start := true
	for t := time.Duration(0); t < limit; {
		if start {
			spec := Specs[rnd.IntN(len(Specs))]
			events = append(events, Event{Time: t, Kind: Start, Spec: spec, Grudge: Grudge(spec, nodes, rnd)})
		} else {
			events = append(events, Event{Time: t, Kind: Stop})
		}
		start = !start
		t += time.Duration(rnd.Float64() * 2 * float64(interval))
	}
	return events
}

// Grudge computes the partition of one spec over nodes.
func Grudge(spec Spec, nodes []string, rnd *rand.Rand) netsim.Grudge {
	n := len(nodes)
	switch spec {
	case One:
		if n < 2 {
			return netsim.Grudge{}
		}
		i := rnd.IntN(n)
		return complete([][]string{{nodes[i]}, without(nodes, nodes[i])})
	case MinorityThird:
		s := shuffled(nodes, rnd)
		k := (n - 1) / 3
		return complete([][]string{s[:k], s[k:]})
	case Majority:
		s := shuffled(nodes, rnd)
		k := n / 2
		return complete([][]string{s[:k], s[k:]})
	case MajoritiesRing:
		if n <= 5 {
			return ringPerfect(nodes, rnd)
		}
		return ringStochastic(nodes, rnd)
	}
	panic(fmt.Sprintf("nemesis: unknown spec %q", spec))
}

// complete makes every component drop everything from every other one.
func complete(components [][]string) netsim.Grudge {
	g := netsim.Grudge{}
	for i, c := range components {
		for _, dest := range c {
			for j, other := range components {
				if i == j {
					continue
				}
				g[dest] = append(g[dest], other...)
			}
		}
	}
	for d, srcs := range g {
		if len(srcs) == 0 {
			delete(g, d)
		}
	}
	return g
}

func majority(n int) int { return n/2 + 1 }

// ringPerfect is Jepsen's majorities-ring-perfect: shuffle the nodes into
// a ring, slide a majority-sized window along it, and let the node in the
// middle of each window keep only that window.
func ringPerfect(nodes []string, rnd *rand.Rand) netsim.Grudge {
	n := len(nodes)
	m := majority(n)
	ring := shuffled(nodes, rnd)
	g := netsim.Grudge{}
	for i := 0; i < n; i++ {
		window := make([]string, m)
		for j := range m {
			window[j] = ring[(i+j)%n]
		}
		mid := window[m/2]
		for _, x := range nodes {
			if !slices.Contains(window, x) {
				g[mid] = append(g[mid], x)
			}
		}
	}
	return g
}

// ringStochastic is Jepsen's majorities-ring-stochastic, for more than five
// nodes: repeatedly link a least-connected node to another least-connected
// node it is not yet linked to, until every node sees a majority (itself
// included); then each node drops everyone it is not linked to.
func ringStochastic(nodes []string, rnd *rand.Rand) netsim.Grudge {
	n := len(nodes)
	m := majority(n)
	conns := make(map[string]map[string]bool, n)
	degree := make(map[string]int, n)
	for _, x := range nodes {
		conns[x] = map[string]bool{x: true}
		degree[x] = 1
	}
	for {
		// Nodes by degree, shuffled within a degree, as Jepsen orders them.
		order := shuffled(nodes, rnd)
		slices.SortStableFunc(order, func(a, b string) int { return degree[a] - degree[b] })
		a := order[0]
		if degree[a] >= m {
			break
		}
		b := ""
		for _, x := range order[1:] {
			if !conns[a][x] {
				b = x
				break
			}
		}
		if b == "" {
			break // a already sees everyone: cannot happen before a majority
		}
		conns[a][b], conns[b][a] = true, true
		degree[a]++
		degree[b]++
	}
	g := netsim.Grudge{}
	for _, x := range nodes {
		for _, y := range nodes {
			if !conns[x][y] {
				g[x] = append(g[x], y)
			}
		}
	}
	return g
}

func shuffled(nodes []string, rnd *rand.Rand) []string {
	s := slices.Clone(nodes)
	rnd.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
	return s
}

func without(nodes []string, x string) []string {
	var out []string
	for _, y := range nodes {
		if y != x {
			out = append(out, y)
		}
	}
	return out
}

// ParseList parses --nemesis: a comma-separated list of faults. Only
// "partition" exists; an empty string means no faults.
func ParseList(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if f != "partition" {
			return nil, fmt.Errorf("unknown fault %q (valid: partition)", f)
		}
		out = append(out, f)
	}
	return out, nil
}
