// Package edn reads the subset of EDN (Clojure's data notation) that
// Maelstrom writes in results.edn: maps, vectors, lists, sets, keywords,
// symbols, strings, numbers, booleans, nil and tagged values, so that
// `tutor check --maelstrom` can take real Maelstrom's verdict and figures
// back into its own summary.
//
// Values become Go values: maps map[any]any (keys as decoded, keywords
// as Keyword), vectors, lists and sets []any, integers int64 (big ones
// float64), other numbers float64, keywords Keyword, symbols Symbol.
// Comments, commas and #_ discards are skipped; a tagged value (#inst
// "...", #jepsen.history.Op{...}) is its inner value.
package edn

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Keyword is an EDN keyword, kept with its colon: ":valid?".
type Keyword string

// Symbol is an EDN symbol: true, false and nil are not symbols.
type Symbol string

// Parse decodes the first value in s.
func Parse(s string) (any, error) {
	p := &parser{s: s}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	return v, nil
}

type parser struct {
	s   string
	pos int
}

func (p *parser) errorf(format string, args ...any) error {
	line := 1 + strings.Count(p.s[:min(p.pos, len(p.s))], "\n")
	return fmt.Errorf("edn: line %d: %s", line, fmt.Sprintf(format, args...))
}

func (p *parser) skip() {
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == ',' || unicode.IsSpace(rune(c)):
			p.pos++
		case c == ';':
			for p.pos < len(p.s) && p.s[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

// value parses one value; at a closing delimiter it returns errClose.
func (p *parser) value() (any, error) {
	p.skip()
	if p.pos >= len(p.s) {
		return nil, p.errorf("unexpected end of input")
	}
	switch c := p.s[p.pos]; c {
	case '{':
		p.pos++
		items, err := p.seq('}')
		if err != nil {
			return nil, err
		}
		if len(items)%2 != 0 {
			return nil, p.errorf("map with an odd number of forms")
		}
		m := make(map[any]any, len(items)/2)
		for i := 0; i < len(items); i += 2 {
			k := items[i]
			switch k.(type) {
			case map[any]any, []any:
				k = fmt.Sprint(k) // unhashable keys are not in Maelstrom's results we read
			}
			m[k] = items[i+1]
		}
		return m, nil
	case '[':
		p.pos++
		return p.seq(']')
	case '(':
		p.pos++
		return p.seq(')')
	case '"':
		return p.str()
	case '#':
		p.pos++
		if p.pos < len(p.s) {
			switch p.s[p.pos] {
			case '{':
				p.pos++
				return p.seq('}')
			case '_':
				p.pos++
				if _, err := p.value(); err != nil {
					return nil, err
				}
				return p.value()
			}
		}
		if _, err := p.atom(); err != nil { // the tag
			return nil, err
		}
		return p.value()
	case '}', ']', ')':
		return nil, p.errorf("unexpected %q", c)
	}
	return p.atom()
}

func (p *parser) seq(end byte) ([]any, error) {
	var items []any
	for {
		p.skip()
		if p.pos >= len(p.s) {
			return nil, p.errorf("unclosed collection, expected %q", end)
		}
		if p.s[p.pos] == end {
			p.pos++
			return items, nil
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		items = append(items, v)
	}
}

func (p *parser) str() (string, error) {
	var sb strings.Builder
	p.pos++ // opening quote
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		p.pos++
		switch c {
		case '"':
			return sb.String(), nil
		case '\\':
			if p.pos >= len(p.s) {
				return "", p.errorf("unterminated string")
			}
			e := p.s[p.pos]
			p.pos++
			switch e {
			case 'n':
				sb.WriteByte('\n')
			case 't':
				sb.WriteByte('\t')
			case 'r':
				sb.WriteByte('\r')
			default:
				sb.WriteByte(e)
			}
		default:
			sb.WriteByte(c)
		}
	}
	return "", p.errorf("unterminated string")
}

func (p *parser) atom() (any, error) {
	start := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c == ',' || unicode.IsSpace(rune(c)) || strings.IndexByte("{}[]()\";", c) >= 0 {
			break
		}
		p.pos++
	}
	tok := p.s[start:p.pos]
	if tok == "" {
		if p.pos >= len(p.s) {
			return nil, p.errorf("unexpected end of input")
		}
		return nil, p.errorf("unexpected %q", p.s[p.pos])
	}
	switch {
	case tok == "nil":
		return nil, nil
	case tok == "true":
		return true, nil
	case tok == "false":
		return false, nil
	case tok[0] == ':':
		return Keyword(tok), nil
	case tok[0] == '\\':
		return tok[1:], nil // a character
	}
	if c := tok[0]; c >= '0' && c <= '9' || (len(tok) > 1 && (c == '-' || c == '+') && tok[1] >= '0' && tok[1] <= '9') {
		num := strings.TrimRight(tok, "NM")
		if i, err := strconv.ParseInt(num, 10, 64); err == nil {
			return i, nil
		}
		if n, d, ok := strings.Cut(num, "/"); ok { // a ratio
			a, err1 := strconv.ParseFloat(n, 64)
			b, err2 := strconv.ParseFloat(d, 64)
			if err1 == nil && err2 == nil && b != 0 {
				return a / b, nil
			}
		}
		if f, err := strconv.ParseFloat(num, 64); err == nil {
			return f, nil
		}
		return nil, p.errorf("bad number %q", tok)
	}
	return Symbol(tok), nil
}

// Get follows a path of keys through nested maps: Get(v, Keyword(":net"),
// Keyword(":servers")). Numeric keys match int64 and float64 alike.
func Get(v any, path ...any) (any, bool) {
	for _, k := range path {
		m, ok := v.(map[any]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; ok {
			continue
		}
		f, isNum := number(k)
		if !isNum {
			return nil, false
		}
		found := false
		for mk, mv := range m {
			if g, ok := number(mk); ok && g == f {
				v, found = mv, true
				break
			}
		}
		if !found {
			return nil, false
		}
	}
	return v, true
}

// Number returns v as a float64 when it is a number.
func Number(v any) (float64, bool) { return number(v) }

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}
