package txn

import (
	"fmt"
	"testing"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/txngraph"
)

func simOptions(keys, maxLen, maxWrites int) workload.Options {
	return workload.Options{KeyCount: keys, MaxTxnLength: maxLen, MaxWritesPerKey: maxWrites}
}

// impossible are kinds no simulated store can produce: each is a
// contradiction of the execution model every store obeys.
var impossible = []string{txngraph.KindMalformed, txngraph.KindGarbage, KindDuplicate, txngraph.KindFutureRead, KindCyclicVersions}

// cycleKinds maps each cycle anomaly to the truth edges it may use.
var cycleKinds = map[string]int{
	txngraph.KindG0:      truthWW,
	txngraph.KindG1c:     truthWW | truthWR,
	txngraph.KindGSingle: truthWW | truthWR | truthRW,
	txngraph.KindG2:      truthWW | truthWR | truthRW,
	// Real-time cycles: each step is such a dependency, or the first
	// transaction completed before the second was invoked.
	txngraph.KindG0RT:      truthWW,
	txngraph.KindG1cRT:     truthWW | truthWR,
	txngraph.KindGSingleRT: truthWW | truthWR | truthRW,
	txngraph.KindG2RT:      truthWW | truthWR | truthRW,
}

// realtimeKinds are the cycle kinds whose steps may be real-time orders.
var realtimeKinds = map[string]bool{txngraph.KindG0RT: true, txngraph.KindG1cRT: true, txngraph.KindGSingleRT: true, txngraph.KindG2RT: true}

// checkAgainstTruth asserts that everything the checker reports, failure
// or note, really happened in the simulated run: the soundness property.
func checkAgainstTruth(t *testing.T, s *sim, res workload.Result, name string) {
	t.Helper()
	tr := s.truth()
	pairs, err := s.b.History().Pair()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range append(append([]workload.Anomaly{}, res.Anomalies...), res.Notes...) {
		for _, k := range impossible {
			if a.Kind == k {
				t.Fatalf("%s: reported %s, which no store can produce: %s", name, a.Kind, a.Message)
			}
		}
		kinds, ok := cycleKinds[a.Kind]
		if !ok || a.More > 0 {
			continue // a summary's ops are one from each unlisted cycle, not a cycle
		}
		for i, op := range a.Ops {
			x, y := tr.byOp[op], tr.byOp[a.Ops[(i+1)%len(a.Ops)]]
			if x == nil || y == nil {
				t.Fatalf("%s: %s names ops %v that are not transactions", name, a.Kind, a.Ops)
			}
			next := a.Ops[(i+1)%len(a.Ops)]
			if realtimeKinds[a.Kind] && s.b.History()[op].Type == history.OK && pairs[next] >= 0 && op < pairs[next] {
				continue // op completed before next was invoked
			}
			if !tr.reaches(x, y, kinds) {
				t.Fatalf("%s: reported %s, but in truth T@%d does not precede T@%d: %s", name, a.Kind, op, a.Ops[(i+1)%len(a.Ops)], a.Message)
			}
		}
	}
	switch a := find(res.Anomalies, txngraph.KindG1a); {
	case a == nil:
	case len(a.Ops) != 2 || s.txns[tr.byOp[a.Ops[0]].id].fate != fateAbort && s.txns[tr.byOp[a.Ops[0]].id].fate != fateFailUnrun:
		t.Fatalf("%s: G1a names a writer that did not fail: %s", name, a.Message)
	}
}

// Soundness, checked against the truth of simulated stores: every cycle
// reported exists in the real dependency graph (edges meaning "took effect
// earlier"), and nothing impossible is ever reported, whatever the store
// does: serial, interleaved with dirty reads and writes and in-place
// rollbacks, replicated asynchronously, or applying writes after
// acknowledging them.
func TestSoundAgainstSimulatedStores(t *testing.T) {
	realtime := 0
	for _, mode := range []simMode{simSerial, simInterleaved, simReplicated, simWriteBehind} {
		for seed := uint64(1); seed <= 12; seed++ {
			cfg := simConfig{mode: mode, clients: 2 + int(seed%5), txns: 400, failP: 0.1, infoP: 0.1,
				opts: simOptions(2+int(seed%4)*3, 1+int(seed%6), 4+int(seed%3)*6), seed: seed}
			s := runSim(cfg)
			name := fmt.Sprintf("%s seed %d", mode, seed)
			for _, models := range [][]string{ru, rc, ser, {"strict-serializable"}} {
				res := Check(s.b.History(), models)
				checkAgainstTruth(t, s, res, fmt.Sprintf("%s %v", name, models))
				for _, a := range res.Anomalies {
					if realtimeKinds[a.Kind] {
						realtime++
					}
				}
			}
		}
	}
	if realtime == 0 {
		t.Error("no real-time cycle was reported, so their soundness went untested")
	}
}

// A store that runs each transaction at one instant between its
// invocation and completion is strictly serializable: nothing to report,
// not even a note, under any model.
func TestSerialStoreIsClean(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		s := runSim(simConfig{mode: simSerial, clients: 5, txns: 500, failP: 0.1, infoP: 0.1,
			opts: simOptions(5, 4, 8), seed: seed})
		res := Check(s.b.History(), rc)
		expectValid(t, res)
		if len(res.Notes) > 0 {
			t.Fatalf("seed %d: notes for a serial store\n%s", seed, dump(res))
		}
		// Each transaction took effect at an instant within its own
		// lifetime: no real-time cycle may be reported.
		strict := Check(s.b.History(), []string{"strict-serializable"})
		if strict.Validity != workload.Valid || len(strict.Anomalies) > 0 {
			t.Fatalf("seed %d: strict-serializable gave %s (want valid)\n%s", seed, strict.Validity, dump(strict))
		}
	}
}

// Stores that apply each transaction's writes together, even on
// replicas that learn of them late or after acknowledging them, are read
// committed: the checker must pass them (what it notes, G-single, G2 and
// lost updates, is allowed).
func TestAtomicStoresAreReadCommitted(t *testing.T) {
	for _, mode := range []simMode{simReplicated, simWriteBehind} {
		notes := 0
		for seed := uint64(1); seed <= 20; seed++ {
			s := runSim(simConfig{mode: mode, clients: 4, txns: 500, failP: 0.05, infoP: 0.1,
				opts: simOptions(4, 4, 8), seed: seed})
			res := Check(s.b.History(), rc)
			expectValid(t, res)
			notes += len(res.Notes)
		}
		if notes == 0 {
			t.Errorf("%s: no G-single, G2 or lost update noted in 20 runs of a store that is not serializable", mode)
		}
	}
}

// Power, not soundness: a store that lets transactions overwrite each
// other's uncommitted writes exhibits G0, and the checker should catch
// some of it; including cycles that Elle's writes-follow-reads inference
// alone would miss.
func TestInterleavedStoreShowsG0(t *testing.T) {
	g0 := 0
	for seed := uint64(1); seed <= 20; seed++ {
		s := runSim(simConfig{mode: simInterleaved, clients: 6, txns: 500, failP: 0.05, infoP: 0.05,
			opts: simOptions(4, 4, 8), seed: seed})
		res := Check(s.b.History(), ru)
		if a := find(res.Anomalies, txngraph.KindG0); a != nil {
			g0++
		}
	}
	if g0 < 5 {
		t.Errorf("G0 found in %d of 20 interleaved runs", g0)
	}
}
