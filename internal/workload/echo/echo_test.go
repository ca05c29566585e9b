package echo

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/glomers/glomers/internal/checkertest"
	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/workloadtest"
)

// op is a compact history line for tests: process, type, raw value.
type op struct {
	p   int
	t   history.Type
	val string
}

func build(ops ...op) history.History {
	var b history.Builder
	for _, o := range ops {
		var v json.RawMessage
		if o.val != "" {
			v = json.RawMessage(o.val)
		}
		b.Add(history.Op{Type: o.t, Process: o.p, F: "echo", Value: v, Node: "n0"})
	}
	return b.History()
}

const (
	inv  = history.Invoke
	ok   = history.OK
	fail = history.Fail
	info = history.Info
)

// The checker's cases, one file each under testdata/check: a history in,
// the verdict, anomalies, notes and metrics out.
func TestCheckCases(t *testing.T) {
	checkertest.RunNoOptions(t, Check)
}

// A value that is not JSON cannot be written to history.jsonl, so this
// case is the one that stays in Go.
func TestCheckValueNotJSON(t *testing.T) {
	res := Check(build(op{0, inv, `nope`}, op{0, ok, `nope`}))
	want := workload.Anomaly{Kind: KindMalformedHistory, Message: `op 0: echo value "nope" is not JSON`, Ops: []int{0}}
	if res.Validity != workload.Invalid || len(res.Anomalies) != 1 || !reflect.DeepEqual(res.Anomalies[0], want) {
		t.Errorf("got %s %+v, want %+v", res.Validity, res.Anomalies, want)
	}
}

func TestGenerator(t *testing.T) {
	seen := map[int]bool{}
	for _, inv := range workloadtest.MainOps(t, New().NewGenerator(workload.Options{}), rand.New(rand.NewPCG(1, 2)), 2000, 3) {
		if inv.F != "echo" {
			t.Fatalf("Next = %+v, want an echo", inv)
		}
		var s string
		if err := json.Unmarshal(inv.Value, &s); err != nil {
			t.Fatalf("value %s is not a string", inv.Value)
		}
		n, err := echoNumber(s)
		if err != nil || n < 0 || n > 127 {
			t.Fatalf("value %q is not Please echo 0..127", s)
		}
		seen[n] = true
	}
	// Maelstrom draws (rand-int 128): 2000 draws cover all 128 values.
	if len(seen) != 128 {
		t.Errorf("saw %d distinct values, want 128", len(seen))
	}
	if New().NewFinalGenerator(workload.Options{}) != nil {
		t.Error("echo has no final phase in Maelstrom")
	}
}

// echoNumber returns N from "Please echo N".
func echoNumber(s string) (int, error) {
	rest, found := strings.CutPrefix(s, "Please echo ")
	if !found {
		return 0, errors.New("no prefix")
	}
	var n int
	err := json.Unmarshal([]byte(rest), &n)
	return n, err
}

func TestClient(t *testing.T) {
	sent := `"Please echo 7"`
	cases := []workloadtest.ClientCase{
		{Name: "ok", Reply: workloadtest.Reply{Body: `{"type":"echo_ok","in_reply_to":1,"msg_id":4,"echo":"Please echo 7"}`}, Type: ok, Value: sent},
		{Name: "ok echoing something else", Reply: workloadtest.Reply{Body: `{"type":"echo_ok","echo":[1]}`}, Type: ok, Value: `[1]`},
		{Name: "ok echoing null", Reply: workloadtest.Reply{Body: `{"type":"echo_ok","echo":null}`}, Type: ok, Value: `null`},
		// Maelstrom client: a definite error code fails the operation.
		{Name: "definite error", Reply: workloadtest.Reply{Body: `{"type":"error","code":11,"text":"not ready"}`}, Type: fail, Error: "temporarily-unavailable: not ready"},
		// Maelstrom client: echo is not idempotent, so crash and timeout are info.
		{Name: "indefinite error", Reply: workloadtest.Reply{Body: `{"type":"error","code":13}`}, Type: info, Error: "crash"},
		{Name: "timeout", Reply: workloadtest.Reply{Err: workload.ErrTimeout}, Type: info, Error: "timeout"},
		// Closed response schema: wrong type, extra field, missing field.
		{Name: "wrong type", Reply: workloadtest.Reply{Body: `{"type":"echo","echo":"Please echo 7"}`}, Type: info, Error: `type is "echo", expected "echo_ok"`},
		{Name: "extra field", Reply: workloadtest.Reply{Body: `{"type":"echo_ok","echo":"Please echo 7","extra":1}`}, Type: info, Error: `unknown field "extra"`},
		{Name: "missing echo", Reply: workloadtest.Reply{Body: `{"type":"echo_ok","in_reply_to":1}`}, Type: info, Error: `missing field "echo"`},
	}
	for i := range cases {
		cases[i].Inv = workload.Invocation{F: "echo", Value: json.RawMessage(sent)}
		cases[i].Sent = `{"type":"echo","echo":"Please echo 7"}`
	}
	workloadtest.RunClientCases(t, New(), cases)
}

func TestWorkloadContract(t *testing.T) {
	w := New()
	if w.Name() != "echo" || w.Reusable() || w.Setup(workload.Options{}) != nil || w.Validate(workload.Options{}) != nil {
		t.Errorf("echo workload: name %q reusable %v", w.Name(), w.Reusable())
	}
	res := w.Check(build(op{0, inv, `"a"`}, op{0, ok, `"b"`}), workload.Options{})
	if res.Validity != workload.Invalid {
		t.Errorf("Workload.Check did not run the checker: %s", res.Validity)
	}
}

func FuzzCheck(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 1, 13, 0, 5, 0, 32, 1, 32, 1, 2, 3, 38, 1, 7})
	f.Add([]byte{31, 0, 30, 0, 29, 0, 0, 0, 0, 0, 7, 0, 1})
	f.Add([]byte("any bytes at all, as a history"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h := workloadtest.FuzzHistory(data, []string{"echo"}, func(in *workloadtest.Bytes, _ string, _ history.Type) json.RawMessage {
			return workloadtest.Pick(in)
		})
		res := Check(h)
		if res.Validity == workload.Valid && len(res.Anomalies) > 0 {
			t.Fatalf("valid with anomalies: %+v", res.Anomalies)
		}
		if res.Validity != workload.Valid && len(res.Anomalies) == 0 {
			t.Fatalf("%s without anomalies", res.Validity)
		}
	})
}
