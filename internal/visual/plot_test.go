package visual

import (
	"strings"
	"testing"

	"github.com/glomers/glomers/internal/history"
)

// opsHistory builds a history of one process per op, from (invoke ms,
// complete ms, type, f) tuples.
func opsHistory(ops ...[4]any) history.History {
	var b history.Builder
	for p, o := range ops {
		b.Add(history.Op{Time: ms(o[0].(int)), Type: history.Invoke, Process: p, F: o[3].(string)})
		b.Add(history.Op{Time: ms(o[1].(int)), Type: o[2].(history.Type), Process: p, F: o[3].(string)})
	}
	return b.History()
}

func TestLatencyPlotDistinguishesOutcomes(t *testing.T) {
	h := opsHistory(
		[4]any{0, 5, history.OK, "broadcast"},
		[4]any{100, 150, history.Fail, "read"},
		[4]any{200, 5200, history.Info, "read"},
	)
	svg := LatencyPlot(h, []Interval{{Start: ms(50), End: ms(120), Label: "n0 | n1"}})
	wellFormed(t, svg)
	s := string(svg)
	for _, want := range []string{
		"op 0 broadcast ok: 5.00 ms", "op 2 read fail: 50.00 ms", "op 4 read info: 5000.00 ms",
		colOK, colFail, colInfo, // colours by outcome
		`class="partition"`, "latency (ms, log scale)",
		"<circle", "<rect x=", // shapes by function
	} {
		if !strings.Contains(s, want) {
			t.Errorf("latency plot lacks %q", want)
		}
	}
}

func TestLatencyPlotSamplesLongRuns(t *testing.T) {
	var ops [][4]any
	for i := range MaxPoints + 10 {
		ops = append(ops, [4]any{i, i + 1, history.OK, "echo"})
	}
	svg := LatencyPlot(opsHistory(ops...), nil)
	wellFormed(t, svg)
	if n := strings.Count(string(svg), "<circle"); n > MaxPoints/2+10 {
		t.Errorf("%d points drawn for %d operations; want a sample of at most about %d", n, MaxPoints+10, MaxPoints/2)
	}
	if !strings.Contains(string(svg), "every 2th of 20010 operations shown") {
		t.Errorf("sampled plot does not say so")
	}
}

func TestLatencyPlotOfNothing(t *testing.T) {
	svg := LatencyPlot(nil, nil)
	wellFormed(t, svg)
	if !strings.Contains(string(svg), "no operation completed") {
		t.Errorf("empty plot does not say why")
	}
}

func TestRatePlotCountsCompletionsPerSecond(t *testing.T) {
	var ops [][4]any
	for i := range 20 { // 20 ok in the first second
		ops = append(ops, [4]any{i * 50, i*50 + 1, history.OK, "echo"})
	}
	ops = append(ops, [4]any{1500, 1600, history.Fail, "echo"})
	svg := RatePlot(opsHistory(ops...), nil)
	wellFormed(t, svg)
	s := string(svg)
	if !strings.Contains(s, "<title>ok</title>") || !strings.Contains(s, "<title>fail (definitely did not happen)</title>") {
		t.Errorf("rate plot lacks the ok or fail line:\n%s", s)
	}
	if strings.Contains(s, "info (unknown") {
		t.Errorf("rate plot draws an info line for a run without info ops")
	}
	// 21 completions in 1.6 s: 5 buckets would be 320 ms; the step is
	// rounded up to 500 ms.
	if !strings.Contains(s, "(500 ms buckets)") {
		t.Errorf("unexpected bucket size:\n%s", s)
	}
}

func TestNiceStep(t *testing.T) {
	for _, c := range []struct {
		span float64
		n    int
		want float64
	}{{60, 10, 10}, {3, 10, 0.5}, {1.6, 60, 0.05}, {1, 5, 0.2}, {0, 5, 1}, {7500, 5, 2000}} {
		if got := niceStep(c.span, c.n); got != c.want {
			t.Errorf("niceStep(%g, %d) = %g, want %g", c.span, c.n, got, c.want)
		}
	}
}
