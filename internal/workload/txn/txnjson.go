package txn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/glomers/glomers/internal/workload/jsonscan"
)

// mop is one micro-operation. A read asks for (and, completed, holds) a
// key's value; nil marks a read of null. Writes always carry a value.
type mop struct {
	f     byte // 'r' or 'w'
	nil   bool
	key   int64
	value int64
}

func (m mop) isRead() bool  { return m.f == 'r' }
func (m mop) isWrite() bool { return m.f == 'w' }

// encodeTxn renders mops in the wire and history shape,
// [["r",1,null],["w",1,6]].
func encodeTxn(mops []mop) json.RawMessage {
	b := make([]byte, 0, 2+len(mops)*14)
	b = append(b, '[')
	for i, m := range mops {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[', '"', m.f, '"', ',')
		b = strconv.AppendInt(b, m.key, 10)
		b = append(b, ',')
		if m.f == 'r' && m.nil {
			b = append(b, "null"...)
		} else {
			b = strconv.AppendInt(b, m.value, 10)
		}
		b = append(b, ']')
	}
	return append(b, ']')
}

// parseTxn decodes a transaction value. Keys and written values must be
// JSON integers; read values null or integers. A fast scanner handles the
// shape the harness and well-behaved nodes produce; anything it does not
// recognise goes to the general decoder, whose verdict stands.
func parseTxn(raw []byte) ([]mop, error) {
	if mops, ok := scanTxn(raw); ok {
		return mops, nil
	}
	return decodeTxn(raw)
}

// decodeTxn is the reference decoder, built on encoding/json.
func decodeTxn(raw []byte) ([]mop, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, errors.New("transaction is missing")
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil || elems == nil {
		return nil, errors.New("transaction is not a JSON array")
	}
	mops := make([]mop, len(elems))
	for i, e := range elems {
		var parts []json.RawMessage
		if err := json.Unmarshal(e, &parts); err != nil || parts == nil {
			return nil, fmt.Errorf("micro-op %d is not an array", i)
		}
		if len(parts) != 3 {
			return nil, fmt.Errorf("micro-op %d has %d elements, not 3 ([f, key, value])", i, len(parts))
		}
		var f string
		if err := json.Unmarshal(parts[0], &f); err != nil || (f != "r" && f != "w") {
			return nil, fmt.Errorf(`micro-op %d: function is %s, not "r" or "w"`, i, parts[0])
		}
		m := mop{f: f[0]}
		k, err := jsonInt(parts[1])
		if err != nil {
			return nil, fmt.Errorf("micro-op %d: key %s", i, err)
		}
		m.key = k
		if string(bytes.TrimSpace(parts[2])) == "null" {
			if m.f == 'w' {
				return nil, fmt.Errorf("micro-op %d: a write of null", i)
			}
			m.nil = true
		} else {
			v, err := jsonInt(parts[2])
			if err != nil {
				return nil, fmt.Errorf("micro-op %d: value %s", i, err)
			}
			m.value = v
		}
		mops[i] = m
	}
	return mops, nil
}

// jsonInt decodes a JSON integer. Like Maelstrom's schemas, it refuses
// numbers written with a fraction or exponent (1.0 is not an integer).
func jsonInt(raw json.RawMessage) (int64, error) {
	s := string(bytes.TrimSpace(raw))
	if len(s) == 0 || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return 0, fmt.Errorf("%s is not an integer", raw)
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil || strings.ContainsAny(s, ".eE") {
		return 0, fmt.Errorf("%s is not an integer", raw)
	}
	v, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is not a 64-bit integer", raw)
	}
	return v, nil
}

// scanTxn is the fast path of parseTxn: it accepts only plain arrays of
// ["r"|"w", integer, integer|null] with optional whitespace, and reports
// false for anything else (including valid JSON it does not handle, such
// as escaped strings), leaving the verdict to decodeTxn.
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
		if !s.Eat('"') || s.I >= len(s.B) {
			return nil, false
		}
		m := mop{f: s.B[s.I]}
		if m.f != 'r' && m.f != 'w' {
			return nil, false
		}
		s.I++
		if !s.Eat('"') {
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
		if s.Lit("null") {
			if m.f == 'w' {
				return nil, false
			}
			m.nil = true
		} else if v, ok := s.Int(); ok {
			m.value = v
		} else {
			return nil, false
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
