package store

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/netsim"
	"github.com/glomers/glomers/internal/proto"
)

// The names are part of the course's promise: scripts, the chapters and
// the Maelstrom backend read these files by name.
func TestNames(t *testing.T) {
	for got, want := range map[string]string{
		Results: "results.json", History: "history.jsonl", Journal: "journal.jsonl",
		NodeLogs: "node-logs", Report: "report.html", Diagram: "messages.svg",
		FocusDiagram: "messages-focus.svg", LatencyPlot: "latency.svg", RatePlot: "rate.svg",
		Latest: "latest", DefaultRoot: "store",
		NodeLog("n1"):              filepath.Join("node-logs", "n1.log"),
		RunDir("st", "echo", "r1"): filepath.Join("st", "echo", "r1"),
	} {
		if got != want {
			t.Errorf("%q, want %q", got, want)
		}
	}
}

func TestRunNamesSortInTimeOrder(t *testing.T) {
	a := time.Date(2026, 12, 6, 1, 2, 3, 456e6, time.UTC)
	b := a.Add(time.Second)
	if got := RunName(a); got != "20261206T010203.456" {
		t.Errorf("RunName = %q", got)
	}
	if !(RunName(a) < RunName(b)) || !IsRunName(RunName(b)) {
		t.Errorf("%q, %q", RunName(a), RunName(b))
	}
	for _, n := range []string{"latest", "notes", "20261206T010203", "20261206T010203.456x"} {
		if IsRunName(n) {
			t.Errorf("%q taken for a run", n)
		}
	}
}

