package linkv

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/workloadtest"
)

// FuzzCheck runs the checker over histories of lin-kv's own shapes
// (mostly well-formed [key, value] tuples on a few keys with small
// values, some odd ones): it must not panic, whatever the times and
// outcomes, and a verdict is valid exactly when no anomaly is reported.
func FuzzCheck(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 1, 32, 0, 3, 1, 4, 0, 36, 2, 3, 0, 5, 1, 2, 3})
	f.Add([]byte{1, 5, 1, 2, 3, 200, 33, 9, 2, 7, 65, 1, 1, 8, 97, 250, 2, 3})
	f.Add([]byte("a lin-kv history out of any bytes at all"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h := workloadtest.FuzzHistory(data, []string{"read", "write", "cas", "frobnicate"}, func(in *workloadtest.Bytes, fn string, typ history.Type) json.RawMessage {
			b := in.Byte()
			if b >= 240 {
				return workloadtest.Pick(in)
			}
			k, v, w := b%3, (b/3)%4, (b/12)%4
			switch {
			case fn == "read" && typ == history.Invoke:
				return json.RawMessage(fmt.Sprintf("[%d,null]", k))
			case fn == "cas":
				return json.RawMessage(fmt.Sprintf("[%d,[%d,%d]]", k, v, w))
			case b%5 == 0:
				return json.RawMessage(fmt.Sprintf("[%d,null]", k))
			}
			return json.RawMessage(fmt.Sprintf("[%d,%d]", k, v))
		})
		res := Check(h, 200*time.Millisecond)
		switch res.Validity {
		case workload.Valid:
			if len(res.Anomalies) != 0 {
				t.Fatalf("valid with anomalies %+v", res.Anomalies)
			}
		case workload.Invalid:
			if len(res.Anomalies) == 0 {
				t.Fatalf("invalid without an anomaly")
			}
		}
		for _, a := range res.Anomalies {
			if len(a.Ops) == 0 || a.Message == "" {
				t.Fatalf("anomaly without ops or words: %+v", a)
			}
		}
	})
}
