package gset

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// Merge is a join: replicas merged in any order, grouped any way, and
// repeated any number of times give the same set, which is what lets
// the node gossip without acknowledgements.
func TestMergeIsAJoin(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 7))
	for trial := range 200 {
		replicas := make([][]int, 1+rnd.IntN(5))
		want := map[int]bool{}
		for i := range replicas {
			for range rnd.IntN(6) {
				e := rnd.IntN(10)
				replicas[i] = append(replicas[i], e)
				want[e] = true
			}
		}
		s := &Set{elements: map[int]bool{}}
		for _, i := range rnd.Perm(len(replicas)) {
			for range 1 + rnd.IntN(3) { // duplicates
				s.Merge(replicas[i])
			}
		}
		got := s.Elements()
		if !slices.IsSorted(got) || len(got) != len(want) {
			t.Fatalf("trial %d: merged %v into %v, want the union %v", trial, replicas, got, want)
		}
		for _, e := range got {
			if !want[e] {
				t.Fatalf("trial %d: %d in %v was never added", trial, e, got)
			}
		}
	}
	if got := (&Set{elements: map[int]bool{}}).Elements(); got == nil {
		t.Error("an empty set's elements are nil, which encodes as null")
	}
}
