package edn

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Map is an EDN map written in its entries' order: results.edn reads like
// Maelstrom's when its keys come in the same order.
type Map []Entry

// Entry is one key and value of a Map.
type Entry struct {
	Key, Val any
}

// Write writes v as EDN followed by a newline. v may be nil, bool, a
// string, an int, int64 or float64 (doubles always with a decimal point
// or exponent, as Clojure prints them), a Keyword or Symbol, a Map, a
// map[Keyword]any (keys sorted), or a []any.
func Write(w io.Writer, v any) error {
	var b strings.Builder
	if err := write(&b, v); err != nil {
		return err
	}
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

func write(b *strings.Builder, v any) error {
	switch x := v.(type) {
	case nil:
		b.WriteString("nil")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case string:
		b.WriteString(strconv.Quote(x))
	case Keyword:
		b.WriteString(string(x))
	case Symbol:
		b.WriteString(string(x))
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		b.WriteString(formatFloat(x))
	case Map:
		b.WriteByte('{')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := write(b, e.Key); err != nil {
				return err
			}
			b.WriteByte(' ')
			if err := write(b, e.Val); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case map[Keyword]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, string(k))
		}
		sort.Strings(keys)
		m := make(Map, 0, len(keys))
		for _, k := range keys {
			m = append(m, Entry{Keyword(k), x[Keyword(k)]})
		}
		return write(b, m)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(' ')
			}
			if err := write(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	default:
		return fmt.Errorf("edn: cannot write a %T", v)
	}
	return nil
}

// formatFloat prints a double as Clojure does: 1.0, 0.25, 1.0E-4;
// infinities and NaN as ##Inf, ##-Inf and ##NaN.
func formatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "##NaN"
	case math.IsInf(f, 1):
		return "##Inf"
	case math.IsInf(f, -1):
		return "##-Inf"
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if a := math.Abs(f); a != 0 && (a < 1e-3 || a >= 1e7) {
		m, e, _ := strings.Cut(strconv.FormatFloat(f, 'E', -1, 64), "E")
		exp, _ := strconv.Atoi(e)
		if !strings.Contains(m, ".") {
			m += ".0"
		}
		return m + "E" + strconv.Itoa(exp)
	}
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return s
}
