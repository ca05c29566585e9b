package evidence

import (
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
	if got[0].Ops[0] != 0 || got[1].Ops[0] != 1 || got[2].Kind != "duplicate" {
		t.Errorf("kept anomalies out of order: %+v", got)
	}
	sum := got[3]
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

// A checker that splits and sorts its findings itself gets the kept ones,
// the counts and one note per overflowing kind.
func TestCollectorTalliesForCheckersThatListThemselves(t *testing.T) {
	var empty Collector
	if empty.Counts() != nil || empty.NotListed() != nil || empty.Kept() != nil {
		t.Errorf("an empty collector tallies something")
	}
	c := Collector{Limit: 1}
	for i := range 3 {
		c.Add(workload.Anomaly{Kind: "z", Ops: []int{i}})
	}
	c.Add(workload.Anomaly{Kind: "a"})
	if kept := c.Kept(); len(kept) != 2 || kept[0].Kind != "z" || kept[1].Kind != "a" {
		t.Errorf("Kept = %+v", kept)
	}
	if c.Dropped("z") != 2 || c.Dropped("a") != 0 {
		t.Errorf("Dropped z %d, a %d", c.Dropped("z"), c.Dropped("a"))
	}
	if got := c.Counts(); got["z"] != 3 || got["a"] != 1 || len(got) != 2 {
		t.Errorf("Counts = %v", got)
	}
	notes := c.NotListed()
	if len(notes) != 1 || notes[0].Message != "2 more z anomalies are not listed (3 in all)" {
		t.Errorf("NotListed = %+v", notes)
	}
}
