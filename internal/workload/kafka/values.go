package kafka

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// SendValue is a send's history value. The invocation carries Key and Msg;
// an ok completion repeats them and adds the Offset the node assigned; a
// fail or info completion repeats the invocation's value.
type SendValue struct {
	Key    string          `json:"key"`
	Msg    json.RawMessage `json:"msg"`
	Offset *int64          `json:"offset,omitempty"`
}

// PollValue is a poll completion's history value (the invocation carries
// nothing: the client decides the offsets).
//
// Offsets are the positions the client asked to read from (its
// assignment; {} for a client that was never assigned). Msgs are what the
// node returned, absent when the poll RPC itself failed. Commit is present
// when the client's commit_offsets of the highest offset returned per key
// was acknowledged.
//
// A poll is ok only when both the poll and its commit succeeded, as in
// Maelstrom. When the poll succeeded but the commit did not, the
// completion is fail or info (by the commit's error) and still carries
// Msgs: the node did return them, and the client's positions did advance.
type PollValue struct {
	Offsets map[string]int64  `json:"offsets"`
	Msgs    map[string][]Pair `json:"msgs,omitempty"`
	Commit  map[string]int64  `json:"commit,omitempty"`
}

// Pair is one [offset, msg] entry of a poll, written as a two-element
// array as on the wire.
type Pair struct {
	Offset int64
	Msg    json.RawMessage
}

// MarshalJSON writes [offset, msg].
func (p Pair) MarshalJSON() ([]byte, error) {
	msg := p.Msg
	if len(msg) == 0 {
		msg = json.RawMessage("null")
	}
	b := make([]byte, 0, len(msg)+24)
	b = append(b, '[')
	b = strconv.AppendInt(b, p.Offset, 10)
	b = append(b, ',')
	b = append(b, msg...)
	return append(b, ']'), nil
}

// UnmarshalJSON reads [offset, msg] with offset a JSON integer, as
// Maelstrom's poll_ok schema demands. It is on the checker's hot path, so
// it scans rather than decoding through reflection; b is already valid
// JSON when encoding/json calls it.
func (p *Pair) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) < 2 || b[0] != '[' || b[len(b)-1] != ']' {
		return fmt.Errorf("offset-message pair %s is not an array", short(b))
	}
	inner := bytes.TrimSpace(b[1 : len(b)-1])
	end := 0
	for end < len(inner) && (inner[end] == '-' || (inner[end] >= '0' && inner[end] <= '9')) {
		end++
	}
	off, err := strconv.ParseInt(string(inner[:end]), 10, 64)
	if err != nil || (end < len(inner) && bytes.IndexByte([]byte(".eE"), inner[end]) >= 0) {
		return fmt.Errorf("offset-message pair %s does not start with an integer offset", short(b))
	}
	rest := bytes.TrimSpace(inner[end:])
	if len(rest) == 0 || rest[0] != ',' {
		return fmt.Errorf("offset-message pair %s does not have two elements", short(b))
	}
	msg := bytes.TrimSpace(rest[1:])
	if !json.Valid(msg) { // a second comma: more than two elements
		return fmt.Errorf("offset-message pair %s does not have two elements", short(b))
	}
	p.Offset, p.Msg = off, append(json.RawMessage(nil), msg...)
	return nil
}

// AssignValue is an assign's history value. The invocation carries Keys
// and SeekToBeginning; an ok completion repeats them and adds Committed,
// what list_committed_offsets returned (only when the client asked, that
// is without SeekToBeginning), and Offsets, the positions the client
// polls from next. A failed completion repeats the invocation's value.
type AssignValue struct {
	Keys            []string         `json:"keys"`
	SeekToBeginning bool             `json:"seek_to_beginning,omitempty"`
	Committed       map[string]int64 `json:"committed,omitempty"`
	Offsets         map[string]int64 `json:"offsets,omitempty"`
}

func short(b []byte) string {
	if len(b) > 60 {
		return string(b[:60]) + "..."
	}
	return string(b)
}

// msgKey is a message's identity: two messages are the same when their
// JSON values are equal (integers by value, objects whatever their key
// order; numbers otherwise compare by their literal, so 1 and 1.0 differ as
// they do in Maelstrom).
func msgKey(raw json.RawMessage) (string, error) {
	if n, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
		return strconv.FormatInt(n, 10), nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	if dec.More() {
		return "", errors.New("more than one JSON value")
	}
	b, err := json.Marshal(v) // sorts object keys
	if err != nil {
		return "", err
	}
	return string(b), nil
}
