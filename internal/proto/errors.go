package proto

import "fmt"

// ErrorCode is a Maelstrom error code, carried in the "code" field of an
// error body. Codes below 1000 are Maelstrom's; higher ones are the node
// author's own and, not being known to be definite, count as indefinite.
type ErrorCode int

// Maelstrom's error codes (doc/protocol.md in jepsen-io/maelstrom).
const (
	Timeout                ErrorCode = 0
	NodeNotFound           ErrorCode = 1
	NotSupported           ErrorCode = 10
	TemporarilyUnavailable ErrorCode = 11
	MalformedRequest       ErrorCode = 12
	Crash                  ErrorCode = 13
	Abort                  ErrorCode = 14
	KeyDoesNotExist        ErrorCode = 20
	KeyAlreadyExists       ErrorCode = 21
	PreconditionFailed     ErrorCode = 22
	TxnConflict            ErrorCode = 30
)

var codeNames = map[ErrorCode]string{
	Timeout:                "timeout",
	NodeNotFound:           "node-not-found",
	NotSupported:           "not-supported",
	TemporarilyUnavailable: "temporarily-unavailable",
	MalformedRequest:       "malformed-request",
	Crash:                  "crash",
	Abort:                  "abort",
	KeyDoesNotExist:        "key-does-not-exist",
	KeyAlreadyExists:       "key-already-exists",
	PreconditionFailed:     "precondition-failed",
	TxnConflict:            "txn-conflict",
}

// String returns Maelstrom's name for the code, or "unknown-N".
func (c ErrorCode) String() string {
	if n, ok := codeNames[c]; ok {
		return n
	}
	return fmt.Sprintf("unknown-%d", int(c))
}

// Definite reports whether an error with this code means the operation
// certainly did not take place. Timeouts, crashes and codes Maelstrom does
// not know are indefinite: the operation may or may not have happened, and
// checkers must allow both.
func (c ErrorCode) Definite() bool {
	switch c {
	case NodeNotFound, NotSupported, TemporarilyUnavailable, MalformedRequest,
		Abort, KeyDoesNotExist, KeyAlreadyExists, PreconditionFailed, TxnConflict:
		return true
	}
	return false
}

// ErrorBody is the body of an error reply.
type ErrorBody struct {
	Type      string    `json:"type"`
	InReplyTo int64     `json:"in_reply_to"`
	Code      ErrorCode `json:"code"`
	Text      string    `json:"text,omitempty"`
}

// NewError builds an error reply body.
func NewError(inReplyTo int64, code ErrorCode, text string) ErrorBody {
	return ErrorBody{Type: "error", InReplyTo: inReplyTo, Code: code, Text: text}
}
