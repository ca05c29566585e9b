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
	if got[0].Ops[0] != 0 || got[1].Ops[0] != 1 || got[2].Kind != "duplicate" {
		t.Errorf("kept anomalies out of order: %+v", got)
	}
	sum := got[3]
	if sum.Kind != "lost" || !strings.HasPrefix(sum.Message, "3 more lost") {
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
