package store

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/glomers/glomers/internal/netsim"
)

// Event is one line of a run's Journal: a message sent, received or
// dropped. The harness writes it and the report and the diagram read it;
// this is its only definition.
type Event struct {
	// Kind is netsim.Send, netsim.Recv or netsim.Drop.
	Kind netsim.EventKind `json:"kind"`
	// Time is when it happened, since the start of the run.
	Time time.Duration `json:"time"`
	// Deadline is when a sent message is due.
	Deadline time.Duration `json:"deadline,omitempty"`
	// ID is the message's network id: a message's send, recv and drop
	// share it.
	ID   int64           `json:"id"`
	Src  string          `json:"src"`
	Dest string          `json:"dest"`
	Body json.RawMessage `json:"body"`
}

// NewEvent is the journal's line for a network event. A message without
// a network id has ID 0.
func NewEvent(ev netsim.Event) Event {
	e := Event{Kind: ev.Kind, Time: ev.Time, Deadline: ev.Deadline, Src: ev.Msg.Src, Dest: ev.Msg.Dest, Body: ev.Msg.Body}
	if ev.Msg.ID != nil {
		e.ID = *ev.Msg.ID
	}
	return e
}

// KindOf reads the kind of the event encoded on one journal line without
// decoding the rest, so a reader can skip the lines it does not want
// cheaply: journals run to hundreds of thousands of lines. The "kind"
// field is found wherever it is in the object, as a JSON decoder would
// (but matching its name exactly); ok is false when the line is not an
// object or has no string "kind".
func KindOf(line []byte) (kind netsim.EventKind, ok bool) {
	i := space(line, 0)
	if i >= len(line) || line[i] != '{' {
		return "", false
	}
	i++
	for {
		i = space(line, i)
		if i >= len(line) || line[i] != '"' {
			return "", false
		}
		end := skipString(line, i)
		if end < 0 {
			return "", false
		}
		key := line[i:end]
		i = space(line, end)
		if i >= len(line) || line[i] != ':' {
			return "", false
		}
		i = space(line, i+1)
		if bytes.Equal(key, kindKey) || bytes.IndexByte(key, '\\') >= 0 && unquote(key) == "kind" {
			if i >= len(line) || line[i] != '"' {
				return "", false
			}
			end = skipString(line, i)
			if end < 0 {
				return "", false
			}
			v := line[i:end]
			for _, k := range kinds {
				if len(v) == len(k)+2 && string(v[1:len(v)-1]) == string(k) {
					return k, true // without allocating, for the usual kinds
				}
			}
			return netsim.EventKind(unquote(v)), true
		}
		i = skipValue(line, i)
		if i < 0 {
			return "", false
		}
		i = space(line, i)
		if i >= len(line) || line[i] != ',' {
			return "", false // the end of the object, or not JSON
		}
		i++
	}
}

// kindKey is the kind field's name, quoted, as the harness writes it.
var kindKey = []byte(`"kind"`)

// kinds are the kinds a journal holds.
var kinds = [...]netsim.EventKind{netsim.Send, netsim.Recv, netsim.Drop}

// space skips JSON whitespace from i.
func space(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just past the string starting with the
// quote at i, or -1 when it does not end.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// skipValue returns the index just past the value starting at i, or -1
// when it does not end. Objects and arrays are skipped by their depth,
// strings inside them whole, so a brace in a string does not count.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipString(b, i)
				if i < 0 {
					return -1
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return -1
	}
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
		i++
	}
	return i
}

// unquote is the text of a quoted JSON string; escapes are decoded only
// when there are any, which in a journal's keys and kinds is never.
func unquote(q []byte) string {
	if bytes.IndexByte(q, '\\') < 0 {
		return string(q[1 : len(q)-1])
	}
	var s string
	if json.Unmarshal(q, &s) != nil {
		return ""
	}
	return s
}
