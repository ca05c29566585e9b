package linkv

import (
	"testing"
	"time"

	"github.com/glomers/glomers/internal/workload"
)

// A simulated linearizable store passes, with and without timeouts; the
// same store answering every 50th read with the value before the last
// write fails.
func TestSimulatedRuns(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  simConfig
		want workload.Validity
	}{
		{"healthy", simConfig{nodes: 3, ops: 3000, seed: 1}, workload.Valid},
		{"timeouts", simConfig{nodes: 3, ops: 3000, infoP: 0.02, seed: 2}, workload.Valid},
		{"stale", simConfig{nodes: 3, ops: 3000, seed: 3, staleEvery: 50}, workload.Invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := simulate(tc.cfg)
			res := Check(h, time.Minute)
			if res.Validity != tc.want {
				t.Fatalf("validity %s, want %s: %+v", res.Validity, tc.want, res.Anomalies)
			}
			for _, a := range res.Anomalies {
				if a.Kind != KindNonlinearizable || len(a.Ops) == 0 {
					t.Errorf("anomaly %+v", a)
				}
			}
		})
	}
}

// BenchmarkCheck100k checks 100,000 operations from ten client threads
// (five nodes) on a simulated linearizable store, half a percent of the
// writes and cas timing out (each key retired after eleven of those, as
// Maelstrom's generator does). Measured: about X s per check on the
// course's 2-core machine.
func BenchmarkCheck100k(b *testing.B) {
	h := simulate(simConfig{nodes: 5, ops: 100000, infoP: 0.005, seed: 1})
	b.ReportAllocs()
	for b.Loop() {
		res := Check(h, time.Minute)
		if res.Validity != workload.Valid {
			b.Fatalf("validity %s: %+v", res.Validity, res.Anomalies)
		}
		b.ReportMetric(float64(res.Metrics["keys"].(int)), "keys")
	}
}
