package transcript

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/glomers/glomers/internal/proto"
)

// The wildcard strings of expected messages (see the package doc).
const (
	wildAny       = "<any>"
	wildInt       = "<int>"
	wildString    = "<string>"
	wildUnique    = "<unique>"
	wildUnordered = "<unordered>"
)

// decodeJSON decodes one JSON value, keeping numbers as their text so that
// integers of any size and the integer/float distinction survive.
func decodeJSON(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// MatchMessage reports whether got matches the expected message want, by
// the rules in the package doc. When it does not, the string names the
// first difference ("body.echo: want "a", got "b""). The values that
// matched "<unique>" wildcards are returned for the caller to check
// across the whole replay.
func MatchMessage(want, got proto.Message) (uniques []any, diff string) {
	m, diff := match(want, got)
	if diff != "" {
		return nil, diff
	}
	return m.uniques, ""
}

// match compares as MatchMessage does, and returns the matcher with what
// the wildcards captured.
func match(want, got proto.Message) (*matcher, string) {
	m := &matcher{}
	if d := m.value("src", want.Src, got.Src); d != "" {
		return nil, d
	}
	if d := m.value("dest", want.Dest, got.Dest); d != "" {
		return nil, d
	}
	w, err := decodeJSON(want.Body)
	if err != nil {
		return nil, "body: expected body is not JSON"
	}
	g, err := decodeJSON(got.Body)
	if err != nil {
		return nil, "body: not JSON"
	}
	if d := m.value("body", w, g); d != "" {
		return nil, d
	}
	return m, ""
}

type matcher struct {
	uniques  []any
	captures map[string]any // "<$name>" wildcard's name -> the value it matched
}

// captureName returns name for a "<$name>" capture wildcard.
func captureName(s string) (string, bool) {
	if len(s) > 3 && strings.HasPrefix(s, "<$") && strings.HasSuffix(s, ">") {
		return s[2 : len(s)-1], true
	}
	return "", false
}

// replaceCaptures replaces, in a decoded JSON value, every "<$name>"
// string by with(name): the captured value when a line is sent, a
// placeholder 0 when a line is only validated.
func replaceCaptures(v any, with func(name string) any) any {
	switch x := v.(type) {
	case string:
		if name, ok := captureName(x); ok {
			return with(name)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = replaceCaptures(e, with)
		}
	case []any:
		for i, e := range x {
			x[i] = replaceCaptures(e, with)
		}
	}
	return v
}

// value compares an expected and a received JSON value at path.
func (m *matcher) value(path string, want, got any) string {
	switch w := want.(type) {
	case string:
		switch w {
		case wildAny:
			return ""
		case wildUnique:
			m.uniques = append(m.uniques, got)
			return ""
		case wildInt:
			if n, ok := got.(json.Number); ok && isInteger(n) {
				return ""
			}
			return fmt.Sprintf("%s: want an integer, got %s", path, show(got))
		case wildString:
			if _, ok := got.(string); ok {
				return ""
			}
			return fmt.Sprintf("%s: want a string, got %s", path, show(got))
		}
		if name, ok := captureName(w); ok {
			if m.captures == nil {
				m.captures = map[string]any{}
			}
			m.captures[name] = got
			return ""
		}
		if g, ok := got.(string); ok && g == w {
			return ""
		}
	case json.Number:
		if g, ok := got.(json.Number); ok {
			return numbers(path, w, g)
		}
	case bool, nil:
		if got == want {
			return ""
		}
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			break
		}
		return m.object(path, w, g)
	case []any:
		g, ok := got.([]any)
		if !ok {
			if got == nil && len(w) == 0 {
				// Go's nil slice. Maelstrom's sequence schemas accept
				// null, so this rule is the course's own, and says so.
				return fmt.Sprintf("%s: want [], got null (real Maelstrom would accept null here and read it as an empty list; the course asks for [], as the challenge describes)", path)
			}
			break
		}
		if len(w) > 0 && w[0] == wildUnordered {
			return m.unordered(path, w[1:], g)
		}
		if len(w) != len(g) {
			return fmt.Sprintf("%s: want %d elements, got %d: %s", path, len(w), len(g), show(got))
		}
		for i := range w {
			if d := m.value(fmt.Sprintf("%s[%d]", path, i), w[i], g[i]); d != "" {
				return d
			}
		}
		return ""
	}
	return fmt.Sprintf("%s: want %s, got %s", path, show(want), show(got))
}

