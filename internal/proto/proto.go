// Package proto owns Maelstrom's wire protocol: the message envelope, the
// reserved body fields, error codes, and the one-line description of a
// message used in logs, reports and chapters.
//
// It performs no I/O: callers hand it bytes and get values back.
package proto

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Message is one envelope on the wire: a JSON object on a single line.
//
// ID is Maelstrom's network-wide message id. Maelstrom writes it on every
// message it delivers to a node; nodes may leave it out of what they send.
type Message struct {
	ID   *int64          `json:"id,omitempty"`
	Src  string          `json:"src"`
	Dest string          `json:"dest"`
	Body json.RawMessage `json:"body"`
}

// Body holds the reserved fields every message body may carry. Other fields
// are message-specific and are read by whoever understands the type.
type Body struct {
	Type      string `json:"type"`
	MsgID     *int64 `json:"msg_id,omitempty"`
	InReplyTo *int64 `json:"in_reply_to,omitempty"`
	Code      *int   `json:"code,omitempty"`
	Text      string `json:"text,omitempty"`
}

// MaxQuote bounds how much of an offending line an error quotes, so that a
// node writing megabytes on one line yields a readable error.
const MaxQuote = 200

// Quote returns line shortened to MaxQuote bytes, valid UTF-8, for error
// messages.
func Quote(line []byte) string {
	s := line
	suffix := ""
	if len(s) > MaxQuote {
		s = s[:MaxQuote]
		suffix = fmt.Sprintf("... (%d bytes)", len(line))
	}
	return strconv.Quote(strings.ToValidUTF8(string(s), "\uFFFD")) + suffix
}

// ParseLine decodes one line a node wrote to stdout. Like Maelstrom, it
// accepts only an object with string "src" and "dest", an object "body" with
// a string "type", and optionally an integer "id"; anything else is an error
// that quotes the line.
func ParseLine(line []byte) (Message, error) {
	line = bytes.TrimRight(line, "\r")
	if !utf8.Valid(line) {
		return Message{}, fmt.Errorf("line is not valid UTF-8: %s", Quote(line))
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(line, &raw); err != nil {
		return Message{}, fmt.Errorf("line is not a JSON object: %s", Quote(line))
	}
	var m Message
	for k, v := range raw {
		switch k {
		case "src":
			if err := json.Unmarshal(v, &m.Src); err != nil {
				return Message{}, fmt.Errorf(`"src" is not a string: %s`, Quote(line))
			}
		case "dest":
			if err := json.Unmarshal(v, &m.Dest); err != nil {
				return Message{}, fmt.Errorf(`"dest" is not a string: %s`, Quote(line))
			}
		case "body":
			m.Body = v
		case "id":
			var id int64
			if err := json.Unmarshal(v, &id); err != nil {
				return Message{}, fmt.Errorf(`"id" is not an integer: %s`, Quote(line))
			}
			m.ID = &id
		default:
			return Message{}, fmt.Errorf("unexpected top-level field %q (only src, dest, body, id): %s", k, Quote(line))
		}
	}
	switch {
	case m.Src == "":
		return Message{}, fmt.Errorf(`message has no "src": %s`, Quote(line))
	case m.Dest == "":
		return Message{}, fmt.Errorf(`message has no "dest": %s`, Quote(line))
	case len(m.Body) == 0 || m.Body[0] != '{':
		return Message{}, fmt.Errorf(`message "body" is not an object: %s`, Quote(line))
	}
	if _, err := ParseBody(m.Body); err != nil {
		return Message{}, fmt.Errorf("%v: %s", err, Quote(line))
	}
	return m, nil
}

// ParseBody decodes the reserved fields of a body.
func ParseBody(raw json.RawMessage) (Body, error) {
	var b Body
	if err := json.Unmarshal(raw, &b); err != nil {
		return Body{}, fmt.Errorf("body has a reserved field of the wrong type (type: string; msg_id, in_reply_to, code: integers)")
	}
	if b.Type == "" {
		return Body{}, errors.New(`body has no "type"`)
	}
	return b, nil
}

// Encode renders m as one line without the trailing newline.
func Encode(m Message) []byte {
	b, err := json.Marshal(m)
	if err != nil {
		// Body is a json.RawMessage that was validated or built by us;
		// failing here is a programming error.
		panic(fmt.Sprintf("proto: encode %s: %v", Describe(m), err))
	}
	return b
}

// MustBody marshals a Go value into a body. It panics on values that cannot
// be marshalled, which only the harness's own code constructs.
func MustBody(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("proto: marshal body: %v", err))
	}
	return b
}

// IsClient reports whether id names a client. As in Maelstrom, the first
// character decides: clients are c0, c1, ...; nodes and services are not.
func IsClient(id string) bool { return strings.HasPrefix(id, "c") }

// Describe renders a message on one line, the same way everywhere:
//
//	n1->n2 broadcast msg_id=3 message=5
//
// Reserved fields come first, the rest in key order, long values shortened.
func Describe(m Message) string {
	var sb strings.Builder
	sb.WriteString(m.Src)
	sb.WriteString("->")
	sb.WriteString(m.Dest)
	sb.WriteByte(' ')
	sb.WriteString(DescribeBody(m.Body))
	return sb.String()
}

// DescribeBody renders a body as "type k=v k=v", reserved fields first.
func DescribeBody(raw json.RawMessage) string {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return Quote(raw)
	}
	var sb strings.Builder
	var typ string
	if t, ok := fields["type"]; ok {
		_ = json.Unmarshal(t, &typ)
	}
	if typ == "" {
		typ = "?"
	}
	sb.WriteString(typ)
	for _, k := range []string{"msg_id", "in_reply_to", "code"} {
		if v, ok := fields[k]; ok {
			fmt.Fprintf(&sb, " %s=%s", k, short(v))
		}
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		switch k {
		case "type", "msg_id", "in_reply_to", "code":
			continue
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&sb, " %s=%s", k, short(fields[k]))
	}
	return sb.String()
}

// short shortens a value to about 60 bytes, cutting on a rune boundary
// so that a description stays valid UTF-8.
func short(v json.RawMessage) string {
	const max = 60
	s := string(v)
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
