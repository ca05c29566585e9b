package listappend

import (
	"testing"
)

// BenchmarkCheck100k checks 100,000 generated transactions (Maelstrom's
// default generator settings, ten clients, strict serializability):
// "serial" a correct store, "stale" one with stale read-only snapshots
// (thousands of G-single-realtime cycles), "torn" one that applies
// transactions in pieces (G0, G1b, G1c and more). On this project's
// 2-core build machine:
//
//	go test -run XXX -bench Check100k -benchtime 5x ./internal/workload/listappend
//	BenchmarkCheck100k/serial-2  5  ...
//
// against a target of 2 s.
func BenchmarkCheck100k(b *testing.B) {
	for _, mode := range []simMode{simSerial, simStale, simTorn} {
		h := simulate(mode, 10, 100000, 1)
		b.Run(mode.String(), func(b *testing.B) {
			b.ReportAllocs()
			var res any
			for b.Loop() {
				r := Check(h, nil)
				res = r.Metrics["anomaly_counts"]
			}
			b.ReportMetric(100000, "txns")
			b.Logf("%s: %d ops, anomalies %v", mode, len(h), res)
		})
	}
}