func (m *matcher) object(path string, want, got map[string]any) string {
	keys := make([]string, 0, len(want)+len(got))
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	// A message of the wrong type differs everywhere; say so first, not
	// through whichever of its fields sorts first. An error's code and
	// text say why the node gave up.
	if path == "body" {
		w, inWant := want["type"]
		g, inGot := got["type"]
		if inWant && inGot {
			if d := m.value("body.type", w, g); d != "" {
				if g == "error" {
					d += errorDetail(got)
				}
				return d
			}
		}
	}
	for _, k := range keys {
		w, inWant := want[k]
		g, inGot := got[k]
		switch {
		case !inGot:
			return fmt.Sprintf("%s: missing field %q (want %s)", path, k, show(w))
		case !inWant:
			// Maelstrom accepts an integer msg_id on any reply.
			if path == "body" && k == "msg_id" {
				if n, ok := g.(json.Number); ok && isInteger(n) {
					continue
				}
				return fmt.Sprintf("body.msg_id: want an integer, got %s", show(g))
			}
			return fmt.Sprintf("%s: unexpected field %q (%s)", path, k, show(g))
		}
		if d := m.value(path+"."+k, w, g); d != "" {
			return d
		}
	}
	return ""
}

// errorDetail describes an error body's code and text, if it has them.
func errorDetail(body map[string]any) string {
	var parts []string
	if c, ok := body["code"]; ok {
		parts = append(parts, "code "+show(c))
	}
	if t, ok := body["text"]; ok {
		parts = append(parts, show(t))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ": ") + ")"
}

// unordered compares arrays as multisets: every expected element must
// match a distinct received element, and nothing may be left over.
func (m *matcher) unordered(path string, want, got []any) string {
	if len(want) != len(got) {
		return fmt.Sprintf("%s: want %d elements in any order, got %d: %s", path, len(want), len(got), show(got))
	}
	ok := func(i, j int) bool {
		return (&matcher{}).value(path, want[i], got[j]) == ""
	}
	pair, unmatched := assign(len(want), len(got), ok)
	if unmatched >= 0 {
		return fmt.Sprintf("%s: no element matches %s (in any order): %s", path, show(want[unmatched]), show(got))
	}
	for i, j := range pair {
		m.value(path, want[i], got[j]) // collect the wildcards' captures
	}
	return ""
}

// substitute replaces the "<$name>" strings in a JSON line by the values
// captured under those names, and says which name was never captured.
func substitute(raw string, captures map[string]any) (string, error) {
	if !strings.Contains(raw, `"<$`) {
		return raw, nil
	}
	v, err := decodeJSON([]byte(raw))
	if err != nil {
		return "", err
	}
	var missing string
	v = replaceCaptures(v, func(name string) any {
		c, found := captures[name]
		if !found && missing == "" {
			missing = name
		}
		return c
	})
	if missing != "" {
		return "", fmt.Errorf("%q is not captured by any earlier line", "<$"+missing+">")
	}
	return canonical(v), nil
}

// assign finds a perfect matching between n expected and n received items
// (Kuhn's augmenting paths; transcripts are small). pair[i] is the received
// item given to expected item i. When there is none, unmatched is an
// expected item left without a partner in a maximum matching; otherwise
// it is -1.
func assign(nWant, nGot int, ok func(want, got int) bool) (pair []int, unmatched int) {
	owner := make([]int, nGot) // owner[j]: the expected item holding got j
	for j := range owner {
		owner[j] = -1
	}
	var try func(i int, seen []bool) bool
	try = func(i int, seen []bool) bool {
		for j := 0; j < nGot; j++ {
			if seen[j] || !ok(i, j) {
				continue
			}
			seen[j] = true
			if owner[j] < 0 || try(owner[j], seen) {
				owner[j] = i
				return true
			}
		}
		return false
	}
	unmatched = -1
	for i := 0; i < nWant; i++ {
		if !try(i, make([]bool, nGot)) && unmatched < 0 {
			unmatched = i
		}
	}
	pair = make([]int, nWant)
	for i := range pair {
		pair[i] = -1
	}
	for j, i := range owner {
		if i >= 0 {
			pair[i] = j
		}
	}
	return pair, unmatched
}

func isInteger(n json.Number) bool {
	return !strings.ContainsAny(n.String(), ".eE")
}

// numbers compares two JSON numbers by value; an integer never equals a
// float, as in Maelstrom's schemas.
func numbers(path string, want, got json.Number) string {
	if isInteger(want) != isInteger(got) {
		kind := "a float"
		if isInteger(want) {
			kind = "an integer"
		}
		return fmt.Sprintf("%s: want %s, got %s (%s)", path, want, got, kind+" is required")
	}
	// Rationals hold any JSON number exactly, however long.
	w, ok1 := new(big.Rat).SetString(want.String())
	g, ok2 := new(big.Rat).SetString(got.String())
	if ok1 && ok2 && w.Cmp(g) == 0 {
		return ""
	}
	return fmt.Sprintf("%s: want %s, got %s", path, want, got)
}

// show renders a decoded value for an error message, shortened.
func show(v any) string {
	s := canonical(v)
	if len(s) > 120 {
		s = s[:120] + "..."
	}
	return s
}

// canonical is the identity of a value for "<unique>", also how errors
// show it: its JSON with object keys sorted and no HTML escaping.
func canonical(v any) string {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
