package gcounter

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
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
	cases := []struct {
		name      string
		inv       workload.Invocation
		reply     workloadtest.Reply
		wantSent  string
		wantType  history.Type
		wantValue string
		wantError string
	}{
		{"add ok", add2, workloadtest.Reply{Body: `{"type":"add_ok","in_reply_to":1}`}, `{"delta":2,"type":"add"}`, history.OK, "2", ""},
		{"read ok", read, workloadtest.Reply{Body: `{"type":"read_ok","value":7,"in_reply_to":1}`}, `{"type":"read"}`, history.OK, "7", ""},
		// Maelstrom's counter client has no error wrapper: even a definite
		// error is an indeterminate (info) outcome.
		{"add definite error", add2, workloadtest.Reply{Body: `{"type":"error","code":11,"text":"not now","in_reply_to":1}`}, "", history.Info, "2", "temporarily-unavailable: not now"},
		{"read definite error", read, workloadtest.Reply{Body: `{"type":"error","code":20,"in_reply_to":1}`}, "", history.Info, "", "key-does-not-exist"},
		{"add indefinite error", add2, workloadtest.Reply{Body: `{"type":"error","code":13,"in_reply_to":1}`}, "", history.Info, "2", "crash"},
		{"add timeout", add2, workloadtest.Reply{Err: workload.ErrTimeout}, "", history.Info, "2", "timeout"},
		{"read timeout", read, workloadtest.Reply{Err: workload.ErrTimeout}, "", history.Info, "", "timeout"},
		{"read_ok without value", read, workloadtest.Reply{Body: `{"type":"read_ok","in_reply_to":1}`}, "", history.Info, "", `no "value"`},
		{"read_ok with a float", read, workloadtest.Reply{Body: `{"type":"read_ok","value":1.0,"in_reply_to":1}`}, "", history.Info, "", "not an integer"},
		{"read_ok with null", read, workloadtest.Reply{Body: `{"type":"read_ok","value":null,"in_reply_to":1}`}, "", history.Info, "", "not an integer"},
		{"read_ok with an extra field", read, workloadtest.Reply{Body: `{"type":"read_ok","value":1,"values":[1],"in_reply_to":1}`}, "", history.Info, "", "unexpected field"},
		{"reply of the wrong type", add2, workloadtest.Reply{Body: `{"type":"read_ok","value":1,"in_reply_to":1}`}, "", history.Info, "2", `expected "add_ok"`},
		{"add_ok with a field", add2, workloadtest.Reply{Body: `{"type":"add_ok","value":1,"in_reply_to":1}`}, "", history.Info, "2", "unexpected field"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			conn := &workloadtest.Conn{Replies: []workloadtest.Reply{tc.reply}}
			c := New().NewClient(workload.Options{}).Invoke(context.Background(), conn, tc.inv)
			if c.Type != tc.wantType {
				t.Fatalf("completion %+v, want type %s", c, tc.wantType)
			}
			if string(c.Value) != tc.wantValue {
				t.Errorf("value %s, want %s", c.Value, tc.wantValue)
			}
			if !strings.Contains(c.Error, tc.wantError) {
				t.Errorf("error %q, want it to contain %q", c.Error, tc.wantError)
			}
			if tc.wantSent != "" && (len(conn.Sent) != 1 || string(conn.Sent[0]) != tc.wantSent) {
				t.Errorf("sent %s, want [%s]", conn.Sent, tc.wantSent)
			}
		})
	}
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
