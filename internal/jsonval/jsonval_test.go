package jsonval

import (
	"strings"
	"testing"
)

func TestCanonical(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{`1`, `1`},
		{` -0 `, `0`},
		{`-0`, `0`},
		{`-42`, `-42`},
		{`123456789012345678901234567890`, `123456789012345678901234567890`},
		{`1.0`, `1.0`},
		{`1.00`, `1.0`},
		{`1e2`, `100.0`},
		{`-0.0`, `0.0`},
		{`1e400`, `1e999`},
		{`0.1`, `0.1`},
		{`"1"`, `"1"`},
		{`"caf\u00e9"`, `"café"`},
		{`null`, `null`},
		{`true`, `true`},
		{`[1, "a", [null]]`, `[1,"a",[null]]`},
		{`{"b": 1, "a": {"d": 2.50, "c": []}}`, `{"a":{"c":[],"d":2.5},"b":1}`},
	}
	for _, tt := range tests {
		got, err := Canonical([]byte(tt.in))
		if err != nil || got != tt.want {
			t.Errorf("Canonical(%s) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestCanonicalRejects(t *testing.T) {
	for _, in := range []string{``, `{`, `1 2`, `[1,]`, `nope`, `+5`, `007`, `-`} {
		if got, err := Canonical([]byte(in)); err == nil {
			t.Errorf("Canonical(%q) = %q, want an error", in, got)
		}
	}
}

// Maelstrom compares ids and echoes with Clojure's =, under which an integer
// never equals a float or a string, and key order is irrelevant.
func TestEqual(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{`1`, `1`, true},
		{`1`, `1.0`, false},
		{`1`, `"1"`, false},
		{`1.0`, `1.000`, true},
		{`1.5`, `15e-1`, true},
		{`{"a":1,"b":2}`, `{ "b":2, "a":1 }`, true},
		{`[1,2]`, `[2,1]`, false},
		{`"Please echo 5"`, `"Please\u0020echo 5"`, true},
		{`null`, `null`, true},
		{`x`, `x`, false},
	}
	for _, tt := range tests {
		if got := Equal([]byte(tt.a), []byte(tt.b)); got != tt.want {
			t.Errorf("Equal(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestShort(t *testing.T) {
	long := `"` + strings.Repeat("é", 100) + `"`
	tests := []struct{ in, want string }{
		{``, `nothing`},
		{`{ "b":1,"a":2 }`, `{"a":2,"b":1}`},
		{`not json`, `"not json"`},
		{long, `"` + strings.Repeat("é", 39) + `...`},
	}
	for _, tt := range tests {
		if got := Short([]byte(tt.in)); got != tt.want {
			t.Errorf("Short(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
