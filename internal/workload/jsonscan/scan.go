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

// ScanTxn scans, from s, a transaction in the plain shape the
// transactional workloads write, [[f, key, value], ...] with white space
// anywhere: f one of fnames as a JSON string without escapes, key an
// integer (Int). value reads the value from s, which stands at its first
// byte, and returns the micro-op, or false for a value it does not
// accept. ScanTxn reports false for anything else (including valid JSON
// it does not handle, such as an escaped function name), leaving the
// verdict to the workload's reference decoder. The workloads' fast paths
// differ only in their values, so the frame is read here once, inline
// rather than through a function per element, so that value's is the one
// call a micro-op adds. The caller owns s, and value reaches it by closure
// rather than as an argument, so that s stays on the caller's stack: the
// fast path allocates only the micro-ops.
func ScanTxn[M any](s *Scanner, fnames []string, value func(f string, key int64) (M, bool)) ([]M, bool) {
	mops := make([]M, 0, 4)
	ok := s.List(func() bool {
		if !s.Eat('[') {
			return false
		}
		s.WS()
		f, ok := s.oneOf(fnames)
		if !ok || !s.comma() {
			return false
		}
		key, ok := s.Int()
		if !ok || !s.comma() {
			return false
		}
		m, ok := value(f, key)
		if !ok {
			return false
		}
		mops = append(mops, m)
		s.WS()
		return s.Eat(']')
	})
	return mops, ok && s.End()
}

// comma consumes a comma with white space on either side.
func (s *Scanner) comma() bool {
	s.WS()
	ok := s.Eat(',')
	s.WS()
	return ok
}

// oneOf consumes a JSON string that is one of names written without
// escapes, and returns that name.
func (s *Scanner) oneOf(names []string) (string, bool) {
	if s.I >= len(s.B) || s.B[s.I] != '"' {
		return "", false
	}
	rest := s.B[s.I+1:]
	for _, n := range names {
		if len(rest) > len(n) && rest[len(n)] == '"' && string(rest[:len(n)]) == n {
			s.I += len(n) + 2
			return n, true
		}
	}
	return "", false
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
