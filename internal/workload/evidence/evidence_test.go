package evidence

import (
	"slices"
	"strings"
	"testing"

	"github.com/glomers/glomers/internal/workload"
)

func TestCollectorKeepsFirstOfEachKindAndSummarisesTheRest(t *testing.T) {
	c := Collector{Limit: 2}
	for i := range 5 {
		if full := c.Full("lost"); full != (i >= 2) {
			t.Errorf("after %d lost, Full = %v", i, full)
		}
		c.Add(workload.Anomaly{Kind: "lost", Message: "l", Ops: []int{i}})
	}
	c.Add(workload.Anomaly{Kind: "duplicate", Message: "d", Ops: []int{9}})
	got := c.Anomalies()
	if c.Len() != 6 {
		t.Errorf("Len = %d, want 6", c.Len())
	}
	if len(got) != 4 {
		t.Fatalf("got %d anomalies, want 2 lost + 1 duplicate + 1 summary: %+v", len(got), got)
	}
	if got[0].Count() != 1 {
		t.Errorf("a kept anomaly counts %d, want 1", got[0].Count())
	}
	// The summary follows its kind's last kept anomaly.
	if got[0].Ops[0] != 0 || got[1].Ops[0] != 1 || got[3].Kind != "duplicate" {
		t.Errorf("kept anomalies out of order: %+v", got)
	}
	sum := got[2]
	if sum.Kind != "lost" || !strings.HasPrefix(sum.Message, "3 more lost") || sum.More != 3 || sum.Count() != 3 {
		t.Errorf("summary = %+v, want 3 more lost", sum)
	}
	if len(sum.Ops) != 3 || sum.Ops[0] != 2 || sum.Ops[2] != 4 {
		t.Errorf("summary ops = %v, want [2 3 4]", sum.Ops)
	}
}

func TestCollectorEmpty(t *testing.T) {
	var c Collector
	if got := c.Anomalies(); got != nil || c.Len() != 0 {
		t.Errorf("empty collector gave %v, %d", got, c.Len())
	}
}

func TestCollectorDefaultLimit(t *testing.T) {
	var c Collector
	for range DefaultLimit + 1 {
		c.Add(workload.Anomaly{Kind: "k"})
	}
	if got := len(c.Anomalies()); got != DefaultLimit+1 {
		t.Errorf("got %d anomalies, want %d kept + 1 summary", got, DefaultLimit)
	}
}

// A checker that splits and sorts its findings itself gets the kept ones
// and the counts, and Summarize puts each overflowing kind's summary
// after that kind's last entry in whichever list holds the kind.
func TestCollectorTalliesForCheckersThatListThemselves(t *testing.T) {
	var empty Collector
	if empty.Counts() != nil || empty.Kept() != nil || empty.Summarize(nil) != nil {
		t.Errorf("an empty collector tallies something")
	}
	c := Collector{Limit: 1}
	for i := range 3 {
		c.Add(workload.Anomaly{Kind: "z", Ops: []int{i}})
	}
	c.Add(workload.Anomaly{Kind: "a"})
	kept := c.Kept()
	if len(kept) != 2 || kept[0].Kind != "z" || kept[1].Kind != "a" {
		t.Errorf("Kept = %+v", kept)
	}
	if c.Dropped("z") != 2 || c.Dropped("a") != 0 {
		t.Errorf("Dropped z %d, a %d", c.Dropped("z"), c.Dropped("a"))
	}
	if got := c.Counts(); got["z"] != 3 || got["a"] != 1 || len(got) != 2 {
		t.Errorf("Counts = %v", got)
	}
	// z sorted after a: its summary follows it, at the end.
	got := c.Summarize([]workload.Anomaly{kept[1], kept[0]})
	if len(got) != 3 || got[0].Kind != "a" || got[1].Kind != "z" || got[2].Kind != "z" || got[2].More != 2 ||
		!slices.Equal(got[2].Ops, []int{1, 2}) || got[2].Message != "2 more z anomalies like the ones above, not listed one by one" {
		t.Errorf("Summarize = %+v", got)
	}
	// A list without z (a's notes, say) gets no summary of it.
	if got := c.Summarize([]workload.Anomaly{kept[1]}); len(got) != 1 {
		t.Errorf("Summarize of a list without z = %+v", got)
	}
	n := 0
	for _, a := range got {
		n += a.Count()
	}
	if n != 4 {
		t.Errorf("the entries count %d anomalies, want 4", n)
	}
}

// Where some unlisted anomalies of a kind were Strict (a rule real
// Maelstrom lacks) and some not, the summary is one entry of each, so a
// run's Maelstrom verdict, which any non-strict anomaly fails, stays
// what the anomalies say.
func TestCollectorSummaryKeepsStrictApart(t *testing.T) {
	c := Collector{Limit: 1}
	for i, strict := range []bool{false, true, true, false, true} {
		c.Add(workload.Anomaly{Kind: "skip", Ops: []int{i}, Strict: strict})
	}
	got := c.Anomalies()
	if len(got) != 3 || got[1].More != 1 || got[1].Strict || got[2].More != 3 || !got[2].Strict {
		t.Errorf("Anomalies = %+v, want the kept one, then 1 not strict and 3 strict", got)
	}
	c = Collector{Limit: 1}
	for i := range 3 {
		c.Add(workload.Anomaly{Kind: "skip", Ops: []int{i}, Strict: true})
	}
	if got := c.Anomalies(); len(got) != 2 || !got[1].Strict || got[1].More != 2 {
		t.Errorf("all strict: Anomalies = %+v, want one strict summary of 2", got)
	}
}
