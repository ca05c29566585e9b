package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/store"
	"github.com/glomers/glomers/internal/workload/registry"
)

// silentRun is a broadcast run where n1 answered two broadcasts and then
// nothing (three requests timed out), and no read was ever answered: the
// checker had nothing to judge.
func silentRun(t *testing.T) *harness.Result {
	dir := t.TempDir()
	var b history.Builder
	ms := time.Millisecond
	b.Add(history.Op{Time: 10 * ms, Type: history.Invoke, Process: 0, F: "broadcast", Value: history.Value(1), Node: "n1", Client: "c3"})
	b.Add(history.Op{Time: 11 * ms, Type: history.OK, Process: 0, F: "broadcast", Value: history.Value(1), Node: "n1", Client: "c3"})
	b.Add(history.Op{Time: 20 * ms, Type: history.Invoke, Process: 0, F: "broadcast", Value: history.Value(2), Node: "n1", Client: "c3"})
	b.Add(history.Op{Time: 21 * ms, Type: history.OK, Process: 0, F: "broadcast", Value: history.Value(2), Node: "n1", Client: "c3"})
	b.Add(history.Op{Time: 30 * ms, Type: history.Invoke, Process: 0, F: "broadcast", Value: history.Value(3), Node: "n1", Client: "c3"})
	b.Add(history.Op{Time: 5030 * ms, Type: history.Info, Process: 0, F: "broadcast", Error: "timeout", Node: "n1", Client: "c3"})
	b.Add(history.Op{Time: 5040 * ms, Type: history.Invoke, Process: 1, F: "read", Node: "n1", Client: "c4"})
	b.Add(history.Op{Time: 10040 * ms, Type: history.Fail, Process: 1, F: "read", Error: "timeout", Node: "n1", Client: "c4"})
	b.Add(history.Op{Time: 10050 * ms, Type: history.Invoke, Process: 2, F: "read", Node: "n1", Client: "c5"})
	b.Add(history.Op{Time: 15050 * ms, Type: history.Fail, Process: 2, F: "read", Error: "timeout", Node: "n1", Client: "c5"})
	var log strings.Builder
	for i := 1; i <= 20; i++ {
		log.WriteString("line " + strings.Repeat("x", i%3) + "\n")
	}
	log.WriteString("handling broadcast 3: waiting for the lock\n")
	must(t, os.MkdirAll(filepath.Join(dir, "node-logs"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "node-logs", "n1.log"), []byte(log.String()), 0o644))
	return &harness.Result{
		Verdict: "unknown", Workload: "broadcast", Seed: 7, StoreDir: dir, NodeLogs: store.OpenLogs(dir),
		Options: harness.EffectiveOptions{NodeCount: 2, TimeLimit: 3, Rate: 10},
		Ops:     harness.OpCounts{Invoked: 5, OK: 2, Fail: 2, Info: 1},
		History: b.History(),
	}
}

