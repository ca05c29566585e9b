package txn

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// fakeConn answers every RPC with reply (or err) and keeps the request.
type fakeConn struct {
	reply string
	err   error
	sent  json.RawMessage
}

func (c *fakeConn) RPC(_ context.Context, body any) (json.RawMessage, error) {
	c.sent, _ = json.Marshal(body)
	if c.err != nil {
		return nil, c.err
	}
	return json.RawMessage(c.reply), nil
}

func (c *fakeConn) Node() string { return "n0" }

func invokeWith(t *testing.T, reply string, err error) (workload.Completion, *fakeConn) {
	t.Helper()
	conn := &fakeConn{reply: reply, err: err}
	inv := workload.Invocation{F: "txn", Value: json.RawMessage(`[["r",1,null],["w",1,6]]`)}
	return New().NewClient(defaultOptions()).Invoke(context.Background(), conn, inv), conn
}

// Wire format (fly.io 6a): {"type":"txn","txn":[...]} -> txn_ok with the
// reads filled in; the ok value is the completed transaction.
func TestClientOK(t *testing.T) {
	c, conn := invokeWith(t, `{"type":"txn_ok","in_reply_to":1,"msg_id":4,"txn":[["r",1,3],["w",1,6]]}`, nil)
	if c.Type != history.OK || string(c.Value) != `[["r",1,3],["w",1,6]]` {
		t.Fatalf("completion %+v", c)
	}
	if string(conn.sent) != `{"type":"txn","txn":[["r",1,null],["w",1,6]]}` {
		t.Errorf("sent %s", conn.sent)
	}
	c, _ = invokeWith(t, `{"type":"txn_ok","in_reply_to":1,"txn":[["r",1,null],["w",1,6]]}`, nil)
	if c.Type != history.OK || string(c.Value) != `[["r",1,null],["w",1,6]]` {
		t.Fatalf("a read of null: completion %+v", c)
	}
}

// A reply that does not answer the request is malformed: info, with an
// error the harness reports (Maelstrom does not check this: its issue
// #14).
func TestClientMismatchedReply(t *testing.T) {
	for name, txn := range map[string]string{
		"shorter":         `[["r",1,3]]`,
		"longer":          `[["r",1,3],["w",1,6],["r",2,null]]`,
		"function":        `[["w",1,3],["w",1,6]]`,
		"key":             `[["r",2,3],["w",1,6]]`,
		"write changed":   `[["r",1,3],["w",1,7]]`,
		"read not an int": `[["r",1,"3"],["w",1,6]]`,
		"read a float":    `[["r",1,3.0],["w",1,6]]`,
		"read a list":     `[["r",1,[3]],["w",1,6]]`,
		"not a list":      `{"1":3}`,
		"null":            `null`,
	} {
		t.Run(name, func(t *testing.T) {
			c, _ := invokeWith(t, `{"type":"txn_ok","in_reply_to":1,"txn":`+txn+`}`, nil)
			if c.Type != history.Info || !strings.HasPrefix(c.Error, "malformed reply") {
				t.Fatalf("completion %+v, want info with a malformed-reply error", c)
			}
			if string(c.Value) != `[["r",1,null],["w",1,6]]` {
				t.Errorf("info value %s, want the request", c.Value)
			}
		})
	}
	for name, reply := range map[string]string{
		"missing txn": `{"type":"txn_ok","in_reply_to":1}`,
		"extra field": `{"type":"txn_ok","in_reply_to":1,"txn":[["r",1,3],["w",1,6]],"note":1}`,
		"wrong type":  `{"type":"read_ok","in_reply_to":1,"txn":[["r",1,3],["w",1,6]]}`,
	} {
		t.Run(name, func(t *testing.T) {
			c, _ := invokeWith(t, reply, nil)
			if c.Type != history.Info || !strings.HasPrefix(c.Error, "malformed reply") {
				t.Fatalf("completion %+v, want info with a malformed-reply error", c)
			}
		})
	}
}

// Maelstrom error codes: 30 txn-conflict is definite (fail); 13 crash,
// unknown codes and timeouts are indefinite (info). No transaction is
// idempotent.
func TestClientErrors(t *testing.T) {
	c, _ := invokeWith(t, `{"type":"error","in_reply_to":1,"code":30,"text":"aborted"}`, nil)
	if c.Type != history.Fail || c.Error != "txn-conflict: aborted" {
		t.Errorf("error 30: %+v", c)
	}
	c, _ = invokeWith(t, `{"type":"error","in_reply_to":1,"code":13}`, nil)
	if c.Type != history.Info || c.Error != "crash" {
		t.Errorf("error 13: %+v", c)
	}
	c, _ = invokeWith(t, `{"type":"error","in_reply_to":1,"code":1001,"text":"mine"}`, nil)
	if c.Type != history.Info {
		t.Errorf("error 1001: %+v", c)
	}
	c, _ = invokeWith(t, "", workload.ErrTimeout)
	if c.Type != history.Info || c.Error != "timeout" || string(c.Value) != `[["r",1,null],["w",1,6]]` {
		t.Errorf("timeout: %+v", c)
	}
}
