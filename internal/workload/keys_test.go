package workload

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Elle's exponential key distribution, base 2: index i is drawn with
// probability 2^(i+1) / (2^(n+1) - 2), each index twice as likely as the
// one before it.
func TestExpIndexDistribution(t *testing.T) {
	rnd := rand.New(rand.NewPCG(9, 9))
	for _, n := range []int{1, 2, 10, 100} {
		counts := make([]int, n)
		const draws = 200000
		for range draws {
			i := ExpIndex(n, rnd)
			if i < 0 || i >= n {
				t.Fatalf("n=%d: index %d", n, i)
			}
			counts[i]++
		}
		for i := max(0, n-6); i < n; i++ {
			want := math.Exp2(float64(i+1)) / (math.Exp2(float64(n+1)) - 2)
			if got := float64(counts[i]) / draws; math.Abs(got-want) > 0.01 {
				t.Errorf("n=%d index %d: frequency %.4f, want %.4f", n, i, got, want)
			}
		}
	}
}

// The logarithmic form for huge key counts still favours the newest keys.
func TestExpIndexLargeCounts(t *testing.T) {
	rnd := rand.New(rand.NewPCG(6, 6))
	for _, n := range []int{1, 2, 1500} {
		hits := map[int]int{}
		for range 10000 {
			i := ExpIndex(n, rnd)
			if i < 0 || i >= n {
				t.Fatalf("ExpIndex(%d) = %d", n, i)
			}
			hits[i]++
		}
		if n > 1 && hits[n-1] < 4000 {
			t.Errorf("ExpIndex(%d): the newest key got %d of 10000, want about half", n, hits[n-1])
		}
	}
}
