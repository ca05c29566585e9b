package harness

import (
	"slices"
	"testing"

	"github.com/glomers/glomers/internal/edn"
	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// results.edn carries Maelstrom's verdict and figures where Maelstrom puts
// them, so scripts written against Maelstrom's store read it unchanged.
func TestResultsEDNHasMaelstromsShape(t *testing.T) {
	t.Parallel()
	o, res := storedEchoRun(t)
	v, err := edn.Parse(string(readLatest(t, o.Store, "results.edn")))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := edn.Get(v, edn.Keyword(":valid?")); got != res.MaelstromValid || got != true {
		t.Errorf(":valid? %v, maelstrom_valid %v", got, res.MaelstromValid)
	}
	if got, ok := edn.Get(v, edn.Keyword(":net"), edn.Keyword(":servers"), edn.Keyword(":msgs-per-op")); !ok || got != *res.Net.Servers.MsgsPerOp {
		t.Errorf(":net :servers :msgs-per-op %v, results.json %v", got, *res.Net.Servers.MsgsPerOp)
	}
	if got, _ := edn.Get(v, edn.Keyword(":stats"), edn.Keyword(":ok-count")); got != int64(res.Stats.OK) || res.Stats.OK == 0 {
		t.Errorf(":stats :ok-count %v, stats %d", got, res.Stats.OK)
	}
}

// Jepsen's stats checker fails a run in which some operation type never
// completed ok; kafka's crash operations, always indeterminate, do not
// count.
func TestStatsFailsAnOperationTypeThatNeverSucceeds(t *testing.T) {
	t.Parallel()
	var b history.Builder
	b.Add(history.Op{Type: history.Invoke, F: "add"})
	b.Add(history.Op{Type: history.OK, F: "add"})
	b.Add(history.Op{Type: history.Invoke, F: "crash"})
	b.Add(history.Op{Type: history.Info, F: "crash"})
	s := statsOf(b.History())
	if !s.Valid || s.ByF["crash"].Valid {
		t.Fatalf("with only crash failing: %+v", s)
	}
	b.Add(history.Op{Type: history.Invoke, F: "read"})
	b.Add(history.Op{Type: history.Fail, F: "read"})
	s = statsOf(b.History())
	a, bad := s.anomaly()
	if s.Valid || !bad || a.Kind != "stats" || s.ByF["read"].Fail != 1 || s.Count != 3 {
		t.Fatalf("with every read failed: %+v %+v", s, a)
	}
}

// A run whose only anomalies are the course's own rules is valid by
// Maelstrom's verdict and invalid by the strict one; Valid follows the
// verdict the run is judged by.
func TestJudgeSeparatesMaelstromAndStrict(t *testing.T) {
	t.Parallel()
	// The third entry is a summary of 5 more (package evidence).
	res := &Result{Workload: "broadcast", Anomalies: []workload.Anomaly{{Kind: "duplicate", Strict: true}, {Kind: "duplicate", Strict: true}, {Kind: "duplicate", Strict: true, More: 5}}}
	res.judge(workload.Valid, workload.Invalid, false)
	if !res.Valid || res.JudgedBy != "maelstrom" || res.StrictValid || len(res.StrictFindings) != 1 || res.StrictFindings[0].Count != 7 || res.StrictFindings[0].Why == "" {
		t.Fatalf("by Maelstrom: %+v", res)
	}
	res.judge(workload.Valid, workload.Invalid, true)
	if res.Valid || res.Verdict != "invalid" || res.JudgedBy != "strict" || !res.MaelstromValid {
		t.Fatalf("strict: %+v", res)
	}
}

// Without --node-count Maelstrom runs Jepsen's default nodes, n1 to n5;
// with it, n0 to n{N-1}.
func TestNodeNames(t *testing.T) {
	t.Parallel()
	o := Defaults()
	if got := nodeNames(o); !slices.Equal(got, []string{"n0", "n1", "n2", "n3", "n4"}) {
		t.Errorf("--node-count 5: %v", got)
	}
	o.JepsenNodes = true
	if got := nodeNames(o); !slices.Equal(got, []string{"n1", "n2", "n3", "n4", "n5"}) {
		t.Errorf("Jepsen's defaults: %v", got)
	}
	c := Config{Options: o}
	fs := c.FlagSet("test")
	if err := c.Parse(fs, []string{"--node-count", "3"}); err != nil || !c.NodeCountSet() {
		t.Fatalf("--node-count 3: %v, set %v", err, c.NodeCountSet())
	}
}
