package service

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// value is a JSON value as a client wrote it, plus its canonical form.
//
// Maelstrom decodes JSON into Clojure data and compares with Clojure's =:
// objects are equal whatever their key order, integers are equal by value
// however large (1 and 1 with a BigInteger behind it are equal), floats are
// equal by double value, and an integer never equals a float (1 is not 1.0).
// canon encodes exactly that equivalence, so two values are equal when
// their canonical strings are. The raw text is what a read returns: a value
// comes back as its writer spelled it (Maelstrom would re-print 1.50 as
// 1.5; nothing in the protocol depends on the spelling).
type value struct {
	raw   json.RawMessage
	canon string
}

// null is the value of an absent field, as Clojure reads a missing key as nil.
var null = value{raw: json.RawMessage("null"), canon: "null"}

// newValue canonicalises raw; an absent field (nil raw) is null.
func newValue(raw json.RawMessage) (value, error) {
	if len(raw) == 0 {
		return null, nil
	}
	c, err := canonical(raw)
	if err != nil {
		return value{}, err
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return value{}, err
	}
	return value{raw: buf.Bytes(), canon: c}, nil
}

// canonical renders a JSON value so that values equal under Clojure's = have
// the same text. Integers are prefixed i, floats f, so that 1 and 1.0 differ.
func canonical(raw json.RawMessage) (string, error) {
	// Fast path for the common case: a small integer.
	if n, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
		return "i" + strconv.FormatInt(n, 10), nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	if _, err := dec.Token(); err != io.EOF {
		return "", errors.New("trailing data after JSON value")
	}
	var sb strings.Builder
	writeCanonical(&sb, v)
	return sb.String(), nil
}

func writeCanonical(sb *strings.Builder, v any) {
	switch v := v.(type) {
	case nil:
		sb.WriteString("null")
	case bool:
		sb.WriteString(strconv.FormatBool(v))
	case string:
		sb.WriteString(strconv.Quote(v))
	case json.Number:
		sb.WriteString(canonicalNumber(string(v)))
	case []any:
		sb.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				sb.WriteByte(',')
			}
			writeCanonical(sb, e)
		}
		sb.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		sb.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(strconv.Quote(k))
			sb.WriteByte(':')
			writeCanonical(sb, v[k])
		}
		sb.WriteByte('}')
	}
}

// canonicalNumber follows the JSON reader Maelstrom uses: a literal without
// fraction or exponent is an integer (of any size), anything else a double.
func canonicalNumber(lit string) string {
	if !strings.ContainsAny(lit, ".eE") {
		var n big.Int
		if _, ok := n.SetString(lit, 10); ok {
			return "i" + n.String()
		}
		return "i" + lit
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return "f" + lit
	}
	if f == 0 {
		f = 0 // -0.0 equals 0.0 under Clojure's =
	}
	return "f" + strconv.FormatFloat(f, 'g', -1, 64)
}
