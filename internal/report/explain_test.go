package report

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/store"
	"github.com/glomers/glomers/internal/visual"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/broadcast"
	"github.com/glomers/glomers/internal/workload/echo"
	"github.com/glomers/glomers/internal/workload/gcounter"
	"github.com/glomers/glomers/internal/workload/gset"
	"github.com/glomers/glomers/internal/workload/kafka"
	"github.com/glomers/glomers/internal/workload/txn"
	"github.com/glomers/glomers/internal/workload/txngraph"
	"github.com/glomers/glomers/internal/workload/uniqueids"
)

// Every anomaly kind a checker or the harness reports has plain words.
func TestEveryKindHasAMeaning(t *testing.T) {
	kinds := map[string][]string{
		"echo":       {echo.KindMismatch, echo.KindNotOK, echo.KindIncomplete, echo.KindMalformedHistory},
		"unique-ids": {uniqueids.KindDuplicate, uniqueids.KindMalformedHistory},
		"broadcast":  {broadcast.KindLost, broadcast.KindDuplicate, broadcast.KindUnexpected, broadcast.KindMalformedHistory},
		"g-counter": {gcounter.KindWrongFinalRead, gcounter.KindReadExceedsAdds, gcounter.KindNegativeRead,
			gcounter.KindMalformedOp, gcounter.KindMalformedHistory},
		"g-set": {gset.KindLost, gset.KindDuplicate, gset.KindUnexpected, gset.KindMalformedHistory},
		"pn-counter": {gcounter.KindWrongFinalRead, gcounter.KindReadExceedsAdds, gcounter.KindReadBelowAdds,
			gcounter.KindMalformedOp, gcounter.KindMalformedHistory},
		"kafka": {kafka.KindInconsistentOffsets, kafka.KindDuplicate, kafka.KindLostWrite, kafka.KindPollSkip,
			kafka.KindNonmonotonicPoll, kafka.KindIntPollSkip, kafka.KindIntNonmonotonicPoll, kafka.KindNonmonotonicSend,
			kafka.KindG1a, kafka.KindUnseen, kafka.KindUnknownMessage, kafka.KindCommitRegression,
			kafka.KindMalformedOp, kafka.KindMalformedHistory},
		"txn-rw-register": {txngraph.KindMalformed, txngraph.KindGarbage, txn.KindDuplicate, txngraph.KindFutureRead,
			txn.KindCyclicVersions, txngraph.KindG0, txngraph.KindG1a, txngraph.KindG1b, txngraph.KindG1c, txngraph.KindInternal,
			txngraph.KindLostUpdate, txngraph.KindGSingle, txngraph.KindG2, "bad-options", "malformed-history"},
	}
	// The harness's own kinds (internal/harness/result.go), for every
	// workload.
	harnessKinds := []string{"run-stopped", "interrupted", "node-crashed", "protocol", "init", "availability", "checker-error", "malformed-reply", "unexpected-reply", "stats"}
	for wl, ks := range kinds {
		for _, k := range append(ks, harnessKinds...) {
			m, ok := MeaningOf(wl, k)
			if !ok || m.Title == "" || m.Text == "" {
				t.Errorf("%s anomaly kind %q has no plain words", wl, k)
			}
		}
	}
	// One name, two meanings: the workload decides.
	b, _ := MeaningOf("broadcast", "duplicate")
	k, _ := MeaningOf("kafka", "duplicate")
	if b == k {
		t.Errorf("broadcast's and kafka's duplicate share a meaning: %q", b.Title)
	}
}

func TestRequestMatcher(t *testing.T) {
	m := RequestMatcher("c4", 3)
	for line, want := range map[string]bool{
		`2026/11/25 07:47:28 Received {c4 n0 {"echo":"x","msg_id":3,"type":"echo"}}`:                  true,
		`2026/11/25 07:47:28 Sent {"src":"n0","dest":"c4","body":{"in_reply_to":3,"type":"echo_ok"}}`: true,
		`2026/11/25 07:47:28 Received {c40 n0 {"msg_id":3,"type":"echo"}}`:                            false, // another client
		`2026/11/25 07:47:28 Received {c4 n0 {"msg_id":30,"type":"echo"}}`:                            false, // another request
		`2026/11/25 07:47:28 Received {c5 n0 {"msg_id":3,"type":"echo"}}`:                             false,
	} {
		if got := m(line); got != want {
			t.Errorf("match(%q) = %v, want %v", line, got, want)
		}
	}
}

