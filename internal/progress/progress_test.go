package progress

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRecordAndLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "deep", "er", "progress.json")
	p, err := Load(path)
	if err != nil || p.Status("1") != NotTried {
		t.Fatalf("missing file: Load = %v, %v; want an empty record", p, err)
	}
	at := time.Date(2026, 11, 25, 10, 4, 5, 0, time.UTC)
	if err := Record(path, "1", Result{Passed: true, At: at, Target: "./mynode"}); err != nil {
		t.Fatal(err)
	}
	if err := Record(path, "2", Result{Passed: false, At: at}); err != nil {
		t.Fatal(err)
	}
	p, err = Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for step, want := range map[string]Status{"1": Passed, "2": Failed, "3a": NotTried} {
		if got := p.Status(step); got != want {
			t.Errorf("Status(%s) = %q, want %q", step, got, want)
		}
	}
	if r := p.Steps["1"]; !r.At.Equal(at) || r.Target != "./mynode" {
		t.Errorf("step 1 = %+v", r)
	}
	// A later result replaces the earlier one.
	if err := Record(path, "1", Result{Passed: false, At: at}); err != nil {
		t.Fatal(err)
	}
	if p, _ := Load(path); p.Status("1") != Failed {
		t.Errorf("after a failed recheck, step 1 is %q", p.Status("1"))
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d files, want only progress.json (no temporary left)", len(entries))
	}
}

func TestCorruptFileIsKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	os.WriteFile(path, []byte("{not json"), 0o644)
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Load of a corrupt file: %v, want an error naming it", err)
	}
	if err := Record(path, "1", Result{Passed: true}); err == nil {
		t.Error("Record overwrote a corrupt file")
	}
	if data, _ := os.ReadFile(path); string(data) != "{not json" {
		t.Errorf("file now holds %q", data)
	}
}

func TestPath(t *testing.T) {
	env := map[string]string{EnvVar: "/tmp/x.json"}
	if p, err := Path(func(k string) string { return env[k] }); err != nil || p != "/tmp/x.json" {
		t.Errorf("Path with %s set = %q, %v", EnvVar, p, err)
	}
	t.Setenv("XDG_CONFIG_HOME", "/cfg")
	t.Setenv("HOME", "/home/learner")
	p, err := Path(func(string) string { return "" })
	if err != nil || p != filepath.Join(mustConfigDir(t), "glomers", "progress.json") {
		t.Errorf("default Path = %q, %v", p, err)
	}
}

func mustConfigDir(t *testing.T) string {
	dir, err := os.UserConfigDir()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// Update keeps what it does not change: hints shown and workspaces live
// next to the results.
func TestUpdateKeepsOtherFields(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	if err := Update(path, func(p *Progress) { p.HintsShown["3c"] = 2; p.Workspaces["1"] = "/w/1" }); err != nil {
		t.Fatal(err)
	}
	if err := Record(path, "1", Result{Passed: true}); err != nil {
		t.Fatal(err)
	}
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.HintsShown["3c"] != 2 || p.Workspaces["1"] != "/w/1" || p.Status("1") != Passed {
		t.Errorf("record = %+v", p)
	}
}
