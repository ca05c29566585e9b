package kafka

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// memNode is a single kafka node in memory, correct unless a fault is set,
// serving as the node behind a workload.Conn.
type memNode struct {
	logs      map[string][]memEntry
	committed map[string]int64
	stride    int64 // offsets are 1, 1+stride, ...: sparse when stride > 1
	maxPoll   int   // messages returned per key and poll; 0 for all
	// forget, when set, acknowledges sends of this message but never
	// stores them (a lost write).
	forget int
}

type memEntry struct {
	offset int64
	msg    json.RawMessage
}

func newMemNode() *memNode {
	return &memNode{logs: map[string][]memEntry{}, committed: map[string]int64{}, stride: 3, maxPoll: 4}
}

// conn is one client connection to the node.
type memConn struct{ n *memNode }

func (c memConn) Node() string { return "n0" }

func (c memConn) RPC(_ context.Context, body any) (json.RawMessage, error) {
	b, _ := json.Marshal(body)
	var req struct {
		Type    string           `json:"type"`
		Key     string           `json:"key"`
		Msg     json.RawMessage  `json:"msg"`
		Offsets map[string]int64 `json:"offsets"`
		Keys    []string         `json:"keys"`
	}
	if err := json.Unmarshal(b, &req); err != nil {
		return nil, err
	}
	n := c.n
	switch req.Type {
	case "send":
		log := n.logs[req.Key]
		off := int64(1)
		if len(log) > 0 {
			off = log[len(log)-1].offset + n.stride
		}
		if string(req.Msg) != fmt.Sprint(n.forget) || n.forget == 0 {
			n.logs[req.Key] = append(log, memEntry{off, req.Msg})
		}
		return history.Value(map[string]any{"type": "send_ok", "offset": off}), nil
	case "poll":
		msgs := map[string][][2]any{}
		for k, from := range req.Offsets {
			var out [][2]any
			for _, e := range n.logs[k] {
				if e.offset >= from && (n.maxPoll == 0 || len(out) < n.maxPoll) {
					out = append(out, [2]any{e.offset, e.msg})
				}
			}
			if len(out) > 0 {
				msgs[k] = out
			}
		}
		return history.Value(map[string]any{"type": "poll_ok", "msgs": msgs}), nil
	case "commit_offsets":
		for k, off := range req.Offsets {
			n.committed[k] = max(n.committed[k], off)
		}
		return json.RawMessage(`{"type":"commit_offsets_ok"}`), nil
	case "list_committed_offsets":
		out := map[string]int64{}
		for _, k := range req.Keys {
			if off, ok := n.committed[k]; ok {
				out[k] = off
			}
		}
		return history.Value(map[string]any{"type": "list_committed_offsets_ok", "offsets": out}), nil
	}
	return nil, workload.ErrTimeout
}

// simulate runs the kafka workload the way the harness does, against one
// memNode: threads take operations from the generators and complete them
// in random order (each takes effect when invoked, within its interval),
// clients are replaced after info completions, and the final phase runs
// until every thread's generator is done.
func simulate(n int, seed uint64, node *memNode) history.History {
	rnd := rand.New(rand.NewPCG(seed, 0))
	const threads = 4
	opts := workload.Options{Nodes: []string{"n0"}, Concurrency: threads}
	w := New()
	var b history.Builder
	type worker struct {
		process int
		client  workload.Client
		pending *struct {
			inv workload.Invocation
			c   workload.Completion
		}
	}
	ws := make([]*worker, threads)
	for t := range ws {
		ws[t] = &worker{process: t, client: w.NewClient(opts)}
	}
	now := time.Duration(0)
	invoke := func(t int, inv workload.Invocation) {
		wk := ws[t]
		b.Add(history.Op{Type: history.Invoke, Process: wk.process, F: inv.F, Value: inv.Value, Final: inv.Final, Time: now})
		c := wk.client.Invoke(context.Background(), memConn{node}, inv)
		wk.pending = &struct {
			inv workload.Invocation
			c   workload.Completion
		}{inv, c}
	}
	complete := func(t int, g workload.Generator) {
		wk := ws[t]
		p := wk.pending
		wk.pending = nil
		b.Add(history.Op{Type: p.c.Type, Process: wk.process, F: p.inv.F, Value: p.c.Value, Error: p.c.Error, Final: p.inv.Final, Time: now})
		if p.c.Type == history.Info {
			wk.process += threads
			wk.client = w.NewClient(opts)
		}
		g.Update(t, p.inv, p.c)
	}
	gen := w.NewGenerator(opts)
	for len(b.History()) < n {
		now += time.Millisecond
		t := rnd.IntN(threads)
		if ws[t].pending != nil {
			complete(t, gen)
			continue
		}
		inv, _ := gen.Next(t, now, rnd)
		invoke(t, inv)
	}
	for t := range ws {
		if ws[t].pending != nil {
			complete(t, gen)
		}
	}
	final := w.NewFinalGenerator(opts)
	for t := range ws {
		for range 10000 {
			inv, ok := final.Next(t, now, rnd)
			if !ok {
				break
			}
			now += inv.Delay
			invoke(t, inv)
			complete(t, final)
		}
	}
	return b.History()
}

// The whole workload against a correct node: the generator's operations,
// the client's records and the checker agree, for many seeds.
func TestSimulatedRunsPass(t *testing.T) {
	for seed := range uint64(10) {
		h := simulate(3000, seed, newMemNode())
		r := Check(h, CheckOptions{StrictCommits: true})
		if r.Validity != workload.Valid {
			t.Fatalf("seed %d: %s %+v", seed, r.Validity, r.Anomalies)
		}
		if r.Metrics["sends_ok"].(int) == 0 || r.Metrics["polls_ok"].(int) == 0 {
			t.Fatalf("seed %d: metrics %v", seed, r.Metrics)
		}
	}
}

