// Package jsonscan is a minimal JSON scanner for the fast paths of the
// transactional workloads' parsers: checking 100,000 transactions must
// take under two seconds, and encoding/json spends most of that on
// values as small as [["r",1,null]]. A fast path accepts only the plain
// shapes our harness and well-behaved nodes write and leaves anything
// else to encoding/json, whose verdict stands. It is pure.
package jsonscan

import (
	"fmt"
	"strconv"
	"strings"
)

// Scanner reads JSON from B, at I.
type Scanner struct {
	B []byte
	I int
}

// WS skips white space.
func (s *Scanner) WS() {
	for s.I < len(s.B) {
		switch s.B[s.I] {
		case ' ', '\t', '\n', '\r':
			s.I++
		default:
			return
		}
	}
}

// Eat consumes c if it comes next.
func (s *Scanner) Eat(c byte) bool {
	if s.I < len(s.B) && s.B[s.I] == c {
		s.I++
		return true
	}
	return false
}

// Lit consumes w if it comes next.
func (s *Scanner) Lit(w string) bool {
	if len(s.B)-s.I >= len(w) && string(s.B[s.I:s.I+len(w)]) == w {
		s.I += len(w)
		return true
	}
	return false
}

// Int scans a JSON integer: -?(0|[1-9][0-9]*), not followed by a fraction
// or exponent, fitting in int64.
func (s *Scanner) Int() (int64, bool) {
	start := s.I
	if s.I < len(s.B) && s.B[s.I] == '-' {
		s.I++
	}
	digits := s.I
	for s.I < len(s.B) && s.B[s.I] >= '0' && s.B[s.I] <= '9' {
		s.I++
	}
	n := s.I - digits
	if n == 0 || (n > 1 && s.B[digits] == '0') {
		return 0, false
	}
	if s.I < len(s.B) {
		switch s.B[s.I] {
		case '.', 'e', 'E':
			return 0, false
		}
	}
	v, err := strconv.ParseInt(string(s.B[start:s.I]), 10, 64)
	if err != nil {
		return 0, false
	}
	return v, true
}

// List scans a JSON array, [item, item, ...] with white space anywhere,
// calling item for each element with the scanner at its first byte; item
// reports whether the element was one it accepts.
func (s *Scanner) List(item func() bool) bool {
	s.WS()
	if !s.Eat('[') {
		return false
	}
	s.WS()
	if s.Eat(']') {
		return true
	}
	for {
		s.WS()
		if !item() {
			return false
		}
		s.WS()
		if s.Eat(']') {
			return true
		}
		if !s.Eat(',') {
			return false
		}
	}
}

// Tuple scans the elements of a fixed-length array, [a, b, c], one
// function each, with white space anywhere.
func (s *Scanner) Tuple(elems ...func() bool) bool {
	s.WS()
	if !s.Eat('[') {
		return false
	}
	for i, e := range elems {
		s.WS()
		if i > 0 && !s.Eat(',') {
			return false
		}
		s.WS()
		if !e() {
			return false
		}
	}
	s.WS()
	return s.Eat(']')
}

// End reports whether only white space is left.
func (s *Scanner) End() bool {
	s.WS()
	return s.I == len(s.B)
}

// ParseInt decodes a whole JSON value that must be an integer, refusing
// fractions and exponents (1.0 is not an integer), as Maelstrom's
// schemas do.
func ParseInt(raw []byte) (int64, error) {
	s := Scanner{B: raw}
	s.WS()
	if v, ok := s.Int(); ok && s.End() {
		return v, nil
	}
	t := strings.TrimSpace(string(raw))
	if len(t) > 0 && (t[0] == '-' || (t[0] >= '0' && t[0] <= '9')) && !strings.ContainsAny(t, ".eE") {
		if _, err := strconv.ParseInt(t, 10, 64); err != nil {
			return 0, fmt.Errorf("%s is not a 64-bit integer", raw)
		}
	}
	return 0, fmt.Errorf("%s is not an integer", raw)
}

// AppendTxn appends a transaction in its wire shape, [["f",key,value],
// ...], to b: mop gives the i-th micro-op's function and key, value
// appends its value.
func AppendTxn(b []byte, n int, mop func(i int) (f string, key int64), value func(b []byte, i int) []byte) []byte {
	b = append(b, '[')
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		f, key := mop(i)
		b = append(b, '[', '"')
		b = append(b, f...)
		b = append(b, '"', ',')
		b = strconv.AppendInt(b, key, 10)
		b = append(b, ',')
		b = value(b, i)
		b = append(b, ']')
	}
	return append(b, ']')
}

// AppendInts appends a list of integers, [1,2,3].
func AppendInts(b []byte, vs []int64) []byte {
	b = append(b, '[')
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, v, 10)
	}
	return append(b, ']')
}
