package listappend

import (
	"math/rand/v2"
	"testing"

	"github.com/glomers/glomers/internal/workload"
)

// The generator is Elle's append-txns: txn-rw-register's transactions
// with appends for writes, so every micro-op is a read or an append, each
// key's elements are 1, 2, 3, ... and no key takes more than
// --max-writes-per-key of them.
func TestGeneratorAppends(t *testing.T) {
	gen := New().NewGenerator(workload.Options{KeyCount: 2, MaxTxnLength: 3, MaxWritesPerKey: 4})
	rnd := rand.New(rand.NewPCG(9, 9))
	next := map[int64]int64{}
	appends := 0
	for range 500 {
		inv, ok := gen.Next(0, 0, rnd)
		if !ok || inv.F != "txn" {
			t.Fatalf("Next = %+v, %v", inv, ok)
		}
		mops, err := parseTxn(inv.Value)
		if err != nil || len(mops) < 1 || len(mops) > 3 {
			t.Fatalf("%s: %v (%d micro-ops)", inv.Value, err, len(mops))
		}
		for _, m := range mops {
			if m.isRead() {
				if !m.nil {
					t.Fatalf("%s: a request's read carries a value", inv.Value)
				}
				continue
			}
			appends++
			if next[m.key]++; m.val != next[m.key] || m.val > 4 {
				t.Fatalf("%s: key %d gets element %d, want %d (at most 4)", inv.Value, m.key, m.val, next[m.key])
			}
		}
	}
	if appends < 200 {
		t.Errorf("only %d appends in 500 transactions", appends)
	}
}
