package harness

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glomers/glomers/internal/history"
)

func TestStoreKeepsEverything(t *testing.T) {
	o := testOptions(t, echoWL{}, rawNode("echo", echoHandler))
	o.Store = t.TempDir()
	res := runIn(t, o)
	if !res.Valid {
		t.Fatalf("verdict %s", res.Verdict)
	}
	latest := filepath.Join(o.Store, "latest")
	for _, f := range []string{"results.json", "history.jsonl", "journal.jsonl", "node-logs/n0.log", "node-logs/n2.log"} {
		st, err := os.Stat(filepath.Join(latest, f))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if st.Size() == 0 {
			t.Errorf("%s is empty", f)
		}
	}
	if target, err := os.Readlink(filepath.Join(o.Store, "test-echo", "latest")); err != nil || strings.Contains(target, "/") {
		t.Errorf("workload latest link: %q %v", target, err)
	}

	// results.json has the fields that reports, scripts and the Maelstrom
	// backend read (ARCHITECTURE.md, "A check").
	b, err := os.ReadFile(filepath.Join(latest, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"valid", "workload", "options", "ops", "net", "latency_ms", "anomalies"} {
		if _, ok := got[k]; !ok {
			t.Errorf("results.json lacks %q", k)
		}
	}
	srv := got["net"].(map[string]any)["servers"].(map[string]any)
	for _, k := range []string{"send_count", "recv_count", "msg_count", "msgs_per_op"} {
		if _, ok := srv[k]; !ok {
			t.Errorf("net.servers lacks %q", k)
		}
	}

	// The history round-trips.
	f, err := os.Open(filepath.Join(latest, "history.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := history.ReadJSONLines(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != len(res.History) {
		t.Fatalf("history.jsonl has %d ops, result %d", len(h), len(res.History))
	}
	if _, err := h.Pair(); err != nil {
		t.Fatal(err)
	}

	// Node logs hold what each node wrote to stderr.
	log, _ := os.ReadFile(filepath.Join(latest, "node-logs", "n1.log"))
	if !strings.Contains(string(log), `"type":"init"`) {
		t.Errorf("n1.log: %.200s", log)
	}
}

func TestStoreKeepsCrashedRun(t *testing.T) {
	o := testOptions(t, echoWL{}, rawNode("mute", func(string, map[string]any) []string { return nil }))
	o.Store = t.TempDir()
	res := runIn(t, o)
	if res.Valid {
		t.Fatal("valid")
	}
	b, err := os.ReadFile(filepath.Join(o.Store, "latest", "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Valid   bool   `json:"valid"`
		Problem string `json:"problem"`
	}
	if err := json.Unmarshal(b, &got); err != nil || got.Valid || !strings.Contains(got.Problem, "init") {
		t.Fatalf("results.json: %+v %v", got, err)
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
		if err := os.WriteFile(filepath.Join(root, wl, name, "journal.jsonl"), []byte("0123456789"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []string{"20261206T010000.000", "20261206T010001.000", "20261206T010002.500", "20261205T235959.999"} {
		mk("echo", n)
	}
	mk("broadcast", "20261206T010000.000")
	mk("echo", "notes") // not a run: left alone
	if err := os.Symlink("20261206T010002.500", filepath.Join(root, "echo", "latest")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("echo/20261206T010002.500", filepath.Join(root, "latest")); err != nil {
		t.Fatal(err)
	}

	r, err := Prune(root, "echo", 2)
	if err != nil || r.Runs != 2 || r.Bytes != 20 {
		t.Fatalf("Prune = %+v, %v", r, err)
	}
	runs, _ := runsOf(filepath.Join(root, "echo"))
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
	for _, gone := range []string{"latest", "echo/latest", "broadcast"} {
		if _, err := os.Lstat(filepath.Join(root, gone)); err == nil {
			t.Errorf("%s is still there", gone)
		}
	}
	if r, err := Clean(filepath.Join(root, "nothing"), 0); err != nil || r.String() != "no stored runs removed" {
		t.Errorf("cleaning a missing store: %v, %v", r, err)
	}
}

// A run removes its workload's oldest runs beyond --keep.
func TestRunKeepsTheNewestRuns(t *testing.T) {
	o := testOptions(t, echoWL{}, rawNode("echo", echoHandler))
	o.Store = t.TempDir()
	o.Keep = 2
	// Two older runs (the fake clock of the test starts in 2000).
	for _, old := range []string{"19991231T000000.000", "19991231T000001.000"} {
		if err := os.MkdirAll(filepath.Join(o.Store, "test-echo", old), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	res := runIn(t, o)
	runs, err := runsOf(filepath.Join(o.Store, "test-echo"))
	if err != nil || len(runs) != 2 || runs[1] != res.StoreDir || filepath.Base(runs[0]) != "19991231T000001.000" {
		t.Fatalf("after a run with --keep 2: %q, %v", runs, err)
	}
	if _, err := os.Stat(filepath.Join(o.Store, "latest", "results.json")); err != nil {
		t.Errorf("latest: %v", err)
	}
}
