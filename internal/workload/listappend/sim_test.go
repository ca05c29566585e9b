package listappend

import (
	"maps"
	"math/rand/v2"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// simMode is how a simulated store runs transactions.
type simMode int

const (
	// simSerial applies each transaction whole when it completes: strictly
	// serializable.
	simSerial simMode = iota
	// simStale answers read-only transactions from a copy of the lists
	// refreshed every fifth of them (listappend-stale): serializable, with
	// stale reads.
	simStale
	// simTorn applies an append-only transaction's first append at once
	// and the rest after the next transaction (listappend-torn).
	simTorn
)

func (m simMode) String() string { return [...]string{"serial", "stale", "torn"}[m] }

// simulate runs n generated transactions from clients concurrent clients
// against a simulated store and returns the history. A few transactions
// fail (and do nothing) or end indeterminate (and happen or not).
func simulate(mode simMode, clients, n int, seed uint64) history.History {
	rnd := rand.New(rand.NewPCG(seed, seed))
	gen := New().NewGenerator(workload.Options{})
	var b history.Builder
	live := map[int64][]int64{}
	snap := map[int64][]int64{}
	var pending []mop
	readOnly := 0
	type flight struct {
		inv  workload.Invocation
		mops []mop
	}
	busy := make([]*flight, clients)
	proc := make([]int, clients)
	for c := range proc {
		proc[c] = c
	}
	now := time.Duration(0)
	add := func(c int, typ history.Type, v []byte, errText string) {
		now += time.Millisecond
		b.Add(history.Op{Time: now, Type: typ, Process: proc[c], F: "txn", Value: v, Error: errText})
	}
	apply := func(mops []mop) {
		lists := live
		if mode == simStale {
			ro := true
			for _, m := range mops {
				ro = ro && m.isRead()
			}
			if ro {
				if readOnly%5 == 0 {
					snap = maps.Clone(live)
				}
				readOnly++
				lists = snap
			}
		}
		later := pending
		pending = nil
		torn := mode == simTorn && len(mops) > 1
		for _, m := range mops {
			torn = torn && m.isAppend()
		}
		for i := range mops {
			m := &mops[i]
			if m.isRead() {
				l := lists[m.key]
				m.list, m.nil = l[:len(l):len(l)], l == nil
				continue
			}
			if torn && i > 0 {
				pending = append(pending, *m)
				continue
			}
			l := lists[m.key]
			lists[m.key] = append(l[:len(l):len(l)], m.val)
		}
		for _, m := range later {
			l := live[m.key]
			live[m.key] = append(l[:len(l):len(l)], m.val)
		}
	}
	started := 0
	for started < n || busyAny(busy) {
		c := rnd.IntN(clients)
		if busy[c] == nil {
			if started == n {
				continue
			}
			inv, _ := gen.Next(c, now, rnd)
			mops, _ := parseTxn(inv.Value)
			busy[c] = &flight{inv: inv, mops: mops}
			add(c, history.Invoke, inv.Value, "")
			started++
			continue
		}
		f := busy[c]
		busy[c] = nil
		switch r := rnd.Float64(); {
		case r < 0.02:
			add(c, history.Fail, f.inv.Value, "txn-conflict: aborted")
		case r < 0.04:
			if rnd.IntN(2) == 0 {
				apply(f.mops)
			}
			add(c, history.Info, f.inv.Value, "timeout")
			proc[c] += clients
		default:
			apply(f.mops)
			add(c, history.OK, encodeTxn(f.mops), "")
		}
	}
	return b.History()
}

func busyAny[T any](fs []*T) bool {
	for _, f := range fs {
		if f != nil {
			return true
		}
	}
	return false
}
