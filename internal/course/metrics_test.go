package course

import (
	"testing"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/workload"
)

// Every metric a book target names is one the harness measures and one
// the course finds in real Maelstrom's results.edn: the book spells the
// names once, and both backends must understand each of them.
func TestBookMetricsAreMeasuredByBothRunners(t *testing.T) {
	per := 3.5
	res := &harness.Result{StableLatencyMS: workload.NewQuantiles([]float64{10, 20, 30})}
	res.Net.Servers.MsgsPerOp = &per
	seen := 0
	for _, s := range book.Steps() {
		for _, r := range s.Runs {
			for _, tg := range r.Targets {
				seen++
				if _, ok := res.Measure(tg.Metric); !ok {
					t.Errorf("step %s target %q: the harness does not measure %q", s.ID, tg.Name, tg.Metric)
				}
				if _, ok := ednMetric[tg.Metric]; !ok {
					t.Errorf("step %s target %q: no results.edn path for %q", s.ID, tg.Name, tg.Metric)
				}
			}
		}
	}
	if seen == 0 {
		t.Fatal("the book has no targets")
	}
	for _, m := range []string{book.MetricServerMsgsPerOp, book.MetricStableLatencyMedian, book.MetricStableLatencyMax} {
		if _, ok := ednMetric[m]; !ok {
			t.Errorf("no results.edn path for %q", m)
		}
	}
}
