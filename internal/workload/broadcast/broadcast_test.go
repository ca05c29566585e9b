package broadcast

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

// Maelstrom's broadcast generator: (gen/mix [broadcasts reads]), values 0,
// 1, 2, ... from one counter shared by every thread.
func TestGenerator(t *testing.T) {
	const n = 10000
	ops := workloadtest.MainOps(t, New().NewGenerator(workload.Options{}), rand.New(rand.NewPCG(42, 7)), n, 25)
	broadcasts := 0
	next := int64(0)
	for i, inv := range ops {
		switch inv.F {
		case "broadcast":
			broadcasts++
			v, err := parseInt(inv.Value)
			if err != nil || v != next {
				t.Fatalf("op %d: broadcast value %s, want %d", i, inv.Value, next)
			}
			next++
		case "read":
			if inv.Value != nil {
				t.Fatalf("op %d: read with value %s", i, inv.Value)
			}
		default:
			t.Fatalf("op %d: unexpected f %q", i, inv.F)
		}
	}
	// A fair coin over 10,000 draws lies within 4.5 standard deviations
	// (50 each) of 5,000 except with probability under 1e-5; the seed is
	// fixed, so this either always holds or never does.
	if broadcasts < 4775 || broadcasts > 5225 {
		t.Errorf("%d broadcasts in %d ops, want about half", broadcasts, n)
	}
}

// Maelstrom's final generator: (gen/each-thread {:f :read, :final? true}).
func TestFinalGenerator(t *testing.T) {
	workloadtest.CheckFinalReads(t, New().NewFinalGenerator(workload.Options{}), 5)
}

func TestSetup(t *testing.T) {
	opts := workload.Options{Nodes: nodes(5)}
	reqs := New().Setup(opts)
	if len(reqs) != 5 {
		t.Fatalf("%d setup requests, want one per node", len(reqs))
	}
	// The default topology is grid, and every node gets the whole map.
	want := `{"type":"topology","topology":{"n0":["n3","n1"],"n1":["n4","n2","n0"],"n2":["n1"],"n3":["n0","n4"],"n4":["n1","n3"]}}`
	for i, r := range reqs {
		b, _ := json.Marshal(r.Body)
		if r.Node != opts.Nodes[i] || r.Reply != "topology_ok" || string(b) != want {
			t.Errorf("request %d: %s %s %s", i, r.Node, r.Reply, b)
		}
	}
	opts.Topology = "line"
	b, _ := json.Marshal(New().Setup(opts)[0].Body)
	if !strings.Contains(string(b), `"n0":["n1"]`) {
		t.Errorf("line topology: %s", b)
	}
	// Maelstrom's line topology for one node is empty; the map is {} not null.
	b, _ = json.Marshal(New().Setup(workload.Options{Nodes: nodes(1), Topology: "line"})[0].Body)
	if string(b) != `{"type":"topology","topology":{}}` {
		t.Errorf("one-node line topology: %s", b)
	}
}

func TestValidate(t *testing.T) {
	w := New()
	for _, name := range append(TopologyNames(), "") {
		if err := w.Validate(workload.Options{Nodes: nodes(3), Topology: name}); err != nil {
			t.Errorf("--topology %q: %v", name, err)
		}
	}
	err := w.Validate(workload.Options{Nodes: nodes(3), Topology: "star"})
	if err == nil || !strings.Contains(err.Error(), `unknown --topology "star" (valid: grid, line, total, tree, tree2, tree3, tree4)`) {
		t.Errorf("--topology star: %v", err)
	}
}

func TestWorkloadContract(t *testing.T) {
	w := New()
	if w.Name() != "broadcast" || w.Reusable() {
		t.Errorf("name %q, reusable %v; Maelstrom's broadcast client is not reusable", w.Name(), w.Reusable())
	}
	h := hist(t, `
		0 0 invoke broadcast 0 n0
		1 0 ok broadcast 0 n0
		2 1 invoke read - n1
		3 1 ok read [0] n1`)
	if res := w.Check(h, workload.Options{}); res.Validity != workload.Valid {
		t.Errorf("Workload.Check: %s", res.Validity)
	}
}