func TestGrepLogKeepsContextAndMergesOverlaps(t *testing.T) {
	log := "a\nb\nHIT1\nc\nHIT2\nd\ne\nf\nHIT3\ng\nHIT4\n"
	got := GrepLog(strings.NewReader(log), func(s string) bool { return strings.HasPrefix(s, "HIT") }, 1, 3)
	var lines []string
	for _, l := range got {
		mark := " "
		if l.Match {
			mark = ">"
		}
		lines = append(lines, mark+l.Text)
	}
	want := []string{" b", ">HIT1", " c", ">HIT2", " d", " f", ">HIT3", " g"}
	if !reflect.DeepEqual(lines, want) {
		t.Fatalf("GrepLog = %q\nwant %q", lines, want)
	}
	if got[1].N != 3 {
		t.Errorf("HIT1 numbered %d, want 3", got[1].N)
	}
}

// echoRun is a failed echo run in a store directory: one bad echo (ops
// 2, 3) by c4 on n0, whose request had msg_id 2.
func echoRun(t *testing.T) *harness.Result {
	dir := t.TempDir()
	var b history.Builder
	b.Add(history.Op{Time: 10 * time.Millisecond, Type: history.Invoke, Process: 0, F: "echo", Value: history.Value("hi 1"), Node: "n0", Client: "c4"})
	b.Add(history.Op{Time: 11 * time.Millisecond, Type: history.OK, Process: 0, F: "echo", Value: history.Value("hi 1"), Node: "n0", Client: "c4"})
	b.Add(history.Op{Time: 20 * time.Millisecond, Type: history.Invoke, Process: 0, F: "echo", Value: history.Value("hi <2>"), Node: "n0", Client: "c4"})
	b.Add(history.Op{Time: 21 * time.Millisecond, Type: history.OK, Process: 0, F: "echo", Value: history.Value("HI <2>"), Node: "n0", Client: "c4"})
	journal := `{"kind":"send","time":10000000,"deadline":10000000,"id":0,"src":"c4","dest":"n0","body":{"type":"echo","msg_id":1,"echo":"hi 1"}}
{"kind":"recv","time":10000000,"id":0,"src":"c4","dest":"n0","body":{"type":"echo","msg_id":1,"echo":"hi 1"}}
{"kind":"send","time":20000000,"deadline":20000000,"id":2,"src":"c4","dest":"n0","body":{"type":"echo","msg_id":2,"echo":"hi \u003c2\u003e"}}
{"kind":"recv","time":20000000,"id":2,"src":"c4","dest":"n0","body":{"type":"echo","msg_id":2,"echo":"hi \u003c2\u003e"}}
{"kind":"send","time":21000000,"deadline":21000000,"id":3,"src":"n0","dest":"c4","body":{"type":"echo_ok","in_reply_to":2,"echo":"HI \u003c2\u003e"}}
{"kind":"recv","time":21000000,"id":3,"src":"n0","dest":"c4","body":{"type":"echo_ok","in_reply_to":2,"echo":"HI \u003c2\u003e"}}
`
	logs := `Node n0 initialized
Received {c4 n0 {"type":"echo","msg_id":1,"echo":"hi 1"}}
Sent {"src":"n0","dest":"c4","body":{"type":"echo_ok","in_reply_to":1,"echo":"hi 1"}}
Received {c4 n0 {"type":"echo","msg_id":2,"echo":"hi <2>"}}
Sent {"src":"n0","dest":"c4","body":{"type":"echo_ok","in_reply_to":2,"echo":"HI <2>"}}
`
	must(t, os.MkdirAll(filepath.Join(dir, "node-logs"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "journal.jsonl"), []byte(journal), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "node-logs", "n0.log"), []byte(logs), 0o644))
	return &harness.Result{
		Verdict: "invalid", Workload: "echo", Step: "1", Seed: 42, StoreDir: dir, Journal: store.OpenRecorded(dir), NodeLogs: store.OpenLogs(dir),
		Options:   harness.EffectiveOptions{NodeCount: 1, TimeLimit: 3, Rate: 10},
		Ops:       harness.OpCounts{Invoked: 2, OK: 2},
		History:   b.History(),
		Anomalies: []workload.Anomaly{{Kind: echo.KindMismatch, Message: `op 2 sent "hi <2>" to n0 but got back "HI <2>" (op 3)`, Ops: []int{2, 3}}},
		Nemesis:   []harness.NemesisRecord{{Time: 5 * time.Millisecond, Kind: "start-partition", Description: "partition one: n0 drops n1"}},
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestGatherAndExplainPointAtTheOpAndTheLog(t *testing.T) {
	res := echoRun(t)
	ev := Gather(res)
	ex := Explain(res, ev)
	if len(ex) != 1 {
		t.Fatalf("%d explanations, want 1", len(ex))
	}
	e := ex[0]
	if e.Meaning.Title != "An echo came back different" {
		t.Errorf("meaning %q", e.Meaning.Title)
	}
	wantOp := `op 2 at 0.020 s: c4 -> n0 echo "hi <2>" -> ok "HI <2>" after 1 ms`
	if len(e.Ops) != 1 || e.Ops[0].Text != wantOp || e.Ops[0].Node != "n0" {
		t.Errorf("ops %+v, want one: %s", e.Ops, wantOp)
	}
	if len(e.Logs) != 1 {
		t.Fatalf("%d log excerpts, want 1 (ops 2 and 3 are one operation)", len(e.Logs))
	}
	l := e.Logs[0]
	if l.File != "node-logs/n0.log" || !strings.Contains(l.Why, "msg_id 2") {
		t.Errorf("excerpt from %s: %s", l.File, l.Why)
	}
	var hits []int
	for _, line := range l.Lines {
		if line.Match {
			hits = append(hits, line.N)
		}
	}
	if !reflect.DeepEqual(hits, []int{4, 5}) {
		t.Errorf("matched log lines %v, want 4 and 5 (the request and its reply)", hits)
	}
	// The diagram marks the op's request and reply (journal ids 2 and 3).
	want := map[int64]visual.Mark{2: {Op: 2, Name: 2, Kind: "echo-mismatch"}, 3: {Op: 2, Name: 2, Kind: "echo-mismatch"}}
	if !reflect.DeepEqual(ev.Marks, want) {
		t.Errorf("marks %v, want %v", ev.Marks, want)
	}
}

// An anomaly that cites an operation by its completion ("acknowledged at
// op 3") sees it called op 3 everywhere: in the operation's line, in the
// log excerpt's title and in the diagram's label. The diagram's anchor
// stays on the invocation, where the request was sent.
func TestAnOperationKeepsTheNumberTheAnomalyGaveIt(t *testing.T) {
	res := echoRun(t)
	res.Anomalies[0].Message = `got back "HI <2>" at op 3`
	res.Anomalies[0].Ops = []int{3}
	ev := Gather(res)
	ex := Explain(res, ev)
	if len(ex) != 1 || len(ex[0].Ops) != 1 || len(ex[0].Logs) != 1 {
		t.Fatalf("explanations %+v", ex)
	}
	if got := ex[0].Ops[0]; !strings.HasPrefix(got.Text, "op 3 at 0.020 s: ") || got.Index != 2 {
		t.Errorf("op line %+v, want op 3 at the invocation's time, linked to the invocation (2)", got)
	}
	if why := ex[0].Logs[0].Why; !strings.Contains(why, "about op 3 ") {
		t.Errorf("log excerpt titled %q, want it about op 3", why)
	}
	for id, m := range ev.Marks {
		if m.Op != 2 || m.Name != 3 {
			t.Errorf("mark of message %d: %+v, want anchor 2, name 3", id, m)
		}
	}
}

func TestExplainWithoutFiles(t *testing.T) {
	res := echoRun(t)
	res.Anomalies = append(res.Anomalies, workload.Anomaly{Kind: "brand-new", Message: "m", Ops: []int{99, -1}})
	ex := Explain(res, Evidence{})
	if len(ex) != 2 || len(ex[0].Logs) != 0 {
		t.Fatalf("explanations %+v", ex)
	}
	if ex[1].Meaning.Title != "brand-new" || len(ex[1].Ops) != 0 {
		t.Errorf("an unknown kind with ops out of range: %+v", ex[1])
	}
}

// A lost broadcast value is followed through the journal: the gossip that
// carried it to the node that missed it, and the partition that dropped
// it. (Maelstrom broadcast, 3c: values lost after a partition.)
func TestLostValueTrail(t *testing.T) {
	dir := t.TempDir()
	var b history.Builder
	b.Add(history.Op{Time: 0, Type: history.Invoke, Process: 0, F: "broadcast", Value: history.Value(6), Node: "n1", Client: "c8"})
	b.Add(history.Op{Time: 1 * time.Millisecond, Type: history.OK, Process: 0, F: "broadcast", Value: history.Value(6), Node: "n1", Client: "c8"})
	b.Add(history.Op{Time: 9 * time.Millisecond, Type: history.Invoke, Process: 1, F: "read", Node: "n2", Client: "c9"})
	b.Add(history.Op{Time: 10 * time.Millisecond, Type: history.OK, Process: 1, F: "read", Value: history.Value([]int{1}), Node: "n2", Client: "c9"})
	journal := `{"kind":"send","time":1000000,"deadline":1000000,"id":7,"src":"n1","dest":"n2","body":{"type":"gossip","message":6}}
{"kind":"send","time":1000000,"deadline":1000000,"id":8,"src":"n1","dest":"n0","body":{"type":"gossip","message":6}}
{"kind":"send","time":1000000,"deadline":1000000,"id":9,"src":"n1","dest":"n2","body":{"type":"gossip","message":60}}
{"kind":"drop","time":1000000,"deadline":1000000,"id":7,"src":"n1","dest":"n2","body":{"type":"gossip","message":6}}
{"kind":"recv","time":1000000,"id":8,"src":"n1","dest":"n0","body":{"type":"gossip","message":6}}
{"kind":"send","time":5000000,"deadline":5000000,"id":10,"src":"n0","dest":"n2","body":{"type":"sync","values":[1,6]}}
{"kind":"recv","time":6000000,"id":10,"src":"n0","dest":"n2","body":{"type":"sync","values":[1,6]}}
`
	must(t, os.WriteFile(filepath.Join(dir, "journal.jsonl"), []byte(journal), 0o644))
	res := &harness.Result{
		Verdict: "invalid", Workload: "broadcast", StoreDir: dir, Journal: store.OpenRecorded(dir), NodeLogs: store.OpenLogs(dir), History: b.History(),
		Anomalies: []workload.Anomaly{{Kind: broadcast.KindLost, Message: "value 6 ...", Ops: []int{0, 3}}},
		Nemesis:   []harness.NemesisRecord{{Time: 0, Kind: "start-partition", Description: "partition one: n1 drops n2"}},
	}
	ex := Explain(res, Gather(res))
	want := []string{
		"messages between servers that carried value 6 to n2:",
		"n1 -> n2 gossip message=6 at 0.001 s: dropped at 0.001 s by the partition one: n1 drops n2",
		"n0 -> n2 sync values=[1,6] at 0.005 s: received at 0.006 s",
	}
	if len(ex) != 1 || !reflect.DeepEqual(ex[0].Trail, want) {
		t.Fatalf("trail %q\nwant %q", ex[0].Trail, want)
	}
}

func TestLostValueNeverSent(t *testing.T) {
	tr := &trail{value: 6, missing: map[string]bool{"n2": true, "n0": true}}
	want := []string{"no message between servers carried value 6 to n0, n2: it was never sent there"}
	if got := tr.describe(nil); !reflect.DeepEqual(got, want) {
		t.Fatalf("%q, want %q", got, want)
	}
}

// The journal is read by field: an encoder that puts "kind" last still
// has its request and reply found.
func TestScanJournalAnyFieldOrder(t *testing.T) {
	journal := `{"time":20000000,"deadline":20000000,"id":2,"src":"c4","dest":"n0","body":{"type":"echo","msg_id":2,"kind":"recv"},"kind":"send"}
{"time":20000000,"id":2,"src":"c4","dest":"n0","body":{"type":"echo","msg_id":2},"kind":"recv"}
{"body":{"type":"echo_ok","in_reply_to":2},"src":"n0","dest":"c4","id":3,"time":21000000,"kind":"send"}
`
	ws := []opWindow{{op: 2, client: "c4", node: "n0", from: 20 * time.Millisecond, to: 21 * time.Millisecond}}
	scanJournal(store.ReadEvents(strings.NewReader(journal)), ws, nil)
	if w := ws[0]; w.msgID != 2 || w.request != 2 || w.reply != 3 {
		t.Errorf("window %+v, want msg_id 2, request 2, reply 3", w)
	}
}

// A collector's summary of further lost values has no trail of its own:
// its ops are the broadcasts of other values, not reads that missed one.
// The table follows the values listed one by one and says how many were
// lost in all.
func TestLostTableSkipsTheSummary(t *testing.T) {
	var b history.Builder
	for i, node := range []string{"n1", "n2", "n0"} {
		b.Add(history.Op{Type: history.Invoke, Process: i, F: "broadcast", Value: history.Value(i), Node: node})
		b.Add(history.Op{Type: history.OK, Process: i, F: "broadcast", Value: history.Value(i), Node: node})
	}
	b.Add(history.Op{Type: history.Invoke, Process: 3, F: "read", Node: "n2"})
	b.Add(history.Op{Type: history.OK, Process: 3, F: "read", Value: history.Value([]int{1}), Node: "n2"})
	res := &harness.Result{
		Verdict: "invalid", Workload: "broadcast", History: b.History(),
		Anomalies: []workload.Anomaly{
			{Kind: broadcast.KindLost, Message: "value 0 ...", Ops: []int{0, 6}},
			{Kind: broadcast.KindLost, Message: "40 more lost anomalies", Ops: []int{2, 4}, More: 40},
		},
	}
	pairs, err := res.History.Pair()
	must(t, err)
	trails := lostTrails(res, pairs)
	if len(trails) != 1 || trails[0].value != 0 {
		t.Fatalf("trails %+v, want value 0's alone", trails)
	}
	if got, want := lostTable(res, trails).Caption, "The first 1 of the 41 lost values, node by node (as the node's last read saw them):"; got != want {
		t.Errorf("caption %q, want %q", got, want)
	}
}

// The anomaly names only some of the reads that missed a lost value; a
// node whose last read began after the broadcast and lacks the value
// missed it as well, and the table counts it among "missing", not "not
// read since". A node whose last read came before the broadcast was not
// read since.
func TestLostTableCountsEveryFinalReadThatMissed(t *testing.T) {
	var b history.Builder
	read := func(p int, node string, vs []int) {
		b.Add(history.Op{Type: history.Invoke, Process: p, F: "read", Node: node})
		b.Add(history.Op{Type: history.OK, Process: p, F: "read", Value: history.Value(vs), Node: node})
	}
	read(0, "n2", []int{}) // before the broadcast: not read since
	b.Add(history.Op{Type: history.Invoke, Process: 1, F: "broadcast", Value: history.Value(7), Node: "n1"})
	b.Add(history.Op{Type: history.OK, Process: 1, F: "broadcast", Value: history.Value(7), Node: "n1"})
	read(0, "n1", []int{}) // op 4, named by the anomaly
	read(0, "n0", []int{}) // op 6, not named, missed it all the same
	res := &harness.Result{
		Verdict: "invalid", Workload: "broadcast", History: b.History(),
		Anomalies: []workload.Anomaly{{Kind: broadcast.KindLost, Message: "value 7 ...", Ops: []int{2, 5}}},
	}
	pairs, err := res.History.Pair()
	must(t, err)
	trails := lostTrails(res, pairs)
	if len(trails) != 1 || !trails[0].missing["n0"] || !trails[0].missing["n1"] || trails[0].missing["n2"] {
		t.Fatalf("trails %+v, want value 7 missing on n0 and n1", trails)
	}
	rows := map[string][]string{}
	for _, r := range lostTable(res, trails).Rows {
		rows[r[0]] = r[1:]
	}
	// holds, missing, never sent there, not read since
	want := map[string][]string{"n0": {"0", "1", "1", "0"}, "n1": {"0", "1", "1", "0"}, "n2": {"0", "0", "0", "1"}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows %v, want %v", rows, want)
	}
}
