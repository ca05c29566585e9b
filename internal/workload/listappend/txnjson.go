package listappend

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/glomers/glomers/internal/workload/jsonscan"
)

// mop is one micro-operation: an append of an element to a key's list,
// or a read of the list. A requested read, and a read of a key nothing
// was appended to, carry null (nil set).
type mop struct {
	f    byte // 'r' or 'a'
	key  int64
	val  int64   // an append's element
	nil  bool    // a read of null
	list []int64 // a read's list, when not null
}

func (m mop) isRead() bool   { return m.f == 'r' }
func (m mop) isAppend() bool { return m.f == 'a' }

// encodeTxn renders mops in the wire and history shape,
// [["r",1,[1,2]],["append",1,3]].
func encodeTxn(mops []mop) json.RawMessage {
	b := make([]byte, 0, 2+len(mops)*20)
	b = append(b, '[')
	for i, m := range mops {
		if i > 0 {
			b = append(b, ',')
		}
		if m.isRead() {
			b = append(b, `["r",`...)
		} else {
			b = append(b, `["append",`...)
		}
		b = strconv.AppendInt(b, m.key, 10)
		b = append(b, ',')
		switch {
		case m.isAppend():
			b = strconv.AppendInt(b, m.val, 10)
		case m.nil:
			b = append(b, "null"...)
		default:
			b = append(b, '[')
			for j, e := range m.list {
				if j > 0 {
					b = append(b, ',')
				}
				b = strconv.AppendInt(b, e, 10)
			}
			b = append(b, ']')
		}
		b = append(b, ']')
	}
	return append(b, ']')
}

// parseTxn decodes a transaction value. Keys and elements must be JSON
// integers (our generator's; Maelstrom allows any value, but every
// client it ships sends integers); a read's value is null or a list. A
// fast scanner handles the plain shapes; anything else goes to
// decodeTxn, whose verdict stands.
func parseTxn(raw []byte) ([]mop, error) {
	if mops, ok := scanTxn(raw); ok {
		return mops, nil
	}
	return decodeTxn(raw)
}

// scanTxn is parseTxn's fast path: it accepts only arrays of
// ["r", integer, null | [integer, ...]] and ["append", integer, integer]
// with optional white space, and reports false for anything else.
func scanTxn(b []byte) ([]mop, bool) {
	s := jsonscan.Scanner{B: b}
	s.WS()
	if !s.Eat('[') {
		return nil, false
	}
	mops := make([]mop, 0, 4)
	s.WS()
	if s.Eat(']') {
		s.WS()
		return mops, s.I == len(s.B)
	}
	for {
		s.WS()
		if !s.Eat('[') {
			return nil, false
		}
		s.WS()
		var m mop
		switch {
		case s.Lit(`"r"`):
			m.f = 'r'
		case s.Lit(`"append"`):
			m.f = 'a'
		default:
			return nil, false
		}
		s.WS()
		if !s.Eat(',') {
			return nil, false
		}
		s.WS()
		k, ok := s.Int()
		if !ok {
			return nil, false
		}
		m.key = k
		s.WS()
		if !s.Eat(',') {
			return nil, false
		}
		s.WS()
		switch {
		case m.isAppend():
			if m.val, ok = s.Int(); !ok {
				return nil, false
			}
		case s.Lit("null"):
			m.nil = true
		default:
			if m.list, ok = scanList(&s); !ok {
				return nil, false
			}
		}
		s.WS()
		if !s.Eat(']') {
			return nil, false
		}
		mops = append(mops, m)
		s.WS()
		if s.Eat(']') {
			s.WS()
			return mops, s.I == len(s.B)
		}
		if !s.Eat(',') {
			return nil, false
		}
	}
}

// scanList scans [integer, ...].
func scanList(s *jsonscan.Scanner) ([]int64, bool) {
	if !s.Eat('[') {
		return nil, false
	}
	list := make([]int64, 0, 8)
	s.WS()
	if s.Eat(']') {
		return list, true
	}
	for {
		s.WS()
		v, ok := s.Int()
		if !ok {
			return nil, false
		}
		list = append(list, v)
		s.WS()
		if s.Eat(']') {
			return list, true
		}
		if !s.Eat(',') {
			return nil, false
		}
	}
}

// decodeTxn is the reference decoder, built on encoding/json.
func decodeTxn(raw []byte) ([]mop, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, errors.New("transaction is missing")
	}
	var elems [][]json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil || elems == nil {
		return nil, errors.New("transaction is not a JSON array of [f, key, value] arrays")
	}
	mops := make([]mop, len(elems))
	for i, parts := range elems {
		if len(parts) != 3 {
			return nil, fmt.Errorf("micro-op %d has %d elements, not 3 ([f, key, value])", i, len(parts))
		}
		var f string
		if err := json.Unmarshal(parts[0], &f); err != nil || (f != "r" && f != "append") {
			return nil, fmt.Errorf(`micro-op %d: function is %s, not "r" or "append"`, i, parts[0])
		}
		m := mop{f: f[0]}
		k, err := jsonInt(parts[1])
		if err != nil {
			return nil, fmt.Errorf("micro-op %d: key %s", i, err)
		}
		m.key = k
		v := bytes.TrimSpace(parts[2])
		switch {
		case m.isAppend():
			if m.val, err = jsonInt(v); err != nil {
				return nil, fmt.Errorf("micro-op %d: element %s", i, err)
			}
		case string(v) == "null":
			m.nil = true
		default:
			var list []json.RawMessage
			if err := json.Unmarshal(v, &list); err != nil || list == nil {
				return nil, fmt.Errorf("micro-op %d: a read's value is %s, not null or a list", i, v)
			}
			m.list = make([]int64, len(list))
			for j, e := range list {
				if m.list[j], err = jsonInt(e); err != nil {
					return nil, fmt.Errorf("micro-op %d: element %d of the list: %s", i, j, err)
				}
			}
		}
		mops[i] = m
	}
	return mops, nil
}

// jsonInt decodes a JSON integer, refusing fractions and exponents.
func jsonInt(raw json.RawMessage) (int64, error) {
	s := string(bytes.TrimSpace(raw))
	if len(s) == 0 || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) || strings.ContainsAny(s, ".eE") {
		return 0, fmt.Errorf("%s is not an integer", raw)
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is not a 64-bit integer", raw)
	}
	return v, nil
}

// matchReply reports how a completed transaction differs from the
// request: it must have the same micro-ops, appends unchanged, with each
// read's null replaced by a list (or left null for an empty key).
func matchReply(req, got []mop) error {
	if len(got) != len(req) {
		return fmt.Errorf("txn has %d micro-ops, the request had %d", len(got), len(req))
	}
	for i, q := range req {
		g := got[i]
		switch {
		case g.f != q.f:
			return fmt.Errorf("micro-op %d is %s, the request had %s", i, fname(g), fname(q))
		case g.key != q.key:
			return fmt.Errorf("micro-op %d is on key %d, the request had key %d", i, g.key, q.key)
		case q.isAppend() && g.val != q.val:
			return fmt.Errorf("micro-op %d appends %d to key %d, the request appended %d", i, g.val, g.key, q.val)
		case q.isRead() && !q.nil:
			return fmt.Errorf("micro-op %d: the request's read carries a value", i)
		}
	}
	return nil
}

func fname(m mop) string {
	if m.isRead() {
		return `"r"`
	}
	return `"append"`
}
