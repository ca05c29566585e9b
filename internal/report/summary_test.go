package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/workload"
)

// The summary lists an anomaly's operations after its message only when
// the message does not already name them all.
func TestOpsSuffix(t *testing.T) {
	tests := []struct {
		msg  string
		ops  []int
		want string
	}{
		{"value 1 was acknowledged at op 23, but the last reads did not have it (ops 165, 166 and 167)", []int{23, 165, 166, 167}, ""},
		{"T3 (op 7) read x=2 written by T5 (op 9)", []int{7, 9}, ""},
		{"id 4 was returned twice", []int{3, 8}, " (ops 3, 8)"},
		{"value 1 was lost (op 23)", []int{23, 165}, " (ops 23, 165)"},
		{"read 165 items", []int{165}, " (ops 165)"}, // a number, not an op
		{"op 12 timed out", nil, ""},
		{"nine at once", []int{1, 2, 3, 4, 5, 6, 7, 8, 9}, " (ops 1, 2, 3, 4, 5, 6, 7, 8, +1 more)"},
		// A list the message shortened is not printed again in full.
		{"value 0 was acknowledged at op 1 but the last 149 reads did not have it (ops 2, 4, 14, ...)", []int{1, 2, 4, 14, 20, 28}, ""},
	}
	for _, tt := range tests {
		if got := opsSuffix(workload.Anomaly{Kind: "k", Message: tt.msg, Ops: tt.ops}); got != tt.want {
			t.Errorf("opsSuffix(%q, %v) = %q, want %q", tt.msg, tt.ops, got, tt.want)
		}
	}
}

// Many anomalies of one kind: three listed, the rest counted; the cap on
// lines counts what it leaves out.
func TestListAnomaliesCountsTheRest(t *testing.T) {
	var as []workload.Anomaly
	for i := range 21 {
		as = append(as, workload.Anomaly{Kind: "lost", Message: fmt.Sprintf("value %d", i)})
	}
	as = append(as, workload.Anomaly{Kind: "unexpected", Message: "u"})
	var b strings.Builder
	listAnomalies(&b, as)
	want := "  lost: value 0\n  lost: value 1\n  lost: value 2\n  ... and 18 more lost\n  unexpected: u\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	as = nil
	for i := range 14 {
		as = append(as, workload.Anomaly{Kind: fmt.Sprint("k", i), Message: "m"})
	}
	b.Reset()
	listAnomalies(&b, as)
	if !strings.HasSuffix(b.String(), "  k11: m\n  ... and 2 more in results.json\n") {
		t.Errorf("got\n%s", b.String())
	}
}

// A collector's summary entry stands for every anomaly it left out: a run
// with 9,843 duplicated ids, 20 listed and one summary, is "×9843" and
// "9840 more", not "×21" and "18 more".
func TestSummaryCountsWhatASummaryStandsFor(t *testing.T) {
	var as []workload.Anomaly
	for i := range 20 {
		as = append(as, workload.Anomaly{Kind: "duplicate-id", Message: fmt.Sprintf("id %d", i)})
	}
	as = append(as, workload.Anomaly{Kind: "duplicate-id", Message: "9823 more", More: 9823})
	var b strings.Builder
	listAnomalies(&b, as)
	if want := "  ... and 9840 more duplicate-id\n"; !strings.HasSuffix(b.String(), want) {
		t.Errorf("list ends\n%s\nwant %q", b.String(), want)
	}
	res := &harness.Result{Verdict: "invalid", Anomalies: as}
	if got, want := verdictLine(res), "✗ INVALID: duplicate-id ×9843"; got != want {
		t.Errorf("verdictLine = %q, want %q", got, want)
	}
	ex := make([]Explanation, len(as))
	for i, a := range as {
		ex[i] = Explanation{Anomaly: a, Ops: []OpLine{{Index: i, Text: fmt.Sprint("op ", i)}}}
	}
	b.Reset()
	explain(&b, ex)
	if !strings.Contains(b.String(), "(duplicate-id ×9843)") || !strings.Contains(b.String(), "... and 9840 more\n") {
		t.Errorf("explain wrote\n%s", b.String())
	}
}

// Explain details a bounded number of anomalies, but a kind past the
// bound still counts in full in "What went wrong": kafka-drops listed 20
// lost-write, 20 int-poll-skip and 20 poll-skip with their summaries, and
// the third kind's heading said ×19 where the verdict line said ×361.
func TestWhatWentWrongCountsKindsPastTheBound(t *testing.T) {
	var as []workload.Anomaly
	for _, kind := range []string{"lost-write", "int-poll-skip", "poll-skip"} {
		for i := range 20 {
			as = append(as, workload.Anomaly{Kind: kind, Message: fmt.Sprintf("%s %d", kind, i), Ops: []int{i}})
		}
		as = append(as, workload.Anomaly{Kind: kind, Message: "341 more", More: 341})
	}
	res := &harness.Result{Verdict: "invalid", Anomalies: as}
	var b strings.Builder
	explain(&b, Explain(res, Evidence{}))
	for _, want := range []string{"(lost-write ×361)", "(int-poll-skip ×361)", "(poll-skip ×361)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("no %q in\n%s", want, b.String())
		}
	}
}

// A valid run that misses a step's target keeps Maelstrom's line but says
// the step does not pass; a run that meets its targets does not.
func TestSummaryValidButTargetMissed(t *testing.T) {
	for _, tc := range []struct {
		met  bool
		want bool
	}{{met: false, want: true}, {met: true, want: false}} {
		res := &harness.Result{Verdict: "valid", Valid: true,
			Targets: []harness.Target{{Name: "messages per op", Limit: 30, Value: 35, Met: tc.met}}}
		var b strings.Builder
		Summary(&b, res)
		out := b.String()
		if !strings.Contains(out, GoodLine) {
			t.Errorf("met=%v: no %q in:\n%s", tc.met, GoodLine, out)
		}
		if got := strings.Contains(out, "the step does not pass yet"); got != tc.want {
			t.Errorf("met=%v: says the step does not pass: %v, want %v; output:\n%s", tc.met, got, tc.want, out)
		}
	}
}
