package workload

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// replyConn answers every RPC with one fixed reply.
type replyConn struct {
	reply string
	err   error
}

func (c replyConn) RPC(context.Context, any) (json.RawMessage, error) {
	return json.RawMessage(c.reply), c.err
}
func (replyConn) Node() string { return "n0" }

func TestCallChecked(t *testing.T) {
	var out struct {
		ID json.RawMessage `json:"id"`
	}
	required := func() error { return Required("id", out.ID) }
	// Maelstrom's schemas require their fields: a reply without id is malformed.
	err := CallChecked(context.Background(), replyConn{reply: `{"type":"generate_ok","in_reply_to":1}`}, nil, "generate_ok", &out, required)
	var m *MalformedError
	if !errors.As(err, &m) || !strings.Contains(m.Why, `missing field "id"`) || !strings.Contains(string(m.Reply), `"in_reply_to":1`) {
		t.Errorf("missing field: got %v, want a malformed error quoting the reply", err)
	}
	err = CallChecked(context.Background(), replyConn{reply: `{"type":"generate_ok","id":7}`}, nil, "generate_ok", &out, required)
	if err != nil || string(out.ID) != "7" {
		t.Errorf("good reply: got %v, id %s", err, out.ID)
	}
	// Errors from Call pass through untouched, and check is not run.
	err = CallChecked(context.Background(), replyConn{err: ErrTimeout}, nil, "generate_ok", &out, func() error {
		t.Error("check ran after a timeout")
		return nil
	})
	if !errors.Is(err, ErrTimeout) {
		t.Errorf("timeout: got %v", err)
	}
	if err := CallChecked(context.Background(), replyConn{reply: `{"type":"x_ok"}`}, nil, "x_ok", nil, nil); err != nil {
		t.Errorf("nil check: got %v", err)
	}
}

// Required tells a missing field from an explicit null, which is present.
func TestRequired(t *testing.T) {
	if err := Required("echo", nil); err == nil || err.Error() != `missing field "echo"` {
		t.Errorf("Required(nil) = %v", err)
	}
	if err := Required("echo", json.RawMessage("null")); err != nil {
		t.Errorf("Required(null) = %v, want nil", err)
	}
}

// Failed follows Maelstrom's with-errors: a timeout or an indefinite
// error fails an idempotent operation and leaves any other info, a
// definite error fails both, and a malformed reply, which with-errors
// does not catch, is info for every operation (Jepsen records the
// exception as info).
func TestFailed(t *testing.T) {
	malformed := &MalformedError{Reply: json.RawMessage(`{"type":"read_ok","extra":1}`), Why: `unknown field "extra"`}
	cases := []struct {
		name       string
		err        error
		idempotent bool
		want       string
	}{
		{"timeout, idempotent", ErrTimeout, true, "fail"},
		{"timeout", ErrTimeout, false, "info"},
		{"definite", &RPCError{Code: 20}, false, "fail"},
		{"indefinite, idempotent", &RPCError{Code: 13}, true, "fail"},
		{"indefinite", &RPCError{Code: 13}, false, "info"},
		{"malformed, idempotent", malformed, true, "info"},
		{"malformed", malformed, false, "info"},
	}
	for _, c := range cases {
		got := Failed(c.err, c.idempotent)
		if string(got.Type) != c.want {
			t.Errorf("%s: %s, want %s", c.name, got.Type, c.want)
		}
	}
	if got := Failed(malformed, true); !strings.HasPrefix(got.Error, "malformed reply") {
		t.Errorf("malformed: error %q, want it to begin with malformed reply", got.Error)
	}
}
