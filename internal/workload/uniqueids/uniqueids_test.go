package uniqueids

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/glomers/glomers/internal/checkertest"
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

func jsonInt(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// The checker's cases, one file each under testdata/check: a history in,
// the verdict, anomalies, notes and metrics out.
func TestCheckCases(t *testing.T) {
	checkertest.RunNoOptions(t, Check)
}

// A value that is not JSON cannot be written to history.jsonl, so this
// case is the one that stays in Go.
func TestCheckValueNotJSON(t *testing.T) {
	res := Check(gen(`nope`))
	want := workload.Anomaly{Kind: KindMalformedHistory, Message: `op 1: generate_ok value "nope" is not a JSON id`, Ops: []int{1}}
	if res.Validity != workload.Invalid || len(res.Anomalies) != 1 || !reflect.DeepEqual(res.Anomalies[0], want) {
		t.Errorf("got %s %+v, want %+v", res.Validity, res.Anomalies, want)
	}
}

func TestGenerator(t *testing.T) {
	for _, inv := range workloadtest.MainOps(t, New().NewGenerator(workload.Options{}), rand.New(rand.NewPCG(3, 4)), 100, 5) {
		if inv.F != "generate" || inv.Value != nil {
			t.Fatalf("Next = %+v, want a generate with no value", inv)
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
	cases := []workloadtest.ClientCase{
		{Name: "integer id", Reply: workloadtest.Reply{Body: `{"type":"generate_ok","in_reply_to":1,"id":123}`}, Type: history.OK, Value: `123`},
		{Name: "compound id", Reply: workloadtest.Reply{Body: `{"type":"generate_ok","id":{"node": "n1", "seq": 4}}`}, Type: history.OK, Value: `{"node":"n1","seq":4}`},
		{Name: "null id", Reply: workloadtest.Reply{Body: `{"type":"generate_ok","id":null}`}, Type: history.OK, Value: `null`},
		// Maelstrom client: definite error codes fail, the rest are info.
		{Name: "definite error", Reply: workloadtest.Reply{Body: `{"type":"error","code":10}`}, Type: history.Fail, Error: "not-supported"},
		{Name: "indefinite error", Reply: workloadtest.Reply{Body: `{"type":"error","code":1000,"text":"mine"}`}, Type: history.Info, Error: "unknown-1000: mine"},
		{Name: "timeout", Reply: workloadtest.Reply{Err: workload.ErrTimeout}, Type: history.Info, Error: "timeout"},
		// Closed response schema.
		{Name: "wrong type", Reply: workloadtest.Reply{Body: `{"type":"generate","id":1}`}, Type: history.Info, Error: `expected "generate_ok"`},
		{Name: "extra field", Reply: workloadtest.Reply{Body: `{"type":"generate_ok","id":1,"node":"n0"}`}, Type: history.Info, Error: `unknown field "node"`},
		{Name: "missing id", Reply: workloadtest.Reply{Body: `{"type":"generate_ok"}`}, Type: history.Info, Error: `missing field "id"`},
	}
	for i := range cases {
		cases[i].Inv = workload.Invocation{F: "generate"}
		cases[i].Sent = `{"type":"generate"}`
	}
	workloadtest.RunClientCases(t, New(), cases)
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
