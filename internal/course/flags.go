package course

import "strings"

// DropFlags removes the flags named in drop (and their values, when the
// map says they take one) from tokens, the flag tokens of a command line
// ("--nemesis", "partition", "--quick").
func DropFlags(tokens []string, drop map[string]bool) []string {
	var out []string
	for i := 0; i < len(tokens); i++ {
		name, _, hasValue := strings.Cut(strings.TrimLeft(tokens[i], "-"), "=")
		takesValue, ours := drop[name]
		if !ours || !strings.HasPrefix(tokens[i], "-") {
			out = append(out, tokens[i])
			continue
		}
		if takesValue && !hasValue {
			i++ // skip the value too
		}
	}
	return out
}

// notMaelstrom are the flags of Options.Overrides that real Maelstrom's
// test command does not take, or that check gives its own meaning
// (--json); the value says whether the flag takes a value.
var notMaelstrom = map[string]bool{"json": false, "keep": true, "strict": false}

// MaelstromArgs are the learner's overrides that change a run as
// Maelstrom would see them: what a check shows as "overridden" and
// passes on to real Maelstrom.
func MaelstromArgs(overrides []string) []string { return DropFlags(overrides, notMaelstrom) }

// sameTestFlags change where a run's results go, how they print, or which
// random choices it makes, but not what it tests; the value says whether
// the flag takes a value.
var sameTestFlags = map[string]bool{"json": false, "log-stderr": false, "store": true, "seed": true, "keep": true}
