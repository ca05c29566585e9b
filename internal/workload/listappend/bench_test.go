package listappend

import (
	"testing"
)

// BenchmarkCheck100k checks 100,000 generated transactions (Maelstrom's
// default generator settings, ten clients, strict serializability):
// "serial" a correct store, "stale" one with stale read-only snapshots
// (thousands of G-single-realtime cycles), "torn" one that applies
// transactions in pieces (G0, G1b, G1c and more). On this project's
// 2-core build machine, with little else running:
//
//	go test -run XXX -bench Check100k -benchtime 3x ./internal/workload/listappend
//	BenchmarkCheck100k/serial-2  3  821628304 ns/op  100000 txns  197769280 B/op  435398 allocs/op
//	BenchmarkCheck100k/stale-2   3  706798064 ns/op  100000 txns  202108197 B/op  532568 allocs/op
//	BenchmarkCheck100k/torn-2    3  622635831 ns/op  100000 txns  202279309 B/op  515781 allocs/op
//
// that is 0.6 to 0.8 s per check, against a target of 2 s. (With the
// machine shared by many builds, wall time grows several-fold; the CPU
// time a check takes stays near 1 s.)
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
