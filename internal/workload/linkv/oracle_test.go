package linkv

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/glomers/glomers/internal/workload"
)

// byKeyOnly is the model partitioned by key alone, as Jepsen's
// independent checker splits a history: the oracle for segments' cuts.
var byKeyOnly = func() porcupine.Model {
	m := register
	m.Partition = func(ops []porcupine.Operation) [][]porcupine.Operation {
		byKey := map[int64][]porcupine.Operation{}
		for _, op := range ops {
			byKey[kv(op).key] = append(byKey[kv(op).key], op)
		}
		var out [][]porcupine.Operation
		for _, k := range slices.Sorted(maps.Keys(byKey)) {
			out = append(out, byKey[k])
		}
		return out
	}
	return m
}()

// Cutting each key at its lone writes and quiet moments never changes
// the verdict: simulated runs, busy enough for long stretches, some with
// stale reads, some with timeouts, judged with the cuts and without.
func TestSegmentsKeepTheVerdict(t *testing.T) {
	cuts, invalid := 0, 0
	for seed := range uint64(24) {
		cfg := simConfig{nodes: 2, ops: 1500, seed: seed, rate: 1000, latency: time.Duration(1+seed%4) * time.Millisecond}
		switch seed % 3 {
		case 1:
			cfg.staleEvery = 200
		case 2:
			cfg.staleEvery = 1000
		}
		if seed%4 == 3 {
			cfg.infoP = 0.01
		}
		h := simulate(cfg)
		ops, _ := decode(h)
		want := porcupine.CheckOperationsTimeout(byKeyOnly, ops, time.Minute)
		got := Check(h, time.Minute)
		wantV := map[porcupine.CheckResult]workload.Validity{porcupine.Ok: workload.Valid, porcupine.Illegal: workload.Invalid}[want]
		if got.Validity != wantV {
			t.Errorf("seed %d (%+v): %s with cuts, %s without", seed, cfg, got.Validity, want)
		}
		if want == porcupine.Illegal {
			invalid++
		}
		for _, part := range segments(ops) {
			if kv(part[0]).carried {
				cuts++
			}
		}
	}
	if cuts == 0 || invalid == 0 || invalid == 24 {
		t.Errorf("%d cuts at quiet moments, %d of 24 runs invalid: the test does not test what it says", cuts, invalid)
	}
	t.Log(fmt.Sprintf("%d cuts at quiet moments, %d of 24 runs invalid", cuts, invalid))
}
