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
		{"healthy", simConfig{nodes: 3, ops: 3000, seed: 1, rate: 1000, latency: 2 * time.Millisecond}, workload.Valid},
		{"timeouts", simConfig{nodes: 3, ops: 3000, infoP: 0.02, seed: 2, rate: 1000, latency: 2 * time.Millisecond}, workload.Valid},
		{"stale", simConfig{nodes: 3, ops: 3000, seed: 3, staleEvery: 50, rate: 1000, latency: 2 * time.Millisecond}, workload.Invalid},
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
// (five nodes) on a simulated linearizable store taking 1,000 operations
// a second, as the harness's stagger issues them (about 73,000 reach the
// checker; failed cas operations did not happen). "healthy": each takes
// about 1 ms, so about one is in flight and one key lasts the whole run;
// "timeouts": half a percent of the writes and cas time out, and a key is
// retired after eleven of those, as Maelstrom's generator does (23
// keys); "busy": each takes about 5 ms, five in flight on one key.
// Measured on the course's 2-core machine while other jobs kept it busy
// (load 14): 0.8 to 0.9 s a check in each case, of which 0.2 to 0.26 s
// of CPU. Cut only at lone writes, the busy key took 3.9 s, and a
// healthy key checked whole took 44 s (see segments).
func BenchmarkCheck100k(b *testing.B) {
	for _, bc := range []struct {
		name string
		cfg  simConfig
	}{
		{"healthy", simConfig{nodes: 5, ops: 100000, seed: 1, rate: 1000, latency: time.Millisecond}},
		{"timeouts", simConfig{nodes: 5, ops: 100000, infoP: 0.005, seed: 1, rate: 1000, latency: time.Millisecond}},
		{"busy", simConfig{nodes: 5, ops: 100000, seed: 1, rate: 1000, latency: 5 * time.Millisecond}},
	} {
		h := simulate(bc.cfg)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res := Check(h, time.Minute)
				if res.Validity != workload.Valid {
					b.Fatalf("validity %s: %+v", res.Validity, res.Anomalies)
				}
				b.ReportMetric(float64(res.Metrics["keys"].(int)), "keys")
			}
		})
	}
}
