package uniqueids

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/workloadtest"
)

// gen builds a history in which process p invokes a generate and gets back
// each of ids in turn (one op pair per id, "" for a timeout) from node n{p}.
func gen(ids ...string) history.History {
	var b history.Builder
	for i, id := range ids {
		node := []string{"n0", "n1", "n2"}[i%3]
		b.Add(history.Op{Type: history.Invoke, Process: i, F: "generate", Node: node})
		if id == "" {
			b.Add(history.Op{Type: history.Info, Process: i, F: "generate", Node: node, Error: "timeout"})
			continue
		}
		b.Add(history.Op{Type: history.OK, Process: i, F: "generate", Value: json.RawMessage(id), Node: node})
	}
	return b.History()
}

func TestCheckPasses(t *testing.T) {
	tests := []struct {
		name string
		h    history.History
	}{
		{"empty", gen()},
		{"distinct integers", gen(`1`, `2`, `3`)},
		// Jepsen unique-ids: Clojure equality, so these four are distinct.
		{"1, 1.0, \"1\" and [1] differ", gen(`1`, `1.0`, `"1"`, `[1]`)},
		{"objects, strings, null", gen(`{"n":0,"c":1}`, `{"n":1,"c":1}`, `"n0-1"`, `null`)},
		{"timeouts return nothing", gen(`1`, ``, ``, `2`)},
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
		msg  string
	}{
		// Jepsen unique-ids: an id acknowledged twice is a duplicate.
		{"same integer twice", gen(`7`, `8`, `7`), KindDuplicate, []int{1, 5},
			"id 7 was returned 2 times, by n0, n2 (ops 1, 5)"},
		// Equality is by value: key order and whitespace do not make ids differ.
		{"same object, keys reordered", gen(`{"a":1,"b":2}`, `{ "b": 2, "a": 1 }`), KindDuplicate, []int{1, 3},
			`id {"a":1,"b":2} was returned 2 times, by n0, n1 (ops 1, 3)`},
		{"1.0 and 1.00", gen(`1.0`, `1.00`), KindDuplicate, []int{1, 3}, "id 1.0 was returned 2 times"},
		{"null twice", gen(`null`, `null`), KindDuplicate, []int{1, 3}, "id null was returned 2 times"},
		{"value that is not JSON", gen(`nope`), KindMalformedHistory, []int{1}, "op 1: generate_ok value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Check(tt.h)
			if res.Validity != workload.Invalid || len(res.Anomalies) != 1 {
				t.Fatalf("got %s %+v, want one anomaly", res.Validity, res.Anomalies)
			}
			a := res.Anomalies[0]
			if a.Kind != tt.kind || !strings.Contains(a.Message, tt.msg) || !equalInts(a.Ops, tt.ops) {
				t.Errorf("got %+v, want kind %s, ops %v, message containing %q", a, tt.kind, tt.ops, tt.msg)
			}
		})
	}
}

// Jepsen unique-ids: attempted counts invocations, acknowledged ok
// completions, duplicated the ids seen more than once.
func TestCheckMetrics(t *testing.T) {
	res := Check(gen(`1`, `1`, `1`, `2`, `2`, `3`, ``))
	m := res.Metrics
	if m["attempted_count"] != 7 || m["acknowledged_count"] != 6 || m["duplicated_count"] != 2 {
		t.Errorf("metrics %v", m)
	}
	dup := m["duplicated"].(map[string]int)
	if len(dup) != 2 || dup["1"] != 3 || dup["2"] != 2 {
		t.Errorf("duplicated %v, want 1:3 2:2", dup)
	}
	if len(res.Anomalies) != 2 || res.Anomalies[0].Message[:4] != "id 1" {
		t.Errorf("anomalies %+v, want id 1 then id 2", res.Anomalies)
	}
}

// The duplicated metric keeps only the most repeated ids, as Jepsen's does.
func TestCheckBoundsListing(t *testing.T) {
	var ids []string
	for i := range MaxListed + 10 {
		n := 2
		if i == MaxListed+5 {
			n = 3 // the most repeated id comes late and must still be listed
		}
		for range n {
			ids = append(ids, jsonInt(i))
		}
	}
	res := Check(gen(ids...))
	dup := res.Metrics["duplicated"].(map[string]int)
	if len(dup) != MaxListed || dup[jsonInt(MaxListed+5)] != 3 {
		t.Errorf("duplicated has %d ids (want %d) and %v for the triple", len(dup), MaxListed, dup[jsonInt(MaxListed+5)])
	}
	if res.Metrics["duplicated_count"] != MaxListed+10 {
		t.Errorf("duplicated_count %v", res.Metrics["duplicated_count"])
	}
}

