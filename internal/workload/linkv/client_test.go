package linkv

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/workloadtest"
)

func invoke(t *testing.T, f, value string, reply workloadtest.Reply) (workload.Completion, string) {
	t.Helper()
	conn := &workloadtest.Conn{Replies: []workloadtest.Reply{reply}}
	c := client{}.Invoke(context.Background(), conn, workload.Invocation{F: f, Value: json.RawMessage(value)})
	sent := ""
	if len(conn.Sent) > 0 {
		sent = string(conn.Sent[0])
	}
	return c, sent
}

// Maelstrom's lin-kv RPCs and how each outcome is recorded.
func TestClient(t *testing.T) {
	for _, tc := range []struct {
		name, f, value string
		reply          workloadtest.Reply
		sent           string
		typ            history.Type
		got            string // the completion's value
		err            string
	}{
		{"read", "read", `[3,null]`, workloadtest.Reply{Body: `{"type":"read_ok","in_reply_to":1,"value":4}`},
			`{"type":"read","key":3}`, history.OK, `[3,4]`, ""},
		{"read of null", "read", `[3,null]`, workloadtest.Reply{Body: `{"type":"read_ok","value":null}`},
			`{"type":"read","key":3}`, history.OK, `[3,null]`, ""},
		{"read without a value", "read", `[3,null]`, workloadtest.Reply{Body: `{"type":"read_ok"}`},
			`{"type":"read","key":3}`, history.Info, `[3,null]`, `malformed reply "{\"type\":\"read_ok\"}": no value field`},
		{"read timeout fails", "read", `[3,null]`, workloadtest.Reply{Err: workload.ErrTimeout},
			`{"type":"read","key":3}`, history.Fail, `[3,null]`, "timeout"},
		{"read of a missing key", "read", `[3,null]`, workloadtest.Reply{Body: `{"type":"error","code":20,"text":"no such key"}`},
			`{"type":"read","key":3}`, history.Fail, `[3,null]`, "key-does-not-exist: no such key"},
		{"write", "write", `[3,2]`, workloadtest.Reply{Body: `{"type":"write_ok","in_reply_to":1}`},
			`{"type":"write","key":3,"value":2}`, history.OK, `[3,2]`, ""},
		{"write timeout is info", "write", `[3,2]`, workloadtest.Reply{Err: workload.ErrTimeout},
			`{"type":"write","key":3,"value":2}`, history.Info, `[3,2]`, "timeout"},
		{"write unavailable fails", "write", `[3,2]`, workloadtest.Reply{Body: `{"type":"error","code":11}`},
			`{"type":"write","key":3,"value":2}`, history.Fail, `[3,2]`, "temporarily-unavailable"},
		{"cas", "cas", `[3,[1,4]]`, workloadtest.Reply{Body: `{"type":"cas_ok"}`},
			`{"type":"cas","key":3,"from":1,"to":4}`, history.OK, `[3,[1,4]]`, ""},
		{"cas precondition failed", "cas", `[3,[1,4]]`, workloadtest.Reply{Body: `{"type":"error","code":22,"text":"expected 1, had 2"}`},
			`{"type":"cas","key":3,"from":1,"to":4}`, history.Fail, `[3,[1,4]]`, "precondition-failed: expected 1, had 2"},
		{"cas crash is info", "cas", `[3,[1,4]]`, workloadtest.Reply{Body: `{"type":"error","code":13}`},
			`{"type":"cas","key":3,"from":1,"to":4}`, history.Info, `[3,[1,4]]`, "crash"},
		{"cas with an extra field is malformed", "cas", `[3,[1,4]]`, workloadtest.Reply{Body: `{"type":"cas_ok","value":1}`},
			`{"type":"cas","key":3,"from":1,"to":4}`, history.Info, `[3,[1,4]]`, `malformed reply "{\"type\":\"cas_ok\",\"value\":1}": unexpected field "value"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, sent := invoke(t, tc.f, tc.value, tc.reply)
			if sent != tc.sent {
				t.Errorf("sent %s, want %s", sent, tc.sent)
			}
			if c.Type != tc.typ || string(c.Value) != tc.got || c.Error != tc.err {
				t.Errorf("completion %s %s %q, want %s %s %q", c.Type, c.Value, c.Error, tc.typ, tc.got, tc.err)
			}
		})
	}
}