func TestClient(t *testing.T) {
	bcast := workload.Invocation{F: "broadcast", Value: json.RawMessage(`7`)}
	read := workload.Invocation{F: "read"}
	cases := []workloadtest.ClientCase{
		{Name: "broadcast ok", Inv: bcast, Reply: workloadtest.Reply{Body: `{"type":"broadcast_ok","in_reply_to":1}`}, Sent: `{"type":"broadcast","message":7}`, Type: history.OK, Value: `7`},
		{Name: "read ok", Inv: read, Reply: workloadtest.Reply{Body: `{"type":"read_ok","messages":[3, 1,3],"msg_id":9}`}, Sent: `{"type":"read"}`, Type: history.OK, Value: `[3,1,3]`},
		{Name: "read empty", Inv: read, Reply: workloadtest.Reply{Body: `{"type":"read_ok","messages":[]}`}, Sent: `{"type":"read"}`, Type: history.OK, Value: `[]`},
		// Maelstrom client: a definite error fails, whatever the operation.
		{Name: "broadcast definite error", Inv: bcast, Reply: workloadtest.Reply{Body: `{"type":"error","code":11}`}, Sent: `{"type":"broadcast","message":7}`, Type: history.Fail, Error: "temporarily-unavailable"},
		// Maelstrom client: indefinite errors are info for broadcast, but
		// fail for read, which is idempotent.
		{Name: "broadcast indefinite error", Inv: bcast, Reply: workloadtest.Reply{Body: `{"type":"error","code":13,"text":"boom"}`}, Sent: `{"type":"broadcast","message":7}`, Type: history.Info, Error: "crash: boom"},
		{Name: "read indefinite error", Inv: read, Reply: workloadtest.Reply{Body: `{"type":"error","code":0}`}, Sent: `{"type":"read"}`, Type: history.Fail, Error: "timeout"},
		{Name: "broadcast timeout", Inv: bcast, Reply: workloadtest.Reply{Err: workload.ErrTimeout}, Sent: `{"type":"broadcast","message":7}`, Type: history.Info, Error: "timeout"},
		{Name: "read timeout", Inv: read, Reply: workloadtest.Reply{Err: workload.ErrTimeout}, Sent: `{"type":"read"}`, Type: history.Fail, Error: "timeout"},
		// Closed response schemas: a malformed reply is info, reads included
		// (Maelstrom's with-errors does not catch it; Jepsen records info).
		{Name: "broadcast wrong type", Inv: bcast, Reply: workloadtest.Reply{Body: `{"type":"read_ok","messages":[]}`}, Sent: `{"type":"broadcast","message":7}`, Type: history.Info, Error: `type is "read_ok", expected "broadcast_ok"`},
		{Name: "broadcast extra field", Inv: bcast, Reply: workloadtest.Reply{Body: `{"type":"broadcast_ok","message":7}`}, Sent: `{"type":"broadcast","message":7}`, Type: history.Info, Error: `unexpected field "message"`},
		{Name: "read extra field", Inv: read, Reply: workloadtest.Reply{Body: `{"type":"read_ok","messages":[],"count":0}`}, Sent: `{"type":"read"}`, Type: history.Info, Error: `unknown field "count"`},
		{Name: "read non-integer message", Inv: read, Reply: workloadtest.Reply{Body: `{"type":"read_ok","messages":[1,2.5]}`}, Sent: `{"type":"read"}`, Type: history.Info, Error: `"messages": element 1: 2.5 is not an integer`},
		{Name: "read string message", Inv: read, Reply: workloadtest.Reply{Body: `{"type":"read_ok","messages":["1"]}`}, Sent: `{"type":"read"}`, Type: history.Info, Error: `"messages": element 0: "1" is not an integer`},
		{Name: "read messages not an array", Inv: read, Reply: workloadtest.Reply{Body: `{"type":"read_ok","messages":{"1":true}}`}, Sent: `{"type":"read"}`, Type: history.Info, Error: `"messages": {"1":true} is not an array`},
		// Maelstrom's schema [s/Any] takes null (a Go nil slice): an empty read.
		{Name: "read messages null", Inv: read, Reply: workloadtest.Reply{Body: `{"type":"read_ok","messages":null}`}, Sent: `{"type":"read"}`, Type: history.OK, Value: `[]`},
		{Name: "read messages missing", Inv: read, Reply: workloadtest.Reply{Body: `{"type":"read_ok"}`}, Sent: `{"type":"read"}`, Type: history.Info, Error: `missing field "messages"`},
	}
	workloadtest.RunClientCases(t, New(), cases)
}

func TestClientRefusesBadInvocations(t *testing.T) {
	for _, inv := range []workload.Invocation{
		{F: "broadcast", Value: json.RawMessage(`"7"`)},
		{F: "topology"},
	} {
		conn := &workloadtest.Conn{}
		c := New().NewClient(workload.Options{}).Invoke(context.Background(), conn, inv)
		if c.Type != history.Fail || len(conn.Sent) != 0 {
			t.Errorf("%+v: got %s, sent %d; want fail without sending", inv, c.Type, len(conn.Sent))
		}
	}
}
