package gcounter

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// simulate records a run of about n operations against a correct counter:
// threads invoke from the real generator, operations complete in random
// order, 1% of them as info (an info add takes effect half the time), and
// every thread ends with a final read.
func simulate(n int, seed uint64) history.History {
	rnd := rand.New(rand.NewPCG(seed, 0))
	const threads = 6
	gen := New().NewGenerator(workload.Options{})
	var b history.Builder
	counter := int64(0)
	type flight struct {
		inv     workload.Invocation
		process int
	}
	inFlight := map[int]*flight{}
	process := make([]int, threads)
	for t := range process {
		process[t] = t
	}
	complete := func(t int) {
		f := inFlight[t]
		delete(inFlight, t)
		typ := history.OK
		if rnd.IntN(100) == 0 {
			typ = history.Info
		}
		var v json.RawMessage
		switch f.inv.F {
		case "add":
			var d int64
			_ = json.Unmarshal(f.inv.Value, &d)
			if typ == history.OK || rnd.IntN(2) == 0 {
				counter += d
			}
			v = f.inv.Value
		case "read":
			if typ == history.OK {
				v = history.Value(counter - rnd.Int64N(2)*min(counter, 3)) // sometimes stale
				if f.inv.Final {
					v = history.Value(counter)
				}
			}
		}
		b.Add(history.Op{Type: typ, Process: f.process, F: f.inv.F, Value: v, Final: f.inv.Final})
		if typ == history.Info {
			process[t] += threads
		}
	}
	for len(b.History()) < n {
		t := rnd.IntN(threads)
		if inFlight[t] != nil {
			complete(t)
			continue
		}
		inv, _ := gen.Next(t, 0, rnd)
		inFlight[t] = &flight{inv, process[t]}
		b.Add(history.Op{Type: history.Invoke, Process: process[t], F: inv.F, Value: inv.Value})
	}
	for t := range threads {
		if inFlight[t] != nil {
			complete(t)
		}
	}
	final := New().NewFinalGenerator(workload.Options{})
	for t := range threads {
		inv, _ := final.Next(t, 0, rnd)
		inFlight[t] = &flight{inv, process[t]}
		b.Add(history.Op{Type: history.Invoke, Process: process[t], F: inv.F, Final: true})
		complete(t)
	}
	return b.History()
}

// A simulated run against a correct counter passes, whatever the seed.
func TestCheckSimulatedRuns(t *testing.T) {
	for seed := range uint64(20) {
		h := simulate(2000, seed)
		r := Check(h)
		if r.Validity != workload.Valid {
			t.Fatalf("seed %d: %s %+v", seed, r.Validity, r.Anomalies)
		}
	}
}

// historyFromBytes turns fuzz input into a history: JSON lines when they
// parse, otherwise three bytes per op choosing type, process, f, value and
// flags, malformed on purpose as often as not.
func historyFromBytes(data []byte) history.History {
	if h, err := history.ReadJSONLines(bytes.NewReader(data)); err == nil && len(h) > 0 {
		return h
	}
	types := []history.Type{history.Invoke, history.OK, history.Fail, history.Info, "bogus"}
	fs := []string{"add", "read", "txn"}
	values := []json.RawMessage{nil, json.RawMessage("null"), json.RawMessage("1.5"), json.RawMessage(`"x"`), json.RawMessage("[1]"), json.RawMessage("1099511627776"), json.RawMessage("-9223372036854775808")}
	var h history.History
	for i := 0; i+2 < len(data); i += 3 {
		b0, b1, b2 := data[i], data[i+1], data[i+2]
		op := history.Op{
			Index:   len(h),
			Type:    types[int(b0)%len(types)],
			Process: int(b1 % 4),
			F:       fs[int(b0/8)%len(fs)],
			Final:   b1&0x80 != 0,
		}
		if b1&0x40 != 0 && b1&0x20 != 0 {
			op.Index += int(b2)
		}
		if k := int(b2) % 16; k < len(values) {
			op.Value = values[k]
		} else {
			op.Value = history.Value(int(b2) - 120)
		}
		h = append(h, op)
	}
	return h
}

// Checkers must never panic, whatever the history (BRIEF: malformed values
// become anomalies). The seed corpus runs as an ordinary test.
func FuzzCheck(f *testing.F) {
	var buf bytes.Buffer
	_ = simulate(60, 1).WriteJSONLines(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte{0, 1, 2, 1, 1, 3, 8, 0, 0, 9, 128, 200})
	f.Add([]byte(`{"index":0,"type":"ok","process":0,"f":"read","value":5,"final":true}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		h := historyFromBytes(data)
		r := Check(h)
		switch r.Validity {
		case workload.Valid, workload.Invalid, workload.Unknown:
		default:
			t.Fatalf("validity %q", r.Validity)
		}
		for _, a := range r.Anomalies {
			if a.Kind == "" || a.Message == "" {
				t.Fatalf("anomaly without kind or message: %+v", a)
			}
			for _, i := range a.Ops {
				if i < 0 || i >= len(h) {
					t.Fatalf("anomaly names op %d of %d: %+v", i, len(h), a)
				}
			}
		}
	})
}

// BenchmarkCheck shows the checker is linear in history length.
func BenchmarkCheck(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		h := simulate(n, 1)
		b.Run(fmt.Sprintf("ops=%d", n), func(b *testing.B) {
			for b.Loop() {
				if r := Check(h); r.Validity != workload.Valid {
					b.Fatal(r.Anomalies)
				}
			}
		})
	}
}
