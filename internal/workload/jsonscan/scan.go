// Package jsonscan is a minimal JSON scanner for the fast paths of the
// transactional workloads' parsers: checking 100,000 transactions must
// take under two seconds, and encoding/json spends most of that on
// values as small as [["r",1,null]]. A fast path accepts only the plain
// shapes our harness and well-behaved nodes write and leaves anything
// else to encoding/json, whose verdict stands. It is pure.
package jsonscan

import "strconv"

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
