// Package history owns the record of a run as checkers see it: client
// operations, each an invocation followed by exactly one completion, in the
// order the harness observed them.
//
// It performs no I/O beyond encoding to and decoding from a caller's
// io.Writer and io.Reader, and knows nothing about workloads: an operation's
// value is raw JSON that each workload decodes into its own types.
package history

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Type is the kind of an operation record, as in Jepsen.
type Type string

// Operation types. An invocation completes as ok (it happened), fail (it
// certainly did not happen) or info (unknown: it may have happened, now or
// later).
const (
	Invoke Type = "invoke"
	OK     Type = "ok"
	Fail   Type = "fail"
	Info   Type = "info"
)

// Op is one record in a history.
type Op struct {
	// Index is the position in the history, from 0.
	Index int `json:"index"`
	// Time is the time since the start of the run, in nanoseconds.
	Time time.Duration `json:"time"`
	Type Type          `json:"type"`
	// Process is the logical client process. Like Jepsen, the harness gives a
	// worker a fresh process number after an info completion, so a process
	// never has two operations in flight.
	Process int `json:"process"`
	// F is the operation's function: "echo", "broadcast", "read", "txn", ...
	F string `json:"f"`
	// Value is the operation's argument on invoke and its result on
	// completion, in the workload's own JSON shape.
	Value json.RawMessage `json:"value,omitempty"`
	// Error says why a fail or info completion did not succeed:
	// "timeout", "txn-conflict: text", ...
	Error string `json:"error,omitempty"`
	// Final marks the operations of a workload's final phase.
	Final bool `json:"final,omitempty"`
	// Node is the server the operation was sent to; Client the client id
	// (c4) that carried it.
	Node   string `json:"node,omitempty"`
	Client string `json:"client,omitempty"`
}

// IsInvoke reports whether op is an invocation.
func (op Op) IsInvoke() bool { return op.Type == Invoke }

// History is a sequence of operations in index order.
type History []Op

// Pair links every invocation to its completion. pairs[i] is the index of
// the other half of op i, or -1 when op i is an invocation that never
// completed (a run that was interrupted). A completion with no open
// invocation for its process is an error naming the op.
func (h History) Pair() ([]int, error) {
	pairs := make([]int, len(h))
	open := make(map[int]int)
	for i, op := range h {
		if op.Index != i {
			return nil, fmt.Errorf("op at position %d has index %d", i, op.Index)
		}
		pairs[i] = -1
		switch op.Type {
		case Invoke:
			if j, ok := open[op.Process]; ok {
				return nil, fmt.Errorf("op %d: process %d invoked again while op %d is open", i, op.Process, j)
			}
			open[op.Process] = i
		case OK, Fail, Info:
			j, ok := open[op.Process]
			if !ok {
				return nil, fmt.Errorf("op %d: %s completion for process %d with no open invocation", i, op.Type, op.Process)
			}
			delete(open, op.Process)
			pairs[i], pairs[j] = j, i
		default:
			return nil, fmt.Errorf("op %d: unknown type %q", i, op.Type)
		}
	}
	return pairs, nil
}

// Problem is a flaw PairTolerant found in a history: the ops involved
// and what is wrong, in words a malformed-history anomaly can carry.
type Problem struct {
	Ops     []int
	Message string
}

// PairTolerant links invocations and completions like Pair, but never
// gives up: each flaw becomes a Problem and the ops involved stay
// unpaired (-1), so that a checker can still judge the rest. A completion
// also stays unpaired when its function differs from its invocation's.
func (h History) PairTolerant() ([]int, []Problem) {
	pairs := make([]int, len(h))
	open := map[int]int{}
	var problems []Problem
	problem := func(ops []int, format string, args ...any) {
		problems = append(problems, Problem{Ops: ops, Message: fmt.Sprintf(format, args...)})
	}
	misnumbered := false
	for i, op := range h {
		pairs[i] = -1
		if op.Index != i && !misnumbered {
			problem([]int{i}, "op at position %d has index %d (later ops not checked for this)", i, op.Index)
			misnumbered = true
		}
		switch op.Type {
		case Invoke:
			if j, ok := open[op.Process]; ok {
				problem([]int{j, i}, "process %d invoked op %d while op %d was still open", op.Process, i, j)
			}
			open[op.Process] = i
		case OK, Fail, Info:
			j, ok := open[op.Process]
			if !ok {
				problem([]int{i}, "op %d completes (%s) nothing: process %d had no open invocation", i, op.Type, op.Process)
				continue
			}
			delete(open, op.Process)
			if h[j].F != op.F {
				problem([]int{j, i}, "op %d completes %s op %d as %s", i, h[j].F, j, op.F)
				continue
			}
			pairs[i], pairs[j] = j, i
		default:
			problem([]int{i}, "op %d has unknown type %q", i, op.Type)
		}
	}
	return pairs, problems
}

// Count returns how many operations of each type h holds.
func (h History) Count() (invoke, ok, fail, info int) {
	for _, op := range h {
		switch op.Type {
		case Invoke:
			invoke++
		case OK:
			ok++
		case Fail:
			fail++
		case Info:
			info++
		}
	}
	return
}

// WriteJSONLines writes h as one JSON object per line.
func (h History) WriteJSONLines(w io.Writer) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for _, op := range h {
		if err := enc.Encode(op); err != nil {
			return fmt.Errorf("op %d: %w", op.Index, err)
		}
	}
	return bw.Flush()
}

// ReadJSONLines reads a history written by WriteJSONLines. A bad line is an
// error naming its line number.
func ReadJSONLines(r io.Reader) (History, error) {
	var h History
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		if len(sc.Bytes()) == 0 {
			continue
		}
		var op Op
		if err := json.Unmarshal(sc.Bytes(), &op); err != nil {
			return h, fmt.Errorf("history line %d: %v", line, err)
		}
		h = append(h, op)
	}
	if err := sc.Err(); err != nil {
		return h, fmt.Errorf("history line %d: %w", line+1, err)
	}
	return h, nil
}

// Builder appends operations with consecutive indexes. Checker tests use it
// to write small histories by hand; the harness uses it to record runs.
type Builder struct {
	h History
}

// Add appends op, setting its index, and returns that index.
func (b *Builder) Add(op Op) int {
	op.Index = len(b.h)
	b.h = append(b.h, op)
	return op.Index
}

// History returns the operations added so far. The slice is shared: do not
// Add after handing it to a checker.
func (b *Builder) History() History { return b.h }

// Value marshals v for use as an Op value; it panics on values that cannot
// be marshalled, which only tests and the harness construct.
func Value(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("history: marshal value: %v", err))
	}
	return b
}
