package edn

import (
	"strings"
	"testing"
)

// A trimmed results.edn as Maelstrom writes it for a 3d run.
const results = `{:perf {:latency-graph {:valid? true}, :valid? true},
 :net {:all {:send-count 1, :msgs-per-op 6.41},
       :servers {:send-count 8836, :recv-count 8836, :msg-count 8836, :msgs-per-op 4.36},
       :valid? true},
 :workload {:worst-stale (), :stable-count 1012,
            :stable-latencies {0 0, 0.5 219, 0.95 260, 0.99 270, 1 282},
            :attempt-count 1012, :lost (), :lost-count 0, :valid? true},
 ; a comment
 :exceptions {:valid? true}, :when #inst "2026-11-25T10:00:00.000-00:00",
 :ratio 3/4, :big 12345678901234567890N, :s "a \"q\" b", #_ :discarded :kept :x,
 :valid? true}`

func TestParseResults(t *testing.T) {
	v, err := Parse(results)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path []any
		want any
	}{
		{[]any{Keyword(":valid?")}, true},
		{[]any{Keyword(":net"), Keyword(":servers"), Keyword(":msgs-per-op")}, 4.36},
		{[]any{Keyword(":workload"), Keyword(":stable-latencies"), 0.5}, int64(219)},
		{[]any{Keyword(":workload"), Keyword(":stable-latencies"), 1}, int64(282)},
		{[]any{Keyword(":when")}, "2026-11-25T10:00:00.000-00:00"},
		{[]any{Keyword(":ratio")}, 0.75},
		{[]any{Keyword(":big")}, 12345678901234567890.0},
		{[]any{Keyword(":s")}, `a "q" b`},
		{[]any{Keyword(":kept")}, Keyword(":x")},
	} {
		got, ok := Get(v, tc.path...)
		if !ok || got != tc.want {
			t.Errorf("Get %v = %v (%T), %v; want %v (%T)", tc.path, got, got, ok, tc.want, tc.want)
		}
	}
	if _, ok := Get(v, Keyword(":discarded")); ok {
		t.Error("#_ did not discard")
	}
	if lost, _ := Get(v, Keyword(":workload"), Keyword(":lost")); lost != nil {
		if l, ok := lost.([]any); !ok || len(l) != 0 {
			t.Errorf(":lost = %#v", lost)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"{:a 1", "line 1: unclosed collection"},
		{"{:a}", "odd number of forms"},
		{"\n\n]", "line 3: unexpected ']'"},
		{`"abc`, "unterminated string"},
		{"", "unexpected end of input"},
	} {
		if _, err := Parse(tc.in); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(results)
	f.Add(`#{1 2} (a b) [\c] #tag {:x -1.5e3}`)
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = Parse(s) // never panics
	})
}
