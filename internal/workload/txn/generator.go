package txn

import (
	"math/rand/v2"
	"time"

	"github.com/glomers/glomers/internal/workload"
)

// Maelstrom's defaults for the generator's flags.
const (
	DefaultKeyCount        = 10
	DefaultMaxTxnLength    = 4
	DefaultMaxWritesPerKey = 16
)

// generator produces transactions the way Elle's wr-txns does (elle
// src/elle/txn.clj): a length uniform in [1, max], each micro-op a read or
// a write with equal chance, keys drawn from a pool of active keys with an
// exponential distribution, and per-key write values 1, 2, 3, ... so that
// every write of a key is unique. As in Elle, a key that has had maxWrites
// writes stays in the pool (and may still be read) until a write is drawn
// for it; then it is retired, that slot gets a fresh key, and the draw is
// repeated.
type generator struct {
	maxLen    int
	maxWrites int64
	// active is the pool; with the exponential distribution slot i+1 is
	// twice as likely as slot i, so the last slots are the hot ones.
	active []int64
	// next is the next value to write for each active key.
	next map[int64]int64
	// fresh is the next unused key.
	fresh int64
}

func newGenerator(opts workload.Options) *generator {
	keyCount := orDefault(opts.KeyCount, DefaultKeyCount)
	g := &generator{
		maxLen:    orDefault(opts.MaxTxnLength, DefaultMaxTxnLength),
		maxWrites: int64(orDefault(opts.MaxWritesPerKey, DefaultMaxWritesPerKey)),
		active:    make([]int64, keyCount),
		next:      make(map[int64]int64, keyCount),
		fresh:     int64(keyCount),
	}
	for i := range g.active {
		g.active[i] = int64(i)
	}
	return g
}

// orDefault keeps generators usable from options a test built by hand;
// Validate rejects non-positive values coming from flags.
func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// Next implements workload.Generator. Transactions do not depend on the
// thread, the time or earlier outcomes.
func (g *generator) Next(_ int, _ time.Duration, rnd *rand.Rand) (workload.Invocation, bool) {
	n := 1 + rnd.IntN(g.maxLen)
	mops := make([]mop, 0, n)
	for len(mops) < n {
		write := rnd.IntN(2) == 1
		slot := workload.ExpIndex(len(g.active), rnd)
		k := g.active[slot]
		if !write {
			mops = append(mops, mop{f: 'r', key: k, nil: true})
			continue
		}
		v := g.next[k]
		if v == 0 {
			v = 1
		}
		if v > g.maxWrites {
			// Used up: retire k and draw this micro-op again.
			delete(g.next, k)
			g.active[slot] = g.fresh
			g.fresh++
			continue
		}
		g.next[k] = v + 1
		mops = append(mops, mop{f: 'w', key: k, value: v})
	}
	return workload.Invocation{F: "txn", Value: encodeTxn(mops)}, true
}

// Update implements workload.Generator; outcomes do not change what comes
// next.
func (g *generator) Update(int, workload.Invocation, workload.Completion) {}
