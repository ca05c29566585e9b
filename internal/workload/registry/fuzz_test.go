package registry

import (
	"encoding/json"
	"testing"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/workloadtest"
)

// everyF is every operation name the registered workloads use, and one
// none of them does.
var everyF = []string{"echo", "generate", "broadcast", "read", "add", "send", "poll", "commit_offsets", "list_committed_offsets", "txn", "write", "cas", "frobnicate"}

// FuzzEveryChecker runs every registered workload's checker, through the
// Workload interface the harness calls, over one arbitrary history: none
// may panic, and a verdict is valid exactly when no anomaly is reported.
// The per-package fuzzers shape values for their own workload; this one
// also covers workloads registered later and histories mixing operations
// of several workloads (a history file edited by hand).
func FuzzEveryChecker(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 1, 32, 0, 3, 1, 4, 0, 36, 2, 3, 0, 5})
	f.Add([]byte{31, 0, 30, 0, 29, 0, 0, 0, 7, 0, 7})
	f.Add([]byte{8, 10, 8, 40, 9, 12, 1, 15, 200, 3, 6, 7, 9, 11, 200, 255, 17})
	f.Add([]byte("any bytes at all, as a history"))
	opts := workload.Options{
		Nodes: []string{"n0", "n1", "n2"}, Concurrency: 3, Rate: 10, TimeLimit: 10e9, Topology: "grid",
		KeyCount: 10, MaxTxnLength: 4, MaxWritesPerKey: 16, ConsistencyModels: []string{"strict-serializable"},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h := workloadtest.FuzzHistory(data, everyF, func(in *workloadtest.Bytes, _ string, _ history.Type) json.RawMessage {
			return workloadtest.Pick(in)
		})
		for _, name := range Names() {
			wl, err := Lookup(name)
			if err != nil {
				t.Fatal(err)
			}
			res := wl.Check(h, opts)
			switch res.Validity {
			case workload.Valid:
				if len(res.Anomalies) != 0 {
					t.Fatalf("%s: valid with anomalies %+v", name, res.Anomalies)
				}
			case workload.Invalid:
				if len(res.Anomalies) == 0 {
					t.Fatalf("%s: invalid without an anomaly", name)
				}
			}
		}
	})
}