func jsonInt(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

func TestGenerator(t *testing.T) {
	g := New().NewGenerator(workload.Options{})
	rnd := rand.New(rand.NewPCG(3, 4))
	for i := range 100 {
		inv, more := g.Next(i%5, 0, rnd)
		if !more || inv.F != "generate" || inv.Value != nil || inv.Final {
			t.Fatalf("Next = %+v, %v", inv, more)
		}
	}
	w := New()
	if w.NewFinalGenerator(workload.Options{}) != nil || !w.Reusable() || w.Name() != "unique-ids" {
		t.Error("unique-ids: no final phase, reusable client, as in Maelstrom")
	}
	if w.Check(gen(`1`, `1`), workload.Options{}).Validity != workload.Invalid {
		t.Error("Workload.Check did not run the checker")
	}
}

func TestClient(t *testing.T) {
	tests := []struct {
		name  string
		reply workloadtest.Reply
		typ   history.Type
		value string
		err   string
	}{
		{"integer id", workloadtest.Reply{Body: `{"type":"generate_ok","in_reply_to":1,"id":123}`}, history.OK, `123`, ""},
		{"compound id", workloadtest.Reply{Body: `{"type":"generate_ok","id":{"node": "n1", "seq": 4}}`}, history.OK, `{"node":"n1","seq":4}`, ""},
		{"null id", workloadtest.Reply{Body: `{"type":"generate_ok","id":null}`}, history.OK, `null`, ""},
		// Maelstrom client: definite error codes fail, the rest are info.
		{"definite error", workloadtest.Reply{Body: `{"type":"error","code":10}`}, history.Fail, "", "not-supported"},
		{"indefinite error", workloadtest.Reply{Body: `{"type":"error","code":1000,"text":"mine"}`}, history.Info, "", "unknown-1000: mine"},
		{"timeout", workloadtest.Reply{Err: workload.ErrTimeout}, history.Info, "", "timeout"},
		// Closed response schema.
		{"wrong type", workloadtest.Reply{Body: `{"type":"generate","id":1}`}, history.Info, "", `expected "generate_ok"`},
		{"extra field", workloadtest.Reply{Body: `{"type":"generate_ok","id":1,"node":"n0"}`}, history.Info, "", `unknown field "node"`},
		{"missing id", workloadtest.Reply{Body: `{"type":"generate_ok"}`}, history.Info, "", `missing field "id"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := &workloadtest.Conn{Replies: []workloadtest.Reply{tt.reply}}
			c := New().NewClient(workload.Options{}).Invoke(context.Background(), conn, workload.Invocation{F: "generate"})
			if len(conn.Sent) != 1 || string(conn.Sent[0]) != `{"type":"generate"}` {
				t.Errorf("sent %s", conn.Sent)
			}
			if c.Type != tt.typ || string(c.Value) != tt.value || !strings.Contains(c.Error, tt.err) || (tt.err == "") != (c.Error == "") {
				t.Errorf("got %s %s %q, want %s %s error containing %q", c.Type, c.Value, c.Error, tt.typ, tt.value, tt.err)
			}
		})
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
	f.Add([]byte{0, 1, 32, 0, 3, 1, 4, 0, 36, 2, 3})
	f.Add([]byte{31, 0, 30, 0, 29, 0, 0, 0, 7, 0, 7})
	f.Add([]byte("any bytes at all, as a history"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h := workloadtest.FuzzHistory(data, []string{"generate", "echo"}, func(in *workloadtest.Bytes, _ string, typ history.Type) json.RawMessage {
			if typ == history.Invoke {
				return nil
			}
			return workloadtest.Pick(in)
		})
		res := Check(h)
		if (res.Validity == workload.Valid) != (len(res.Anomalies) == 0) {
			t.Fatalf("validity %s with %d anomalies", res.Validity, len(res.Anomalies))
		}
		ok := 0
		for _, op := range h {
			if op.F == "generate" && op.Type == history.OK {
				ok++
			}
		}
		if res.Metrics["acknowledged_count"] != ok {
			t.Fatalf("acknowledged_count %v, history has %d", res.Metrics["acknowledged_count"], ok)
		}
	})
}
