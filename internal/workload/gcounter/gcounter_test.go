package gcounter

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/workloadtest"
)

// Maelstrom g_counter.clj: pn-counter's 50/50 mix of adds (delta -5..4) and
// reads, negative adds dropped and redrawn: 2/3 reads, 1/3 adds, deltas
// uniform over 0..4.
func TestGeneratorMix(t *testing.T) {
	const n = 30000
	reads, adds := 0, 0
	deltas := map[int]int{}
	for _, inv := range workloadtest.MainOps(t, New().NewGenerator(workload.Options{}), rand.New(rand.NewPCG(1, 2)), n, 3) {
		switch inv.F {
		case "read":
			reads++
			if inv.Value != nil {
				t.Fatalf("read with value %s", inv.Value)
			}
		case "add":
			adds++
			var d int
			if err := json.Unmarshal(inv.Value, &d); err != nil {
				t.Fatal(err)
			}
			if d < 0 || d > 4 {
				t.Fatalf("delta %d outside 0..4", d)
			}
			deltas[d]++
		default:
			t.Fatalf("unexpected op %q", inv.F)
		}
	}
	if f := float64(reads) / n; math.Abs(f-2.0/3) > 0.02 {
		t.Errorf("reads are %.3f of ops, want about 2/3", f)
	}
	for d := 0; d <= 4; d++ {
		if f := float64(deltas[d]) / float64(adds); math.Abs(f-0.2) > 0.02 {
			t.Errorf("delta %d is %.3f of adds, want about 1/5", d, f)
		}
	}
}

// Maelstrom: final generator is each-thread {:f :read, :final? true}.
func TestFinalGeneratorOneReadPerThread(t *testing.T) {
	workloadtest.CheckFinalReads(t, New().NewFinalGenerator(workload.Options{}), 4)
}

func TestClient(t *testing.T) {
	add2 := workload.Invocation{F: "add", Value: history.Value(2)}
	read := workload.Invocation{F: "read"}
	cases := []workloadtest.ClientCase{
		{Name: "add ok", Inv: add2, Reply: workloadtest.Reply{Body: `{"type":"add_ok","in_reply_to":1}`}, Sent: `{"delta":2,"type":"add"}`, Type: history.OK, Value: "2"},
		{Name: "read ok", Inv: read, Reply: workloadtest.Reply{Body: `{"type":"read_ok","value":7,"in_reply_to":1}`}, Sent: `{"type":"read"}`, Type: history.OK, Value: "7"},
		// Maelstrom's counter client has no error wrapper: even a definite
		// error is an indeterminate (info) outcome.
		{Name: "add definite error", Inv: add2, Reply: workloadtest.Reply{Body: `{"type":"error","code":11,"text":"not now","in_reply_to":1}`}, Type: history.Info, Value: "2", Error: "temporarily-unavailable: not now"},
		{Name: "read definite error", Inv: read, Reply: workloadtest.Reply{Body: `{"type":"error","code":20,"in_reply_to":1}`}, Type: history.Info, Error: "key-does-not-exist"},
		{Name: "add indefinite error", Inv: add2, Reply: workloadtest.Reply{Body: `{"type":"error","code":13,"in_reply_to":1}`}, Type: history.Info, Value: "2", Error: "crash"},
		{Name: "add timeout", Inv: add2, Reply: workloadtest.Reply{Err: workload.ErrTimeout}, Type: history.Info, Value: "2", Error: "timeout"},
		{Name: "read timeout", Inv: read, Reply: workloadtest.Reply{Err: workload.ErrTimeout}, Type: history.Info, Error: "timeout"},
		{Name: "read_ok without value", Inv: read, Reply: workloadtest.Reply{Body: `{"type":"read_ok","in_reply_to":1}`}, Type: history.Info, Error: `no "value"`},
		{Name: "read_ok with a float", Inv: read, Reply: workloadtest.Reply{Body: `{"type":"read_ok","value":1.0,"in_reply_to":1}`}, Type: history.Info, Error: "not an integer"},
		{Name: "read_ok with null", Inv: read, Reply: workloadtest.Reply{Body: `{"type":"read_ok","value":null,"in_reply_to":1}`}, Type: history.Info, Error: "not an integer"},
		{Name: "read_ok with an extra field", Inv: read, Reply: workloadtest.Reply{Body: `{"type":"read_ok","value":1,"values":[1],"in_reply_to":1}`}, Type: history.Info, Error: "unexpected field"},
		{Name: "reply of the wrong type", Inv: add2, Reply: workloadtest.Reply{Body: `{"type":"read_ok","value":1,"in_reply_to":1}`}, Type: history.Info, Value: "2", Error: `expected "add_ok"`},
		{Name: "add_ok with a field", Inv: add2, Reply: workloadtest.Reply{Body: `{"type":"add_ok","value":1,"in_reply_to":1}`}, Type: history.Info, Value: "2", Error: "unexpected field"},
	}
	workloadtest.RunClientCases(t, New(), cases)
}

func TestWorkloadShape(t *testing.T) {
	w := New()
	if w.Name() != "g-counter" || w.Reusable() {
		t.Fatalf("name %q reusable %v", w.Name(), w.Reusable())
	}
	if err := w.Validate(workload.Options{}); err != nil {
		t.Fatal(err)
	}
	if w.Setup(workload.Options{}) != nil {
		t.Fatal("g-counter has no setup phase")
	}
}