func TestTimeoutsAreExplained(t *testing.T) {
	res := silentRun(t)
	ex := Explain(res, Gather(res))
	if len(ex) != 1 || ex[0].Anomaly.Kind != KindTimeout {
		t.Fatalf("explanations %+v", ex)
	}
	e := ex[0]
	if want := "3 requests timed out without a reply: 2 read to n1, 1 broadcast to n1"; e.Anomaly.Message != want {
		t.Errorf("message %q, want %q", e.Anomaly.Message, want)
	}
	if want := "n1 answered 2 requests, then none from op 4 at 0.030 s on: it went silent; 3 timed out (read ×2, broadcast ×1)"; len(e.Trail) != 2 || e.Trail[1] != want {
		t.Errorf("trail %q, want %q", e.Trail, want)
	}
	if len(e.Logs) != 1 || len(e.Logs[0].Lines) != tailLines || e.Logs[0].Lines[tailLines-1].Text != "handling broadcast 3: waiting for the lock" || e.Logs[0].Lines[tailLines-1].N != 21 {
		t.Errorf("logs %+v", e.Logs)
	}
	// No partition in this run: none is blamed.
	if strings.Contains(e.Meaning.Text, "partition") || !strings.Contains(e.Meaning.Text, "deadlock") {
		t.Errorf("meaning %q", e.Meaning.Text)
	}

	var out bytes.Buffer
	Explained(&out, res, ex, nil)
	for _, want := range []string{
		"? UNKNOWN: the history held too little to judge; 3 requests timed out\n",
		"  Requests timed out (timeout)\n",
		"    n1's last log lines, where it stopped (node-logs/n1.log):\n",
		"       21  handling broadcast 3: waiting for the lock\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}

	// With partitions, a handler waiting across one is a possible cause.
	res.Nemesis = []harness.NemesisRecord{{Time: time.Second, Kind: "start-partition", Description: "partition x"}}
	if ex := Explain(res, Gather(res)); !strings.Contains(ex[0].Meaning.Text, "across a partition") {
		t.Errorf("partitioned run's meaning %q", ex[0].Meaning.Text)
	}
	// A run that passed despite timeouts is not told about them.
	res.Valid, res.Verdict = true, "valid"
	if ex := Explain(res, Gather(res)); len(ex) != 0 {
		t.Errorf("a valid run got %+v", ex)
	}
}

// Words for runs without partitions replace kinds that exist, and blame
// no partition; a partitioned run keeps the usual words.
func TestMeaningsFitTheRun(t *testing.T) {
	for k, m := range calmMeanings {
		if !hasUsualMeaning(k) {
			t.Errorf("calm meaning for %q, a kind with no usual meaning", k)
		}
		if strings.Contains(strings.ReplaceAll(m.Text, "no partitions", ""), "partition") {
			t.Errorf("%q's words for a calm run blame a partition: %q", k, m.Text)
		}
	}
	res := &harness.Result{Workload: "broadcast"}
	calm, _ := meaningFor(res, "lost")
	res.Options.Nemesis = []string{"partition"}
	stormy, _ := meaningFor(res, "lost")
	if calm == stormy || !strings.Contains(stormy.Text, "partition") {
		t.Errorf("lost: calm %q, partitioned %q", calm.Text, stormy.Text)
	}
}

// Many silent nodes: the first few are named, the rest counted.
func TestManySilentNodesAreCounted(t *testing.T) {
	var b history.Builder
	for i := range 10 {
		node := fmt.Sprintf("n%d", i)
		at := time.Duration(i) * time.Millisecond
		b.Add(history.Op{Time: at, Type: history.Invoke, Process: i, F: "read", Node: node, Client: fmt.Sprintf("c%d", i+10)})
	}
	for i := range 10 {
		b.Add(history.Op{Time: 5 * time.Second, Type: history.Fail, Process: i, F: "read", Error: "timeout", Node: fmt.Sprintf("n%d", i), Client: fmt.Sprintf("c%d", i+10)})
	}
	res := &harness.Result{Verdict: "unknown", Workload: "broadcast", History: b.History()}
	ex, ok := explainTimeouts(res, Evidence{})
	if !ok {
		t.Fatal("no explanation")
	}
	if !strings.HasSuffix(ex.Anomaly.Message, ", 1 read to n5, and 4 more") {
		t.Errorf("message %q", ex.Anomaly.Message)
	}
	if len(ex.Trail) != 8 || ex.Trail[7] != "... and 4 more nodes" || ex.Trail[1] != "n0 never answered a request: 1 timed out (read ×1)" {
		t.Errorf("trail %q", ex.Trail)
	}
	if !strings.Contains(ex.Meaning.Text, "answers nothing") {
		t.Errorf("meaning %q", ex.Meaning.Text)
	}
}

// hasUsualMeaning reports whether a key of calmMeanings ("kind" or
// "workload/kind") names a kind some workload or the harness explains.
func hasUsualMeaning(key string) bool {
	wl, kind, scoped := strings.Cut(key, "/")
	if scoped {
		_, ok := MeaningOf(wl, kind)
		return ok
	}
	for _, wl := range registry.Names() {
		if _, ok := MeaningOf(wl, key); ok {
			return true
		}
	}
	return false
}
