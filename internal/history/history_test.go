package history

import (
	"strings"
	"testing"
)

func op(i, process int, typ Type, f string) Op {
	return Op{Index: i, Process: process, Type: typ, F: f}
}

func TestPairAndPairTolerant(t *testing.T) {
	good := History{
		op(0, 0, Invoke, "add"), op(1, 1, Invoke, "read"),
		op(2, 1, OK, "read"), op(3, 0, Info, "add"), op(4, 2, Invoke, "add"),
	}
	want := []int{3, 2, 1, 0, -1} // op 4 never completed
	pairs, err := good.Pair()
	if err != nil || !equal(pairs, want) {
		t.Fatalf("Pair = %v, %v; want %v", pairs, err, want)
	}
	pairs, problems := good.PairTolerant()
	if len(problems) != 0 || !equal(pairs, want) {
		t.Fatalf("PairTolerant = %v, %v; want %v and no problems", pairs, problems, want)
	}
}

// Each flaw is one problem naming its ops; the rest is still paired.
func TestPairTolerantFlaws(t *testing.T) {
	for _, tc := range []struct {
		name    string
		h       History
		pairs   []int
		ops     []int
		message string
	}{
		{"completion without invocation",
			History{op(0, 0, OK, "add"), op(1, 1, Invoke, "add"), op(2, 1, OK, "add")},
			[]int{-1, 2, 1}, []int{0}, "completes (ok) nothing"},
		{"invoked twice",
			History{op(0, 0, Invoke, "add"), op(1, 0, Invoke, "add"), op(2, 0, OK, "add")},
			[]int{-1, 2, 1}, []int{0, 1}, "while op 0 was still open"},
		{"different function",
			History{op(0, 0, Invoke, "add"), op(1, 0, OK, "read")},
			[]int{-1, -1}, []int{0, 1}, "completes add op 0 as read"},
		{"misnumbered",
			History{op(0, 0, Invoke, "add"), op(7, 0, OK, "add")},
			[]int{1, 0}, []int{1}, "has index 7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Pair refuses these outright, but for a function
			// mismatch, which only the tolerant pairing looks at.
			if _, err := tc.h.Pair(); err == nil && tc.name != "different function" {
				t.Error("Pair accepted a flawed history")
			}
			pairs, problems := tc.h.PairTolerant()
			if !equal(pairs, tc.pairs) {
				t.Errorf("pairs = %v, want %v", pairs, tc.pairs)
			}
			if len(problems) != 1 || !equal(problems[0].Ops, tc.ops) || !strings.Contains(problems[0].Message, tc.message) {
				t.Errorf("problems = %+v, want one on ops %v saying %q", problems, tc.ops, tc.message)
			}
		})
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
