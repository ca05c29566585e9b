package listappend

import (
	"testing"

	"github.com/glomers/glomers/internal/checkertest"
	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/txngraph"
	"github.com/glomers/glomers/internal/workload/workloadtest"
)

// historyFromBytes interprets data as a program that writes a history:
// small transactions on four processes and three keys, completed with
// arbitrary lists of small elements (so with garbage, duplicates,
// incompatible orders and cycles of every kind), or failed, or
// indeterminate.
func historyFromBytes(data []byte) history.History {
	return workloadtest.TxnHistory(data, func(next func() int) []mop {
		return workloadtest.TxnRequest(next, 3,
			func(key int64) mop { return mop{f: 'r', key: key, nil: true} },
			func(key, v int64) mop { return mop{f: 'a', key: key, val: v} })
	}, func(m *mop, next func() int) {
		if m.isRead() && next()%4 != 0 {
			m.nil, m.list = false, []int64{}
			for range next() % 5 {
				m.list = append(m.list, int64(next()%7))
			}
		}
	}, encodeTxn)
}

// FuzzCheck: on any history the checker returns a well-formed result,
// without panicking or hanging, under every level of model.
func FuzzCheck(f *testing.F) {
	f.Add([]byte{0, 0, 2, 1, 1, 1, 1, 0, 1, 0, 2, 1, 1, 0, 0, 3})
	f.Add([]byte("the quick brown fox jumps over the lazy dog, twice over and again"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h := historyFromBytes(data)
		for _, m := range []string{"read-uncommitted", "read-committed", "serializable", "strict-serializable"} {
			res := Check(h, []string{m})
			if res.Validity == workload.Valid && len(res.Anomalies) > 0 {
				t.Fatalf("valid with anomalies\n%s", checkertest.Render(res))
			}
			for _, a := range append(res.Anomalies, res.Notes...) {
				for _, op := range a.Ops {
					if op < 0 || op >= len(h) {
						t.Fatalf("%s names op %d of a %d-op history", a.Kind, op, len(h))
					}
				}
			}
		}
	})
}

// Simulated stores: a serial one gives no finding at all, whatever
// fails or ends indeterminate; listappend-stale's store is serializable
// but not strict; listappend-torn's breaks read committed.
func TestSimulatedStores(t *testing.T) {
	for seed := range uint64(5) {
		h := simulate(simSerial, 5, 2000, seed)
		res := Check(h, nil)
		if res.Validity != workload.Valid || len(res.Notes) != 1 || res.Notes[0].Kind != "unchecked" {
			t.Fatalf("seed %d: serial store:\n%s", seed, checkertest.Render(res))
		}
		h = simulate(simStale, 5, 2000, seed)
		if res := Check(h, []string{"serializable"}); res.Validity != workload.Valid {
			t.Errorf("seed %d: stale store under serializable:\n%s", seed, checkertest.Render(res))
		}
		if res := Check(h, nil); res.Validity != workload.Invalid || res.Anomalies[0].Kind != txngraph.KindGSingleRT {
			t.Errorf("seed %d: stale store under strict-serializable:\n%s", seed, checkertest.Render(res))
		}
		h = simulate(simTorn, 5, 2000, seed)
		if res := Check(h, []string{"read-committed"}); res.Validity != workload.Invalid {
			t.Errorf("seed %d: torn store under read-committed:\n%s", seed, checkertest.Render(res))
		}
	}
}
