package kafka

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// scripted is a node that answers each request type from a queue of
// canned replies, recording every request.
type scripted struct {
	replies map[string][]reply
	sent    []string
}

type reply struct {
	body string
	err  error
}

func (s *scripted) RPC(_ context.Context, body any) (json.RawMessage, error) {
	b, _ := json.Marshal(body)
	s.sent = append(s.sent, string(b))
	var req struct{ Type string }
	_ = json.Unmarshal(b, &req)
	q := s.replies[req.Type]
	if len(q) == 0 {
		return nil, workload.ErrTimeout
	}
	s.replies[req.Type] = q[1:]
	return json.RawMessage(q[0].body), q[0].err
}

func (s *scripted) Node() string { return "n0" }

func sendInv(key string, msg int) workload.Invocation {
	return workload.Invocation{F: "send", Value: history.Value(SendValue{Key: key, Msg: history.Value(msg)})}
}

var pollInv = workload.Invocation{F: "poll"}

func assignInv(seek bool, keys ...string) workload.Invocation {
	return workload.Invocation{F: "assign", Value: history.Value(AssignValue{Keys: keys, SeekToBeginning: seek})}
}

func TestClientSend(t *testing.T) {
	cases := []struct {
		name      string
		reply     reply
		wantType  history.Type
		wantValue string
		wantError string
	}{
		{"ok", reply{body: `{"type":"send_ok","offset":12,"in_reply_to":1}`}, history.OK, `{"key":"k","msg":5,"offset":12}`, ""},
		// Reference §1.7: definite errors fail, indefinite ones are info.
		{"definite error", reply{body: `{"type":"error","code":11,"text":"no leader","in_reply_to":1}`}, history.Fail, `{"key":"k","msg":5}`, "temporarily-unavailable: no leader"},
		{"indefinite error", reply{body: `{"type":"error","code":13,"in_reply_to":1}`}, history.Info, `{"key":"k","msg":5}`, "crash"},
		{"custom error code", reply{body: `{"type":"error","code":1001,"in_reply_to":1}`}, history.Info, `{"key":"k","msg":5}`, "unknown-1001"},
		{"timeout", reply{err: workload.ErrTimeout}, history.Info, `{"key":"k","msg":5}`, "timeout"},
		// Maelstrom's schemas: offset is a required integer, and nothing else.
		{"no offset", reply{body: `{"type":"send_ok","in_reply_to":1}`}, history.Info, `{"key":"k","msg":5}`, `no "offset"`},
		{"fractional offset", reply{body: `{"type":"send_ok","offset":1.0,"in_reply_to":1}`}, history.Info, `{"key":"k","msg":5}`, "not an integer"},
		{"null offset", reply{body: `{"type":"send_ok","offset":null,"in_reply_to":1}`}, history.Info, `{"key":"k","msg":5}`, "not an integer"},
		{"extra field", reply{body: `{"type":"send_ok","offset":1,"key":"k","in_reply_to":1}`}, history.Info, `{"key":"k","msg":5}`, "unexpected field"},
		{"wrong type", reply{body: `{"type":"poll_ok","msgs":{},"in_reply_to":1}`}, history.Info, `{"key":"k","msg":5}`, `expected "send_ok"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			node := &scripted{replies: map[string][]reply{"send": {tc.reply}}}
			c := New().NewClient(workload.Options{}).Invoke(context.Background(), node, sendInv("k", 5))
			if c.Type != tc.wantType || string(c.Value) != tc.wantValue || !strings.Contains(c.Error, tc.wantError) {
				t.Fatalf("completion %s %s %q, want %s %s containing %q", c.Type, c.Value, c.Error, tc.wantType, tc.wantValue, tc.wantError)
			}
			if want := `{"key":"k","msg":5,"type":"send"}`; !slices.Equal(node.sent, []string{want}) {
				t.Fatalf("sent %v, want [%s]", node.sent, want)
			}
		})
	}
}

// Maelstrom kafka client: poll from the local offsets, advance past the
// highest offset returned, commit those highest offsets.
func TestClientPollAdvancesAndCommits(t *testing.T) {
	node := &scripted{replies: map[string][]reply{
		"list_committed_offsets": {{body: `{"type":"list_committed_offsets_ok","offsets":{"a":4},"in_reply_to":1}`}},
		"poll": {
			{body: `{"type":"poll_ok","msgs":{"a":[[4,1],[6,2]],"b":[]},"in_reply_to":1}`},
			{body: `{"type":"poll_ok","msgs":{},"in_reply_to":1}`},
		},
		"commit_offsets": {{body: `{"type":"commit_offsets_ok","in_reply_to":1}`}},
	}}
	cl := New().NewClient(workload.Options{})
	ctx := context.Background()
	// The committed offset is recorded, but a new key starts at 0, as in
	// Maelstrom's client (see assign).
	c := cl.Invoke(ctx, node, assignInv(false, "a", "b"))
	if c.Type != history.OK || string(c.Value) != `{"keys":["a","b"],"committed":{"a":4},"offsets":{"a":0,"b":0}}` {
		t.Fatalf("assign: %s %s %s", c.Type, c.Value, c.Error)
	}
	c = cl.Invoke(ctx, node, pollInv)
	if c.Type != history.OK || string(c.Value) != `{"offsets":{"a":0,"b":0},"msgs":{"a":[[4,1],[6,2]],"b":[]},"commit":{"a":6}}` {
		t.Fatalf("first poll: %s %s %s", c.Type, c.Value, c.Error)
	}
	// Nothing returned: nothing to commit, so no commit_offsets request.
	c = cl.Invoke(ctx, node, pollInv)
	if c.Type != history.OK || string(c.Value) != `{"offsets":{"a":7,"b":0}}` {
		t.Fatalf("second poll: %s %s %s", c.Type, c.Value, c.Error)
	}
	want := []string{
		`{"keys":["a","b"],"type":"list_committed_offsets"}`,
		`{"offsets":{"a":0,"b":0},"type":"poll"}`,
		`{"offsets":{"a":6},"type":"commit_offsets"}`,
		`{"offsets":{"a":7,"b":0},"type":"poll"}`,
	}
	if !slices.Equal(node.sent, want) {
		t.Fatalf("requests:\n%s\nwant:\n%s", strings.Join(node.sent, "\n"), strings.Join(want, "\n"))
	}
}

func TestClientPollOutcomes(t *testing.T) {
	msgs := `{"type":"poll_ok","msgs":{"a":[[0,1]]},"in_reply_to":1}`
	cases := []struct {
		name      string
		poll      reply
		commit    *reply
		wantType  history.Type
		wantValue string
		wantError string
	}{
		// A fresh client has no assignment: it asks for nothing.
		{"nothing assigned", reply{body: `{"type":"poll_ok","msgs":{},"in_reply_to":1}`}, nil, history.OK, `{"offsets":{}}`, ""},
		// kafka's idempotent set is {assign}: a poll that timed out is info.
		{"poll timeout", reply{err: workload.ErrTimeout}, nil, history.Info, `{"offsets":{}}`, "timeout"},
		{"poll definite error", reply{body: `{"type":"error","code":10,"in_reply_to":1}`}, nil, history.Fail, `{"offsets":{}}`, "not-supported"},
		{"commit definite error", reply{body: msgs}, &reply{body: `{"type":"error","code":11,"in_reply_to":1}`}, history.Fail, `{"offsets":{},"msgs":{"a":[[0,1]]}}`, "commit_offsets: temporarily-unavailable"},
		{"commit timeout", reply{body: msgs}, &reply{err: workload.ErrTimeout}, history.Info, `{"offsets":{},"msgs":{"a":[[0,1]]}}`, "commit_offsets: timeout"},
		{"commit malformed", reply{body: msgs}, &reply{body: `{"type":"commit_offsets_ok","ok":true,"in_reply_to":1}`}, history.Info, `{"offsets":{},"msgs":{"a":[[0,1]]}}`, "unexpected field"},
		// Maelstrom's poll_ok schema: msgs maps keys to [int offset, msg].
		{"no msgs", reply{body: `{"type":"poll_ok","in_reply_to":1}`}, nil, history.Info, `{"offsets":{}}`, `no "msgs"`},
		{"null msgs", reply{body: `{"type":"poll_ok","msgs":null,"in_reply_to":1}`}, nil, history.Info, `{"offsets":{}}`, "null"},
		{"fractional offset", reply{body: `{"type":"poll_ok","msgs":{"a":[[1.5,2]]},"in_reply_to":1}`}, nil, history.Info, `{"offsets":{}}`, "integer offset"},
		{"pair of three", reply{body: `{"type":"poll_ok","msgs":{"a":[[1,2,3]]},"in_reply_to":1}`}, nil, history.Info, `{"offsets":{}}`, "two elements"},
		{"pair of one", reply{body: `{"type":"poll_ok","msgs":{"a":[[1]]},"in_reply_to":1}`}, nil, history.Info, `{"offsets":{}}`, "two elements"},
		{"not a pair", reply{body: `{"type":"poll_ok","msgs":{"a":[5]},"in_reply_to":1}`}, nil, history.Info, `{"offsets":{}}`, "not an array"},
		{"msgs not an object", reply{body: `{"type":"poll_ok","msgs":[],"in_reply_to":1}`}, nil, history.Info, `{"offsets":{}}`, "msgs"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			node := &scripted{replies: map[string][]reply{"poll": {tc.poll}}}
			if tc.commit != nil {
				node.replies["commit_offsets"] = []reply{*tc.commit}
			}
			c := New().NewClient(workload.Options{}).Invoke(context.Background(), node, pollInv)
			if c.Type != tc.wantType || string(c.Value) != tc.wantValue || !strings.Contains(c.Error, tc.wantError) {
				t.Fatalf("completion %s %s %q, want %s %s containing %q", c.Type, c.Value, c.Error, tc.wantType, tc.wantValue, tc.wantError)
			}
		})
	}
}

func TestClientAssign(t *testing.T) {
	ctx := context.Background()
	t.Run("keeps its own positions and starts new keys at 0", func(t *testing.T) {
		node := &scripted{replies: map[string][]reply{
			"poll":                   {{body: `{"type":"poll_ok","msgs":{"a":[[3,1]]},"in_reply_to":1}`}},
			"commit_offsets":         {{body: `{"type":"commit_offsets_ok","in_reply_to":1}`}},
			"list_committed_offsets": {{body: `{"type":"list_committed_offsets_ok","offsets":{"a":1,"b":7},"in_reply_to":1}`}},
		}}
		cl := New().NewClient(workload.Options{})
		cl.Invoke(ctx, node, assignInv(true, "a")) // no request: seek needs none
		cl.Invoke(ctx, node, pollInv)
		c := cl.Invoke(ctx, node, assignInv(false, "a", "b", "c"))
		if c.Type != history.OK || string(c.Value) != `{"keys":["a","b","c"],"committed":{"a":1,"b":7},"offsets":{"a":4,"b":0,"c":0}}` {
			t.Fatalf("assign: %s %s", c.Type, c.Value)
		}
		if node.sent[0] != `{"offsets":{"a":0},"type":"poll"}` {
			t.Fatalf("seek to the beginning sent %s first", node.sent[0])
		}
	})
	// kafka's idempotent set is {assign}: a timed-out assign fails.
	for _, tc := range []struct {
		name  string
		reply reply
		want  string
		typ   history.Type
	}{
		{"timeout", reply{err: workload.ErrTimeout}, "timeout", history.Fail},
		{"indefinite error", reply{body: `{"type":"error","code":13,"in_reply_to":1}`}, "crash", history.Fail},
		// A malformed reply is info, assign included: Maelstrom's
		// with-errors does not catch it, and Jepsen records info.
		{"offsets not integers", reply{body: `{"type":"list_committed_offsets_ok","offsets":{"a":null},"in_reply_to":1}`}, "not an integer", history.Info},
		{"no offsets", reply{body: `{"type":"list_committed_offsets_ok","in_reply_to":1}`}, `no "offsets"`, history.Info},
	} {
		t.Run(tc.name, func(t *testing.T) {
			node := &scripted{replies: map[string][]reply{"list_committed_offsets": {tc.reply}}}
			inv := assignInv(false, "a")
			c := New().NewClient(workload.Options{}).Invoke(ctx, node, inv)
			if c.Type != tc.typ || string(c.Value) != string(inv.Value) || !strings.Contains(c.Error, tc.want) {
				t.Fatalf("completion %s %s %q, want %s containing %q", c.Type, c.Value, c.Error, tc.typ, tc.want)
			}
		})
	}
}

// Jepsen kafka: a crash op completes info at once, with no request, so the
// harness replaces the client.
func TestClientCrash(t *testing.T) {
	node := &scripted{replies: map[string][]reply{}}
	c := New().NewClient(workload.Options{}).Invoke(context.Background(), node, workload.Invocation{F: "crash"})
	if c.Type != history.Info || len(node.sent) != 0 {
		t.Fatalf("crash: %s, sent %v", c.Type, node.sent)
	}
}
