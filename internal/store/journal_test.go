package store

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/glomers/glomers/internal/netsim"
)

// all replays every event of a journal.
func all(t *testing.T, events Events) []Event {
	t.Helper()
	var out []Event
	err := events(func(_ netsim.EventKind, event func() (Event, error)) bool {
		e, err := event()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A run's report replays the same events whether they fit in memory or
// had to be read back from the file past the budget.
func TestRecordedReplaysFromMemoryOrFile(t *testing.T) {
	dir := t.TempDir()
	var evs []Event
	var file strings.Builder
	for i := range 50 {
		e := Event{Kind: netsim.Send, ID: int64(i), Src: "c1", Dest: "n0", Body: json.RawMessage(`{"type":"echo"}`)}
		evs = append(evs, e)
		b, _ := json.Marshal(e)
		file.Write(append(b, '\n'))
	}
	if err := os.WriteFile(filepath.Join(dir, Journal), []byte(file.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	small, big := NewRecorded(filepath.Join(dir, Journal), 1000), NewRecorded(filepath.Join(dir, Journal), 1<<20)
	for _, e := range evs {
		small.Add(e)
		big.Add(e)
	}
	if small.InMemory() || !big.InMemory() {
		t.Fatalf("in memory: small budget %v, big budget %v; want false, true", small.InMemory(), big.InMemory())
	}
	eq := func(a, b Event) bool { return a.ID == b.ID && a.Kind == b.Kind && string(a.Body) == string(b.Body) }
	for name, r := range map[string]*Recorded{"memory": big, "file": small, "old run": OpenRecorded(dir)} {
		if got := all(t, r.Events()); !slices.EqualFunc(got, evs, eq) {
			t.Errorf("%s: replayed %d events, want the %d added", name, len(got), len(evs))
		}
	}
	var none *Recorded
	if got := all(t, none.Events()); len(got) != 0 {
		t.Errorf("a nil journal replayed %d events", len(got))
	}
	if err := NewRecorded("", 10).Events()(nil); err != nil {
		t.Errorf("an empty journal in memory: %v", err)
	}
}

// A line that is no event reaches the reader as kind "" and an error
// naming the line.
func TestReadEventsNamesABadLine(t *testing.T) {
	var msg string
	_ = ReadEvents(strings.NewReader("{\"kind\":\"send\",\"id\":1}\n{oops\n"))(func(kind netsim.EventKind, event func() (Event, error)) bool {
		if kind == "" {
			_, err := event()
			msg = err.Error()
		}
		return true
	})
	if !strings.HasPrefix(msg, "journal line 2:") {
		t.Errorf("error %q, want it to name line 2", msg)
	}
}
