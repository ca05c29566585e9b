package edn

import (
	"strings"
	"testing"
)

// What Write writes, Parse reads back to the same values, and the text is
// what Clojure would print.
func TestWriteRoundTrip(t *testing.T) {
	v := Map{
		{Keyword(":valid?"), true},
		{Keyword(":net"), Map{{Keyword(":servers"), Map{{Keyword(":msg-count"), 12}, {Keyword(":msgs-per-op"), 2.0}}}}},
		{Keyword(":latencies"), Map{{0, 1.5}, {0.5, int64(3)}, {1, nil}}},
		{Keyword(":by-f"), map[Keyword]any{":read": "x\"y", ":add": []any{false, Symbol("s")}}},
	}
	var b strings.Builder
	if err := Write(&b, v); err != nil {
		t.Fatal(err)
	}
	want := `{:valid? true, :net {:servers {:msg-count 12, :msgs-per-op 2.0}}, :latencies {0 1.5, 0.5 3, 1 nil}, :by-f {:add [false s], :read "x\"y"}}` + "\n"
	if b.String() != want {
		t.Fatalf("got  %s\nwant %s", b.String(), want)
	}
	p, err := Parse(b.String())
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := Get(p, Keyword(":net"), Keyword(":servers"), Keyword(":msgs-per-op")); got != 2.0 {
		t.Errorf(":msgs-per-op read back as %v", got)
	}
	if got, _ := Get(p, Keyword(":latencies"), 0.5); got != int64(3) {
		t.Errorf("latency 0.5 read back as %v", got)
	}
}

func TestFormatFloat(t *testing.T) {
	for f, want := range map[float64]string{1: "1.0", 0.25: "0.25", 1e-4: "1.0E-4", 12345678: "1.2345678E7", -2.5: "-2.5", 0: "0.0"} {
		if got := formatFloat(f); got != want {
			t.Errorf("formatFloat(%v) = %s, want %s", f, got, want)
		}
	}
	if err := Write(&strings.Builder{}, struct{}{}); err == nil {
		t.Error("a struct was written")
	}
}
