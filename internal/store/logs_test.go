package store

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A run's report reads the same node log whether it was kept in memory,
// went past the budget and is read from its file, or belongs to an old
// run; a node that wrote none has no log.
func TestLogsReadFromMemoryOrFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, NodeLogs), 0o755); err != nil {
		t.Fatal(err)
	}
	logs := NewLogs(dir, 100)
	short, long := "starting\nhandled echo\n", strings.Repeat("a log line\n", 20)
	for node, text := range map[string]string{"n0": short, "n1": long} {
		w := logs.Writer(node)
		for _, line := range strings.SplitAfter(text, "\n") {
			io.WriteString(w, line)
		}
		if err := os.WriteFile(filepath.Join(dir, NodeLog(node)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(l *Logs, node string) string {
		t.Helper()
		r, err := l.Open(node)
		if err != nil {
			t.Fatalf("%s: %v", node, err)
		}
		defer r.Close()
		b, _ := io.ReadAll(r)
		return string(b)
	}
	want := []string{"node-logs/n0.log", "node-logs/n1.log"}
	if got, old := logs.Files(), OpenLogs(dir).Files(); !slices.Equal(got, want) || !slices.Equal(old, want) {
		t.Errorf("files %q, of an old run %q; want %q", got, old, want)
	}
	os.Remove(filepath.Join(dir, NodeLog("n0"))) // n0's is read from memory
	if got := read(logs, "n0"); got != short {
		t.Errorf("n0 from memory: %q, want %q", got, short)
	}
	if got := read(logs, "n1"); got != long {
		t.Errorf("n1 past the budget: %q, want its file", got)
	}
	if got := read(OpenLogs(dir), "n1"); got != long {
		t.Errorf("n1 of an old run: %q, want its file", got)
	}
	var none *Logs
	for name, l := range map[string]*Logs{"a node that wrote none": logs, "a nil Logs": none} {
		if _, err := l.Open("n2"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: %v, want not exist", name, err)
		}
	}
}
