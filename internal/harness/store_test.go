package harness

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/store"
)

// readLatest is the named file of the newest run in the store dir, as
// the store's "latest" link finds it, failing the test if it cannot be
// read: the tests that read it look at what a run left for scripts.
func readLatest(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "latest", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestStoreKeepsEverything(t *testing.T) {
	t.Parallel()
	o, res := storedEchoRun(t)
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
	b := readLatest(t, o.Store, "results.json")
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
	log := readLatest(t, o.Store, filepath.Join("node-logs", "n1.log"))
	if !strings.Contains(string(log), `"type":"init"`) {
		t.Errorf("n1.log: %.200s", log)
	}
}

func TestStoreKeepsCrashedRun(t *testing.T) {
	t.Parallel()
	o := testOptions(t, echoWL{}, rawNode("mute", func(string, map[string]any) []string { return nil }))
	o.Store = t.TempDir()
	res := runIn(t, o)
	if res.Valid {
		t.Fatal("valid")
	}
	b := readLatest(t, o.Store, "results.json")
	var got struct {
		Valid   bool   `json:"valid"`
		Problem string `json:"problem"`
	}
	if err := json.Unmarshal(b, &got); err != nil || got.Valid || !strings.Contains(got.Problem, "init") {
		t.Fatalf("results.json: %+v %v", got, err)
	}
}

// A run removes its workload's oldest runs beyond --keep.
func TestRunKeepsTheNewestRuns(t *testing.T) {
	t.Parallel()
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
	runs, err := store.Runs(o.Store, "test-echo")
	if err != nil || len(runs) != 2 || runs[1] != res.StoreDir || filepath.Base(runs[0]) != "19991231T000001.000" {
		t.Fatalf("after a run with --keep 2: %q, %v", runs, err)
	}
	if _, err := os.Stat(filepath.Join(o.Store, "latest", "results.json")); err != nil {
		t.Errorf("latest: %v", err)
	}
}
