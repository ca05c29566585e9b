// Package jsonval compares JSON values the way Maelstrom's checkers do: by
// value, not by spelling. Maelstrom decodes replies into Clojure data and
// compares with Clojure's equality, under which an integer and a float are
// never equal (1 is not 1.0), two floats are equal when their doubles are
// (1.0 is 1.00), object key order does not matter, and a string is never a
// number ("1" is not 1).
//
// Canonical renders a value as JSON text with that equality built in, so
// checkers can use it as a map key and print it in messages. The package
// performs no I/O.
package jsonval

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Canonical returns raw in canonical form: whitespace removed, object keys
// sorted, integers in plain decimal ("-0" is "0", big integers kept
// exactly), floats as the shortest text of their float64 that still reads
// as a float ("1.0", "1e+21"). Two values are equal exactly when their
// canonical forms are. It fails when raw is not one JSON value.
func Canonical(raw []byte) (string, error) {
	// Fast path for the common case, a small integer already in canonical
	// form (not "+5", "007" or "-0"): the services canonicalise every key
	// and value of every request.
	if n, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
		if c := strconv.FormatInt(n, 10); c == string(raw) {
			return c, nil
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", fmt.Errorf("not JSON: %v", err)
	}
	if _, err := dec.Token(); err == nil {
		return "", errors.New("not JSON: more than one value")
	}
	var sb strings.Builder
	write(&sb, v)
	return sb.String(), nil
}

// Equal reports whether a and b are the same JSON value under Canonical's
// equality. Text that is not JSON equals nothing, not even itself.
func Equal(a, b []byte) bool {
	ca, err := Canonical(a)
	if err != nil {
		return false
	}
	cb, err := Canonical(b)
	return err == nil && ca == cb
}

// maxShort bounds the text Short returns, so that one huge value does not
// swamp an anomaly message.
const maxShort = 80

// Short renders raw for a message: its canonical form when it is JSON,
// "nothing" when it is empty, otherwise the bytes quoted; cut to a readable
// length either way.
func Short(raw []byte) string {
	if len(raw) == 0 {
		return "nothing"
	}
	s, err := Canonical(raw)
	if err != nil {
		s = strconv.Quote(strings.ToValidUTF8(string(raw), "\uFFFD"))
	}
	if len(s) > maxShort {
		cut := maxShort
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}

func write(sb *strings.Builder, v any) {
	switch v := v.(type) {
	case nil:
		sb.WriteString("null")
	case bool:
		sb.WriteString(strconv.FormatBool(v))
	case json.Number:
		sb.WriteString(number(string(v)))
	case string:
		b, _ := json.Marshal(v) // a string always marshals
		sb.Write(b)
	case []any:
		writeList(sb, '[', ']', len(v), func(i int) { write(sb, v[i]) })
	case map[string]any:
		keys := slices.Sorted(maps.Keys(v))
		writeList(sb, '{', '}', len(keys), func(i int) {
			write(sb, keys[i])
			sb.WriteByte(':')
			write(sb, v[keys[i]])
		})
	}
}

// writeList writes n items between start and end, separated by commas:
// an array's elements or an object's members.
func writeList(sb *strings.Builder, start, end byte, n int, item func(i int)) {
	sb.WriteByte(start)
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		item(i)
	}
	sb.WriteByte(end)
}

// number canonicalises a JSON number literal. Integers (no fraction, no
// exponent) compare as exact integers, as Clojure compares Long and BigInt;
// anything else is a double, as Maelstrom's JSON parser reads it.
func number(lit string) string {
	if !strings.ContainsAny(lit, ".eE") {
		var n big.Int
		if _, ok := n.SetString(lit, 10); ok {
			return n.String()
		}
		return lit
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil && !math.IsInf(f, 0) {
		return lit
	}
	if f == 0 {
		f = 0 // -0.0 equals 0.0 under Clojure's =
	}
	switch {
	case math.IsInf(f, 1):
		return "1e999"
	case math.IsInf(f, -1):
		return "-1e999"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}
