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

// A malformed reply is a strict finding: Maelstrom records the operation
// as info and its checkers judge the history, so its verdict stays
// valid when they find nothing; the course fails the run. The anomaly's
// one-line message names the node, the operation and what was wrong,
// whichever prefix the client put before the error.
func TestMalformedReplyIsStrict(t *testing.T) {
	t.Parallel()
	var b history.Builder
	b.Add(history.Op{Type: history.Invoke, F: "echo", Value: history.Value("a"), Node: "n1"})
	b.Add(history.Op{Type: history.OK, F: "echo", Value: history.Value("a"), Node: "n1"})
	b.Add(history.Op{Type: history.Invoke, F: "echo", Value: history.Value("b"), Node: "n2"})
	b.Add(history.Op{Type: history.Info, F: "echo", Node: "n2",
		Error: `indeterminate: malformed reply "{\"type\":\"echo_ok\",\"extra\":1}": unknown field "extra"`})
	res := &Result{Workload: "echo", History: b.History()}
	res.check(okWL{}, workload.Options{}, Options{})
	if !res.MaelstromValid || res.StrictValid || !res.Valid || res.JudgedBy != "maelstrom" {
		t.Fatalf("maelstrom %s, strict %s, valid %v; want valid, invalid, judged by Maelstrom", res.MaelstromVerdict, res.StrictVerdict, res.Valid)
	}
	if len(res.Anomalies) != 1 || res.Anomalies[0].Kind != "malformed-reply" || !res.Anomalies[0].Strict ||
		!slices.Equal(res.Anomalies[0].Ops, []int{3}) {
		t.Fatalf("anomalies %+v, want one strict malformed-reply of op 3", res.Anomalies)
	}
	want := `n2 answered op 3 (echo) with a malformed reply "{\"type\":\"echo_ok\",\"extra\":1}": unknown field "extra"; real Maelstrom records the operation as indeterminate`
	if got := res.Anomalies[0].Message; got != want {
		t.Errorf("message\n got %s\nwant %s", got, want)
	}
	if len(res.StrictFindings) != 1 || res.StrictFindings[0].Rule != "malformed-reply" || res.StrictFindings[0].Why == "" {
		t.Errorf("strict findings %+v", res.StrictFindings)
	}
}

// okWL is a workload whose checker finds nothing.
type okWL struct{ echoWL }

func (okWL) Check(history.History, workload.Options) workload.Result {
	return workload.Result{Validity: workload.Valid}
}
