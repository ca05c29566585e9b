package pncounter

import (
	"math/rand/v2"
	"testing"
)

// Merging replicas of a run in any order, any number of times, ends at
// the same counter, whose value is the sum of every delta: merge is a
// join, so gossip needs no acknowledgement and tolerates repeats.
func TestMergeIsAJoin(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 7))
	nodes := []string{"n0", "n1", "n2"}
	for trial := range 200 {
		// Each node adds deltas and snapshots its replica now and then;
		// the snapshots are what gossip would carry, old ones included.
		own := map[string]*Counter{}
		var snaps []replica
		sum := 0
		for _, n := range nodes {
			own[n] = &Counter{P: GCounter{}, N: GCounter{}}
		}
		for range 20 {
			n := nodes[rnd.IntN(len(nodes))]
			d := rnd.IntN(10) - 5
			own[n].Add(n, d)
			sum += d
			if rnd.IntN(3) == 0 {
				snaps = append(snaps, own[n].replica())
			}
		}
		for _, n := range nodes {
			snaps = append(snaps, own[n].replica())
		}
		c := &Counter{P: GCounter{}, N: GCounter{}}
		for _, i := range rnd.Perm(len(snaps)) {
			for range 1 + rnd.IntN(2) {
				c.Merge(snaps[i])
			}
		}
		if c.Value() != sum {
			t.Fatalf("trial %d: merged value %d, want %d", trial, c.Value(), sum)
		}
	}
}

// A net total merged by its maximum would lose this decrement; the two
// grow-only maps do not.
func TestAnOlderReplicaDoesNotUndoADecrement(t *testing.T) {
	c := &Counter{P: GCounter{}, N: GCounter{}}
	c.Add("n0", 5)
	old := c.replica()
	c.Add("n0", -2)
	c.Merge(old)
	if c.Value() != 3 {
		t.Fatalf("value %d after an older replica, want 3", c.Value())
	}
}