// Create makes the run's directory; Link points both latest links at it,
// with relative targets, and moves them on at the next run.
func TestCreateAndLink(t *testing.T) {
	root := filepath.Join(t.TempDir(), "store")
	start := time.Date(2026, 12, 6, 1, 2, 3, 0, time.UTC)
	for i, at := range []time.Time{start, start.Add(time.Second)} {
		dir, run, err := Create(root, "echo", at)
		if err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(filepath.Join(dir, NodeLogs)); err != nil || !st.IsDir() {
			t.Fatalf("run %d: no %s: %v", i, NodeLogs, err)
		}
		if err := os.WriteFile(filepath.Join(dir, Results), []byte(run), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := Link(root, "echo", run); err != nil {
			t.Fatal(err)
		}
		for _, l := range []string{filepath.Join(root, Latest), filepath.Join(root, "echo", Latest)} {
			b, err := os.ReadFile(filepath.Join(l, Results))
			if err != nil || string(b) != run {
				t.Errorf("run %d: %s leads to %q, %v", i, l, b, err)
			}
		}
	}
	links, targets := LatestLinks(root, "echo", "r")
	for i := range links {
		if filepath.IsAbs(targets[i]) {
			t.Errorf("%s -> %s is absolute", links[i], targets[i])
		}
	}
	if target, _ := os.Readlink(filepath.Join(root, "echo", Latest)); strings.ContainsRune(target, filepath.Separator) {
		t.Errorf("workload link %q leaves its directory", target)
	}
}

// The store keeps the newest runs of a workload, and Clean removes the
// rest, the links and the directories left empty, and nothing else.
func TestPruneAndClean(t *testing.T) {
	root := t.TempDir()
	mk := func(wl, name string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Join(root, wl, name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, wl, name, Journal), []byte("0123456789"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []string{"20261206T010000.000", "20261206T010001.000", "20261206T010002.500", "20261205T235959.999"} {
		mk("echo", n)
	}
	mk("broadcast", "20261206T010000.000")
	mk("echo", "notes") // not a run: left alone
	if err := Link(root, "echo", "20261206T010002.500"); err != nil {
		t.Fatal(err)
	}

	r, err := Prune(root, "echo", 2)
	if err != nil || r.Runs != 2 || r.Bytes != 20 {
		t.Fatalf("Prune = %+v, %v", r, err)
	}
	runs, _ := Runs(root, "echo")
	if len(runs) != 2 || filepath.Base(runs[0]) != "20261206T010001.000" {
		t.Errorf("kept %q, want the newest two", runs)
	}
	if r, _ := Prune(root, "echo", 0); r.Runs != 0 {
		t.Errorf("--keep 0 removed %d runs", r.Runs)
	}

	r, err = Clean(root, 0)
	if err != nil || r.Runs != 3 || r.Workloads != 2 {
		t.Fatalf("Clean = %+v, %v", r, err)
	}
	if got := r.String(); got != "removed 3 runs of 2 workloads (30 bytes)" {
		t.Errorf("summary %q", got)
	}
	if _, err := os.Stat(filepath.Join(root, "echo", "notes")); err != nil {
		t.Errorf("a directory that is not a run was removed: %v", err)
	}
	for _, gone := range []string{Latest, filepath.Join("echo", Latest), "broadcast"} {
		if _, err := os.Lstat(filepath.Join(root, gone)); err == nil {
			t.Errorf("%s is still there", gone)
		}
	}
	if r, err := Clean(filepath.Join(root, "nothing"), 0); err != nil || r.String() != "no stored runs removed" {
		t.Errorf("cleaning a missing store: %v, %v", r, err)
	}
}

// An event survives the journal: written as the harness writes it and
// read back as the report reads it.
func TestEventRoundTrip(t *testing.T) {
	id := int64(7)
	ev := netsim.Event{Kind: netsim.Send, Time: 3 * time.Millisecond, Deadline: 5 * time.Millisecond,
		Msg: proto.Message{ID: &id, Src: "c1", Dest: "n0", Body: json.RawMessage(`{"type":"echo","msg_id":1,"kind":"not this one"}`)}}
	want := NewEvent(ev)
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), `{"kind":"send","time":3000000,"deadline":5000000,"id":7,`) {
		t.Errorf("the journal's format changed: %s", b)
	}
	var got Event
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Kind != want.Kind || got.Time != want.Time || got.Deadline != want.Deadline || got.ID != 7 ||
		got.Src != "c1" || got.Dest != "n0" || string(got.Body) != string(want.Body) {
		t.Errorf("round trip: %+v, want %+v", got, want)
	}
	if k, ok := KindOf(b); !ok || k != netsim.Send {
		t.Errorf("KindOf = %q, %v", k, ok)
	}
	if NewEvent(netsim.Event{Kind: netsim.Drop}).ID != 0 {
		t.Error("a message without an id")
	}
}

// KindOf finds the kind wherever an encoder put it, and agrees with a
// full decode; a "kind" inside the body is not the event's.
func TestKindOfAnyFieldOrder(t *testing.T) {
	for _, c := range []struct {
		line string
		kind netsim.EventKind
		ok   bool
	}{
		{`{"kind":"send","time":1,"id":1,"src":"c1","dest":"n0","body":{}}`, netsim.Send, true},
		{`{"id":1,"body":{"kind":"recv","x":[1,{"y":"}"}]},"src":"c1","kind":"send"}`, netsim.Send, true},
		{` { "time" : 1 , "src":"a\"b" , "kind" : "drop" }`, netsim.Drop, true},
		{`{"body":"{\"kind\":\"send\"}","kind":"recv"}`, netsim.Recv, true},
		{`{"ki\u006ed":"send"}`, netsim.Send, true},
		{`{"kind":"sp\u0065cial"}`, "special", true},
		{`{"id":1,"body":{"kind":"send"}}`, "", false},
		{`{"kind":3}`, "", false},
		{`{oops`, "", false},
		{``, "", false},
		{`["kind","send"]`, "", false},
		{`{"body":{"a":1`, "", false},
	} {
		k, ok := KindOf([]byte(c.line))
		if k != c.kind || ok != c.ok {
			t.Errorf("KindOf(%s) = %q, %v; want %q, %v", c.line, k, ok, c.kind, c.ok)
		}
		var e Event
		if c.ok && (json.Unmarshal([]byte(c.line), &e) != nil || e.Kind != c.kind) {
			t.Errorf("a full decode of %s disagrees: %q", c.line, e.Kind)
		}
	}
}