// A node that acknowledges a message and then loses it fails: the message
// is never seen, and polls pass over its place.
func TestSimulatedLostMessageFails(t *testing.T) {
	node := newMemNode()
	node.forget = 3
	r := Check(simulate(3000, 1, node), CheckOptions{})
	got := map[string]bool{}
	for _, a := range r.Anomalies {
		got[a.Kind] = true
	}
	if r.Validity != workload.Invalid || !got[KindUnseen] {
		t.Fatalf("validity %s kinds %v, want invalid with unseen", r.Validity, kinds(r))
	}
}

// historyFromBytes turns fuzz input into a kafka history: JSON lines when
// they parse, otherwise four bytes per op choosing type, f, process, key,
// message, offset and how the value is broken, if at all.
func historyFromBytes(data []byte) history.History {
	if h, err := history.ReadJSONLines(bytes.NewReader(data)); err == nil && len(h) > 0 {
		return h
	}
	types := []history.Type{history.Invoke, history.OK, history.Fail, history.Info, history.Invoke, history.OK, "?"}
	fs := []string{"send", "poll", "assign", "crash", "txn"}
	var h history.History
	for i := 0; i+3 < len(data); i += 4 {
		b0, b1, b2, b3 := data[i], data[i+1], data[i+2], data[i+3]
		op := history.Op{Index: len(h), Type: types[int(b0)%len(types)], F: fs[int(b0/8)%len(fs)], Process: int(b1 % 4), Final: b1&0x80 != 0}
		key := fmt.Sprint(b2 % 3)
		msg := int(b2/3) % 5
		off := int64(b3%8) - 1
		switch b3 / 8 % 4 {
		case 0: // a well-formed value
			switch op.F {
			case "send":
				v := SendValue{Key: key, Msg: history.Value(msg)}
				if op.Type == history.OK {
					v.Offset = &off
				}
				op.Value = history.Value(v)
			case "poll":
				op.Value = history.Value(PollValue{Offsets: map[string]int64{key: off}, Msgs: map[string][]Pair{key: ps(int(off), msg, int(off)+int(b1%3), msg+1)}, Commit: map[string]int64{key: off}})
			case "assign":
				op.Value = history.Value(AssignValue{Keys: []string{key}, Committed: map[string]int64{key: off}})
			}
		case 1:
			op.Value = json.RawMessage(`{"key":1,"msg":[1,{"a":2.50}],"offset":1.5,"msgs":{"0":[[1]]},"keys":"x"}`)
		case 2:
			op.Value = json.RawMessage(`{"msgs":{"0":[[-1,null],[9223372036854775807,{"b":1,"a":2}]]},"commit":{"0":-5}}`)
		}
		if b1&0x40 != 0 && b1&0x20 != 0 {
			op.Index += int(b3)
		}
		h = append(h, op)
	}
	return h
}

// Checkers must never panic, whatever the history (BRIEF: malformed values
// become anomalies). The seed corpus runs as an ordinary test.
func FuzzCheck(f *testing.F) {
	var buf bytes.Buffer
	_ = simulate(80, 2, newMemNode()).WriteJSONLines(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte{0, 1, 2, 3, 1, 1, 2, 3, 8, 2, 0, 0, 9, 2, 0, 0, 16, 3, 1, 8, 17, 3, 1, 8})
	f.Add([]byte(`{"index":0,"type":"ok","process":0,"f":"poll","value":{"msgs":{"1":[[0,1],[0,2]]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		h := historyFromBytes(data)
		for _, opts := range []CheckOptions{{}, {StrictCommits: true}} {
			r := Check(h, opts)
			switch r.Validity {
			case workload.Valid, workload.Invalid, workload.Unknown:
			default:
				t.Fatalf("validity %q", r.Validity)
			}
			for _, a := range append(r.Anomalies, r.Notes...) {
				if a.Kind == "" || a.Message == "" {
					t.Fatalf("anomaly without kind or message: %+v", a)
				}
				for _, i := range a.Ops {
					if i < 0 || i >= len(h) {
						t.Fatalf("anomaly names op %d of %d: %+v", i, len(h), a)
					}
				}
			}
			if _, err := json.Marshal(r.Metrics); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// BenchmarkCheck shows the checker is linear in history length, on runs
// against a node returning up to 4 messages per key and poll, and against
// one returning everything from the requested offset (as most learners'
// nodes do, which makes final polls large).
func BenchmarkCheck(b *testing.B) {
	for _, maxPoll := range []int{4, 0} {
		for _, n := range []int{10_000, 100_000} {
			node := newMemNode()
			node.maxPoll = maxPoll
			h := simulate(n, 1, node)
			pairs := 0
			for _, op := range h {
				if op.F == "poll" && op.Type == history.OK {
					var v PollValue
					_ = json.Unmarshal(op.Value, &v)
					for _, ps := range v.Msgs {
						pairs += len(ps)
					}
				}
			}
			b.Run(fmt.Sprintf("maxpoll=%d/ops=%d/pairs=%d", maxPoll, len(h), pairs), func(b *testing.B) {
				for b.Loop() {
					if r := Check(h, CheckOptions{}); r.Validity != workload.Valid {
						b.Fatal(r.Anomalies)
					}
				}
			})
		}
	}
}
