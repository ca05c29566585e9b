package workload

import (
	"context"
	"encoding/json"
	"fmt"
)

// CallChecked is Call followed by check, which the caller writes to inspect
// what Call decoded into out: a required field that is missing, a list
// element of the wrong JSON type. A non-nil error from check makes the reply
// malformed, and the *MalformedError quotes the reply as it came. Call alone
// cannot tell a missing field from an empty one, and Maelstrom's response
// schemas require their fields.
func CallChecked(ctx context.Context, conn Conn, body any, replyType string, out any, check func() error) error {
	rc := &recordingConn{Conn: conn}
	if err := Call(ctx, rc, body, replyType, out); err != nil {
		return err
	}
	if check == nil {
		return nil
	}
	if err := check(); err != nil {
		return &MalformedError{Reply: rc.reply, Why: err.Error()}
	}
	return nil
}

// Required is the check for a field Maelstrom's schema requires, decoded
// as a json.RawMessage: an error naming the field when the reply had none
// (raw is nil; an explicit null is present and passes).
func Required(field string, raw json.RawMessage) error {
	if raw == nil {
		return fmt.Errorf("missing field %q", field)
	}
	return nil
}

// recordingConn remembers the last reply so that CallChecked can quote it.
type recordingConn struct {
	Conn
	reply json.RawMessage
}

func (c *recordingConn) RPC(ctx context.Context, body any) (json.RawMessage, error) {
	r, err := c.Conn.RPC(ctx, body)
	c.reply = r
	return r, err
}
