// Package gcounter is Maelstrom's g-counter workload (Gossip Glomers
// challenge 4): clients add non-negative deltas to one counter spread over
// the cluster and read it back; after the main phase every client reads
// once more, and those final reads must add up.
//
// Behaviour follows Maelstrom's workload/g_counter.clj and pn_counter.clj
// (jepsen-io/maelstrom at cb7f072):
//
//   - Generator: each operation is, with equal chance, an add of a delta
//     drawn from -5..4 or a read; negative adds are dropped and drawn again,
//     so about 2/3 of operations are reads and 1/3 adds of 0..4 (0 included).
//   - Final generator: one read per thread, marked Final.
//   - Client: add {delta} -> add_ok, read -> read_ok {value}. Maelstrom's
//     counter client has no error wrapper, so every error reply, timeout or
//     malformed reply is an info completion, reads included. Clients are not
//     reusable.
//   - Checker: Maelstrom's final-read rule, plus two sound rules of ours on
//     every ok read; see Check. Unlike Maelstrom, a run in which no final
//     read succeeded is unknown rather than valid, and each anomaly kind
//     lists at most MaxPerKind cases (anomaly_counts has them all).
//
// Package pncounter is the same workload with decrements: it reuses this
// package's client, generator (PNGenerator) and checker (CheckPN).
//
// History values: an add's invocation and completion carry the delta (a
// JSON integer); a read's invocation carries nothing and its ok completion
// the value read (a JSON integer).
//
// Check is linear in the history's length. Measured on the development
// machine (2 shared cores, Go 1.26), on simulated runs with 1% info
// completions:
//
//	go test -run XXX -bench Check -benchtime 20x ./internal/workload/gcounter/
//	BenchmarkCheck/ops=10000-2     20    1748166 ns/op
//	BenchmarkCheck/ops=100000-2    20   12533436 ns/op
//
// that is about 13 ms for 100,000 operations (a rerun on the busy shared
// machine gave 25 ms).
package gcounter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// Name is Maelstrom's name for the workload.
const Name = "g-counter"

// New returns the g-counter workload. Its client is not reusable:
// Maelstrom reopens a counter client after an info.
func New() workload.Workload {
	return gcounter{workload.Base{WorkloadName: Name, KindsDoc: kindsDoc}}
}

type gcounter struct{ workload.Base }

func (gcounter) NewGenerator(workload.Options) workload.Generator { return generator{} }

func (gcounter) NewFinalGenerator(workload.Options) workload.Generator {
	return workload.FinalReads()
}

func (gcounter) NewClient(workload.Options) workload.Client { return client{} }

func (gcounter) Check(h history.History, _ workload.Options) workload.Result { return Check(h) }

// generator is Maelstrom's pn-counter mix, filtered to non-negative adds
// unless decrements is set.
type generator struct{ decrements bool }

// PNGenerator is Maelstrom's pn-counter generator: reads and adds half and
// half, deltas uniform over -5..4.
func PNGenerator() workload.Generator { return generator{decrements: true} }

func (g generator) Next(_ int, _ time.Duration, rnd *rand.Rand) (workload.Invocation, bool) {
	for {
		if rnd.IntN(2) == 1 {
			return workload.Invocation{F: "read"}, true
		}
		if delta := rnd.IntN(10) - 5; delta >= 0 || g.decrements {
			return workload.Invocation{F: "add", Value: history.Value(delta)}, true
		}
	}
}

func (generator) Update(int, workload.Invocation, workload.Completion) {}

type client struct{}

func (client) Invoke(ctx context.Context, conn workload.Conn, inv workload.Invocation) workload.Completion {
	switch inv.F {
	case "add":
		var delta int64
		if err := json.Unmarshal(inv.Value, &delta); err != nil {
			return workload.Completion{Type: history.Fail, Value: inv.Value, Error: fmt.Sprintf("add value %s is not an integer", inv.Value)}
		}
		err := workload.Call(ctx, conn, map[string]any{"type": "add", "delta": delta}, "add_ok", nil)
		if err != nil {
			return workload.Indeterminate(inv.Value, err)
		}
		return workload.Completion{Type: history.OK, Value: inv.Value}
	case "read":
		var out readOK
		if err := workload.Call(ctx, conn, map[string]any{"type": "read"}, "read_ok", &out); err != nil {
			return workload.Indeterminate(nil, err)
		}
		return workload.OK(out.value)
	}
	return workload.Completion{Type: history.Fail, Value: inv.Value, Error: fmt.Sprintf("a counter has no operation %q", inv.F)}
}

// readOK is read_ok's schema: exactly one field, value, a JSON integer
// (Maelstrom's s/Int: not null, not 1.0).
type readOK struct{ value int64 }

func (r *readOK) UnmarshalJSON(b []byte) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return err
	}
	raw, ok := fields["value"]
	if !ok {
		return errors.New(`no "value"`)
	}
	for k := range fields {
		if k != "value" {
			return fmt.Errorf("unexpected field %q", k)
		}
	}
	if string(raw) == "null" || json.Unmarshal(raw, &r.value) != nil {
		return fmt.Errorf(`"value" %s is not an integer`, raw)
	}
	return nil
}
