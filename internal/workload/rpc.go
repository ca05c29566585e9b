package workload

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/proto"
)

// ErrTimeout is what Conn.RPC returns when no reply came in time.
var ErrTimeout = errors.New("timeout")

// RPCError is an error reply from a node.
type RPCError struct {
	Code proto.ErrorCode
	Text string
}

func (e *RPCError) Error() string {
	if e.Text == "" {
		return e.Code.String()
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Text)
}

// MalformedError is a reply that does not match the response schema: wrong
// type, a missing or extra field, a value of the wrong JSON type. Like
// Maelstrom, the harness records the operation as indeterminate (info),
// whatever it was: Maelstrom's check-body throws :malformed-rpc-response,
// which its with-errors does not catch, so Jepsen's interpreter records
// the exception as info, reads included. The harness also reports it as a
// strict finding (malformed-reply): the course fails the run, real
// Maelstrom judges the history as recorded.
type MalformedError struct {
	Reply json.RawMessage
	Why   string
}

func (e *MalformedError) Error() string {
	return fmt.Sprintf("malformed reply %s: %s", proto.Quote(e.Reply), e.Why)
}

// Call sends body over conn and decodes a reply of type replyType into out
// (a pointer to a struct, or nil when the reply carries nothing). As in
// Maelstrom, response schemas are closed: fields other than out's,
// "type", "msg_id" and "in_reply_to" make the reply malformed. The error is
// ErrTimeout, an *RPCError or a *MalformedError.
func Call(ctx context.Context, conn Conn, body any, replyType string, out any) error {
	raw, err := conn.RPC(ctx, body)
	if err != nil {
		return err
	}
	b, err := proto.ParseBody(raw)
	if err != nil {
		return &MalformedError{Reply: raw, Why: err.Error()}
	}
	if b.Type == "error" {
		code := proto.Crash
		if b.Code != nil {
			code = proto.ErrorCode(*b.Code)
		}
		return &RPCError{Code: code, Text: b.Text}
	}
	if b.Type != replyType {
		return &MalformedError{Reply: raw, Why: fmt.Sprintf("type is %q, expected %q", b.Type, replyType)}
	}
	if err := DecodeStrict(raw, out); err != nil {
		return &MalformedError{Reply: raw, Why: err.Error()}
	}
	return nil
}

// DecodeStrict decodes a reply body into out, refusing unknown fields
// besides the reserved ones. out may be nil.
func DecodeStrict(raw json.RawMessage, out any) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return errors.New("body is not an object")
	}
	delete(fields, "type")
	delete(fields, "msg_id")
	delete(fields, "in_reply_to")
	rest, _ := json.Marshal(fields)
	if out == nil {
		if len(fields) > 0 {
			keys := make([]string, 0, len(fields))
			for k := range fields {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			return fmt.Errorf("unexpected field %q", keys[0])
		}
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(rest))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		return err
	}
	return nil
}

// Failed turns an error from Call into a completion, as Maelstrom's
// with-errors does. Definite errors fail; timeouts, crashes and unknown
// codes are info, except for idempotent operations (a read that did not
// answer changed nothing), which fail. A malformed reply is info for every
// operation, idempotent or not: with-errors does not catch it, and Jepsen
// records an uncaught exception as info.
func Failed(err error, idempotent bool) Completion {
	var rpcErr *RPCError
	var malformed *MalformedError
	switch {
	case errors.As(err, &malformed):
		return Completion{Type: history.Info, Error: err.Error()}
	case errors.As(err, &rpcErr):
		if rpcErr.Code.Definite() || idempotent {
			return Completion{Type: history.Fail, Error: rpcErr.Error()}
		}
		return Completion{Type: history.Info, Error: rpcErr.Error()}
	case idempotent:
		return Completion{Type: history.Fail, Error: err.Error()}
	default:
		return Completion{Type: history.Info, Error: err.Error()}
	}
}

// Indeterminate is Maelstrom's treatment of any error in a client without
// an error wrapper (g-counter's, pn-counter's, g-set's): the operation may
// or may not have happened, whatever the error says, so it is info. v is
// the invocation's value, kept so the checker knows what may have happened.
func Indeterminate(v json.RawMessage, err error) Completion {
	return Completion{Type: history.Info, Value: v, Error: "indeterminate: " + err.Error()}
}

// OK is an ok completion with value v marshalled.
func OK(v any) Completion {
	return Completion{Type: history.OK, Value: history.Value(v)}
}

// NewQuantiles computes Jepsen's quantiles of values (in ms), or nil when
// there are none. values is sorted in place.
func NewQuantiles(values []float64) *Quantiles {
	n := len(values)
	if n == 0 {
		return nil
	}
	slices.Sort(values)
	at := func(q float64) float64 {
		i := int(math.Floor(float64(n) * q))
		return values[min(n-1, i)]
	}
	return &Quantiles{Min: at(0), Median: at(0.5), P95: at(0.95), P99: at(0.99), Max: at(1), Count: n}
}
