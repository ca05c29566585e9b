// Package workloadtest helps test workloads: a scripted Conn that stands in
// for a node, a builder that turns fuzzer bytes into a history with the
// shapes checkers must survive (paired and unpaired operations, open
// invocations, odd values, times out of order), and the draws every
// generator test starts from. It is imported only by tests (deptest keeps
// it so) and performs no I/O.
package workloadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// Reply is one scripted answer of a Conn: a reply body, or an error such as
// workload.ErrTimeout.
type Reply struct {
	Body string
	Err  error
}

// Conn is a workload.Conn that answers from a script and records what it
// was sent. Past the end of the script every RPC times out.
type Conn struct {
	// NodeID is what Node returns; "n0" when empty.
	NodeID  string
	Replies []Reply
	// Sent holds the bodies the client sent, as JSON.
	Sent []json.RawMessage
}

// RPC records body and returns the next scripted reply.
func (c *Conn) RPC(_ context.Context, body any) (json.RawMessage, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("workloadtest: client sent an unmarshalable body: %v", err)
	}
	c.Sent = append(c.Sent, b)
	if len(c.Replies) == 0 {
		return nil, workload.ErrTimeout
	}
	r := c.Replies[0]
	c.Replies = c.Replies[1:]
	if r.Err != nil {
		return nil, r.Err
	}
	return json.RawMessage(r.Body), nil
}

// Node returns NodeID, or "n0".
func (c *Conn) Node() string {
	if c.NodeID == "" {
		return "n0"
	}
	return c.NodeID
}

// Bytes hands out fuzzer input a little at a time; once it runs dry every
// read returns zeros, so builders always terminate.
type Bytes struct {
	data []byte
}

// Byte returns the next byte, or 0 when none is left.
func (b *Bytes) Byte() byte {
	if len(b.data) == 0 {
		return 0
	}
	c := b.data[0]
	b.data = b.data[1:]
	return c
}

// Next returns up to n more bytes.
func (b *Bytes) Next(n int) []byte {
	n = min(n, len(b.data))
	out := b.data[:n]
	b.data = b.data[n:]
	return out
}

// Empty reports whether the input is used up.
func (b *Bytes) Empty() bool { return len(b.data) == 0 }

// ValueFunc chooses the value of an operation with function f and type t,
// reading whatever it needs from in.
type ValueFunc func(in *Bytes, f string, t history.Type) json.RawMessage

// MaxFuzzOps bounds the histories FuzzHistory builds.
const MaxFuzzOps = 4096

// FuzzHistory builds a history from fuzzer bytes. Each step reads one byte:
// its high bits pick one of eight processes, its low bits what happens. A
// process with no open invocation invokes one of fs; an open one completes
// as ok, fail or info (ok most often). Now and then a step writes a broken
// record (a completion nobody invoked, a wrong index, an unknown type), so
// checkers also meet histories that cannot be paired. Times mostly grow but
// may fall, even below zero; nodes are n0..n2.
func FuzzHistory(data []byte, fs []string, value ValueFunc) history.History {
	in := &Bytes{data: data}
	var b history.Builder
	open := map[int]history.Op{}
	var now time.Duration
	for !in.Empty() && len(b.History()) < MaxFuzzOps {
		step := in.Byte()
		p := int(step >> 5)
		// Signed, so that times can run backwards and below zero: a
		// history file can say anything.
		now += time.Duration(int8(in.Byte())) * time.Millisecond
		op := history.Op{Time: now, Process: p, Node: fmt.Sprintf("n%d", p%3)}
		switch step & 31 {
		case 31: // a completion nobody invoked
			op.Type, op.F = history.OK, fs[0]
			b.Add(op)
			continue
		case 30: // an unknown record type
			op.Type, op.F = "bogus", fs[0]
			b.Add(op)
			continue
		case 29: // a record whose index is wrong
			op.Type, op.F = history.Invoke, fs[0]
			i := b.Add(op)
			b.History()[i].Index = i + 1
			continue
		}
		inv, isOpen := open[p]
		if !isOpen {
			op.Type = history.Invoke
			op.F = fs[int(step&31)%len(fs)]
			op.Value = value(in, op.F, op.Type)
			op.Final = step&16 != 0
			b.Add(op)
			open[p] = op
			continue
		}
		delete(open, p)
		switch step & 7 {
		case 6:
			op.Type, op.Error = history.Fail, "fuzz"
		case 7:
			op.Type, op.Error = history.Info, "timeout"
		default:
			op.Type = history.OK
		}
		op.F, op.Final = inv.F, inv.Final
		op.Value = value(in, op.F, op.Type)
		b.Add(op)
	}
	return b.History()
}

// Values are JSON snippets a ValueFunc may pick from: every JSON type, the
// number spellings that must not compare equal, and text that is not JSON.
var Values = []string{
	``, `null`, `true`, `0`, `1`, `1.0`, `-0`, `"1"`, `1e2`, `[]`, `{}`,
	`[1,2]`, `{"a":1}`, `"Please echo 5"`, `not json`, `[1,`, `99999999999999999999`,
}

// Pick returns one of Values chosen by the next input byte.
func Pick(in *Bytes) json.RawMessage {
	v := Values[int(in.Byte())%len(Values)]
	if v == "" {
		return nil
	}
	return json.RawMessage(v)
}
