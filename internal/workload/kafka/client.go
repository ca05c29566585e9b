package kafka

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// client is Maelstrom's kafka client. Its state is the assignment: for
// each assigned key, the offset it polls from next. A fresh client (after
// a crash op or any info completion) has none, so its polls ask for
// nothing until an assign.
type client struct {
	offsets map[string]int64
}

// crashError is what a crash op completes with: the client did not fail,
// the generator asked for a fresh one.
const crashError = "crash: the generator asked for a fresh client"

func (c *client) Invoke(ctx context.Context, conn workload.Conn, inv workload.Invocation) workload.Completion {
	switch inv.F {
	case "crash":
		return workload.Completion{Type: history.Info, Error: crashError}
	case "assign":
		return c.assign(ctx, conn, inv)
	case "send":
		return c.send(ctx, conn, inv)
	case "poll":
		return c.poll(ctx, conn)
	}
	return workload.Completion{Type: history.Fail, Value: inv.Value, Error: fmt.Sprintf("kafka has no operation %q", inv.F)}
}

// assign replaces the assignment, as Maelstrom's client does: with
// seek-to-beginning every key starts at 0; otherwise the client asks the
// node for the keys' committed offsets, and each key keeps the position
// this client already had, else starts at 0. Maelstrom's client means to
// start a new key at its committed offset, but looks the key up in the
// whole reply body instead of its offsets map (kafka.clj, assign's
// `(committed k)`), never finds it, and starts at 0; starting at the
// listed offset here would make polls, lag and message counts differ from
// Maelstrom's. The listed offsets are still recorded, and the checker
// compares them with the acknowledged commits (committed-offset-
// regression). assign is idempotent: a timeout fails it.
func (c *client) assign(ctx context.Context, conn workload.Conn, inv workload.Invocation) workload.Completion {
	var v AssignValue
	if err := json.Unmarshal(inv.Value, &v); err != nil {
		return workload.Completion{Type: history.Fail, Value: inv.Value, Error: fmt.Sprintf("assign value %s: %v", inv.Value, err)}
	}
	next := make(map[string]int64, len(v.Keys))
	if v.SeekToBeginning {
		for _, k := range v.Keys {
			next[k] = 0
		}
	} else {
		keys := v.Keys
		if keys == nil {
			keys = []string{}
		}
		var out listOK
		err := workload.Call(ctx, conn, map[string]any{"type": "list_committed_offsets", "keys": keys}, "list_committed_offsets_ok", &out)
		if err != nil {
			f := workload.Failed(err, true)
			f.Value = inv.Value
			return f
		}
		for _, k := range v.Keys {
			next[k] = c.offsets[k] // 0 for a key this client did not hold
		}
		v.Committed = out.offsets
	}
	c.offsets = next
	v.Offsets = maps.Clone(next)
	return workload.OK(v)
}

func (c *client) send(ctx context.Context, conn workload.Conn, inv workload.Invocation) workload.Completion {
	var v SendValue
	if err := json.Unmarshal(inv.Value, &v); err != nil {
		return workload.Completion{Type: history.Fail, Value: inv.Value, Error: fmt.Sprintf("send value %s: %v", inv.Value, err)}
	}
	var out sendOK
	if err := workload.Call(ctx, conn, map[string]any{"type": "send", "key": v.Key, "msg": v.Msg}, "send_ok", &out); err != nil {
		f := workload.Failed(err, false)
		f.Value = inv.Value
		return f
	}
	v.Offset = &out.offset
	return workload.OK(v)
}

// poll asks for messages from the assigned offsets, advances each key past
// the highest offset returned, and commits those offsets. As in Maelstrom,
// a failed commit makes the whole op fail (definite error) or info; unlike
// Maelstrom, the completion still records what the poll returned, for the
// report, though the checker ignores it as Maelstrom's does.
func (c *client) poll(ctx context.Context, conn workload.Conn) workload.Completion {
	req := maps.Clone(c.offsets)
	if req == nil {
		req = map[string]int64{}
	}
	v := PollValue{Offsets: req}
	var out pollOK
	if err := workload.Call(ctx, conn, map[string]any{"type": "poll", "offsets": req}, "poll_ok", &out); err != nil {
		f := workload.Failed(err, false)
		f.Value = history.Value(v)
		return f
	}
	v.Msgs = out.msgs
	if c.offsets == nil {
		c.offsets = map[string]int64{}
	}
	commit := map[string]int64{}
	for k, pairs := range out.msgs {
		top := int64(-1)
		for _, p := range pairs {
			top = max(top, p.Offset)
		}
		if old, ok := c.offsets[k]; !ok || top+1 > old {
			c.offsets[k] = top + 1
		}
		if len(pairs) > 0 {
			commit[k] = top
		}
	}
	if len(commit) > 0 {
		if err := workload.Call(ctx, conn, map[string]any{"type": "commit_offsets", "offsets": commit}, "commit_offsets_ok", nil); err != nil {
			f := workload.Failed(err, false)
			f.Value = history.Value(v)
			f.Error = "commit_offsets: " + f.Error
			return f
		}
		v.Commit = commit
	}
	return workload.OK(v)
}

// Reply schemas. Maelstrom's are closed maps with required fields; offsets
// must be JSON integers (not null, not 1.0).

type sendOK struct{ offset int64 }

func (r *sendOK) UnmarshalJSON(b []byte) error {
	raw, err := onlyField(b, "offset")
	if err != nil {
		return err
	}
	r.offset, err = integer(raw, `"offset"`)
	return err
}

type listOK struct{ offsets map[string]int64 }

func (r *listOK) UnmarshalJSON(b []byte) error {
	raw, err := onlyField(b, "offsets")
	if err != nil {
		return err
	}
	var fields map[string]json.RawMessage
	if string(raw) == "null" || json.Unmarshal(raw, &fields) != nil {
		return fmt.Errorf(`"offsets" %s is not an object`, short(raw))
	}
	r.offsets = make(map[string]int64, len(fields))
	for k, v := range fields {
		if r.offsets[k], err = integer(v, fmt.Sprintf("offset of key %q", k)); err != nil {
			return err
		}
	}
	return nil
}

type pollOK struct{ msgs map[string][]Pair }

func (r *pollOK) UnmarshalJSON(b []byte) error {
	raw, err := onlyField(b, "msgs")
	if err != nil {
		return err
	}
	if string(raw) == "null" {
		return errors.New(`"msgs" is null, not an object`)
	}
	if err := json.Unmarshal(raw, &r.msgs); err != nil {
		return fmt.Errorf(`"msgs": %v`, err)
	}
	return nil
}

// onlyField returns the one field a reply may carry besides the reserved
// ones (which workload.Call has removed).
func onlyField(b []byte, name string) (json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return nil, err
	}
	raw, ok := fields[name]
	if !ok {
		return nil, fmt.Errorf("no %q", name)
	}
	for k := range fields {
		if k != name {
			return nil, fmt.Errorf("unexpected field %q", k)
		}
	}
	return raw, nil
}

func integer(raw json.RawMessage, what string) (int64, error) {
	var n int64
	if string(raw) == "null" || json.Unmarshal(raw, &n) != nil {
		return 0, fmt.Errorf("%s %s is not an integer", what, short(raw))
	}
	return n, nil
}
