package echo

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

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

func TestCheckPasses(t *testing.T) {
	tests := []struct {
		name string
		h    history.History
	}{
		{"empty history", build()},
		{"one echo", build(op{0, inv, `"Please echo 5"`}, op{0, ok, `"Please echo 5"`})},
		// Maelstrom compares decoded values: a re-encoded string is the same.
		{"re-encoded string", build(op{0, inv, `"Please echo 5"`}, op{0, ok, `"Please\u0020echo 5"`})},
		{"interleaved processes", build(
			op{0, inv, `"Please echo 1"`}, op{1, inv, `"Please echo 2"`},
			op{1, ok, `"Please echo 2"`}, op{0, ok, `"Please echo 1"`})},
		{"any JSON value", build(op{0, inv, `{"a":[1,2.5]}`}, op{0, ok, `{ "a": [1, 2.50] }`})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Check(tt.h)
			if res.Validity != workload.Valid || len(res.Anomalies) != 0 {
				t.Fatalf("got %s %+v, want valid", res.Validity, res.Anomalies)
			}
		})
	}
}

func TestCheckFails(t *testing.T) {
	tests := []struct {
		name string
		h    history.History
		kind string
		ops  []int
		msg  string // a regexp the message must match
	}{
		// Maelstrom echo checker: the completion's echo must equal the value sent.
		{"different string", build(op{0, inv, `"Please echo 5"`}, op{0, ok, `"Please echo 6"`}),
			KindMismatch, []int{0, 1}, `op 0 sent "Please echo 5" to n0 but got back "Please echo 6" \(op 1\)`},
		// Clojure equality: 1 is not 1.0.
		{"number spelling", build(op{0, inv, `1`}, op{0, ok, `1.0`}),
			KindMismatch, []int{0, 1}, `got back 1.0`},
		{"nothing echoed", build(op{0, inv, `"Please echo 5"`}, op{0, ok, ``}),
			KindMismatch, []int{0, 1}, `got back nothing`},
		// Maelstrom echo checker: a fail or info completion has no echo, so it is an error.
		{"fail", build(op{0, inv, `"Please echo 5"`}, op{0, fail, ``}),
			KindNotOK, []int{0, 1}, `got nothing back: fail at op 1`},
		{"info", build(op{0, inv, `"Please echo 5"`}, op{0, info, ``}),
			KindNotOK, []int{0, 1}, `got nothing back: info at op 1`},
		// Maelstrom echo checker: an invocation with no completion pairs with nil.
		{"never completed", build(op{0, inv, `"Please echo 5"`}),
			KindIncomplete, []int{0}, `op 0 sent "Please echo 5" to n0 and never completed`},
		{"unpaired completion", build(op{0, ok, `"x"`}),
			KindMalformedHistory, nil, `cannot be paired`},
		{"invocation value not JSON", build(op{0, inv, `nope`}, op{0, ok, `nope`}),
			KindMalformedHistory, []int{0}, `is not JSON`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Check(tt.h)
			if res.Validity != workload.Invalid {
				t.Fatalf("validity %s, want invalid", res.Validity)
			}
			if len(res.Anomalies) != 1 {
				t.Fatalf("got %d anomalies, want 1: %+v", len(res.Anomalies), res.Anomalies)
			}
			a := res.Anomalies[0]
			if a.Kind != tt.kind {
				t.Errorf("kind %q, want %q", a.Kind, tt.kind)
			}
			if !equalInts(a.Ops, tt.ops) {
				t.Errorf("ops %v, want %v", a.Ops, tt.ops)
			}
			if !regexp.MustCompile(tt.msg).MatchString(a.Message) {
				t.Errorf("message %q does not match %q", a.Message, tt.msg)
			}
		})
	}
}

func TestCheckMetrics(t *testing.T) {
	h := build(
		op{0, inv, `"a"`}, op{0, ok, `"a"`},
		op{0, inv, `"b"`}, op{0, ok, `"c"`},
		op{0, inv, `"d"`}, op{0, info, ``},
	)
	res := Check(h)
	want := map[string]any{"attempt_count": 3, "ok_count": 2, "mismatch_count": 1}
	for k, v := range want {
		if res.Metrics[k] != v {
			t.Errorf("metric %s = %v, want %v", k, res.Metrics[k], v)
		}
	}
	if len(res.Anomalies) != 2 {
		t.Errorf("got %d anomalies, want a mismatch and a not-ok", len(res.Anomalies))
	}
}

func TestGenerator(t *testing.T) {
	g := New().NewGenerator(workload.Options{})
	rnd := rand.New(rand.NewPCG(1, 2))
	seen := map[int]bool{}
	for i := range 2000 {
		inv, more := g.Next(i%3, 0, rnd)
		if !more || inv.F != "echo" || inv.Final {
			t.Fatalf("Next = %+v, %v", inv, more)
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
	tests := []struct {
		name  string
		reply workloadtest.Reply
		typ   history.Type
		value string
		err   string // substring of the completion error
	}{
		{"ok", workloadtest.Reply{Body: `{"type":"echo_ok","in_reply_to":1,"msg_id":4,"echo":"Please echo 7"}`}, ok, sent, ""},
		{"ok echoing something else", workloadtest.Reply{Body: `{"type":"echo_ok","echo":[1]}`}, ok, `[1]`, ""},
		{"ok echoing null", workloadtest.Reply{Body: `{"type":"echo_ok","echo":null}`}, ok, `null`, ""},
		// Maelstrom client: a definite error code fails the operation.
		{"definite error", workloadtest.Reply{Body: `{"type":"error","code":11,"text":"not ready"}`}, fail, "", "temporarily-unavailable: not ready"},
		// Maelstrom client: echo is not idempotent, so crash and timeout are info.
		{"indefinite error", workloadtest.Reply{Body: `{"type":"error","code":13}`}, info, "", "crash"},
		{"timeout", workloadtest.Reply{Err: workload.ErrTimeout}, info, "", "timeout"},
		// Closed response schema: wrong type, extra field, missing field.
		{"wrong type", workloadtest.Reply{Body: `{"type":"echo","echo":"Please echo 7"}`}, info, "", `type is "echo", expected "echo_ok"`},
		{"extra field", workloadtest.Reply{Body: `{"type":"echo_ok","echo":"Please echo 7","extra":1}`}, info, "", `unknown field "extra"`},
		{"missing echo", workloadtest.Reply{Body: `{"type":"echo_ok","in_reply_to":1}`}, info, "", `missing field "echo"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := &workloadtest.Conn{Replies: []workloadtest.Reply{tt.reply}}
			c := New().NewClient(workload.Options{}).Invoke(context.Background(), conn, workload.Invocation{F: "echo", Value: json.RawMessage(sent)})
			if len(conn.Sent) != 1 || string(conn.Sent[0]) != `{"type":"echo","echo":"Please echo 7"}` {
				t.Errorf("sent %s", conn.Sent)
			}
			if c.Type != tt.typ {
				t.Errorf("type %s, want %s (error %q)", c.Type, tt.typ, c.Error)
			}
			if string(c.Value) != tt.value {
				t.Errorf("value %s, want %s", c.Value, tt.value)
			}
			if !strings.Contains(c.Error, tt.err) || (tt.err == "") != (c.Error == "") {
				t.Errorf("error %q, want one containing %q", c.Error, tt.err)
			}
		})
	}
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

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
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
