package harness

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/glomers/glomers/internal/netsim"
	"github.com/glomers/glomers/internal/store"
)

// ids replays a journal's event kinds and message ids.
func ids(t *testing.T, events store.Events) []string {
	t.Helper()
	var out []string
	err := events(func(kind netsim.EventKind, event func() (store.Event, error)) bool {
		e, err := event()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(kind)+" "+e.Src+">"+e.Dest)
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The run hands its report the journal it wrote, kept in memory: the
// same events, in the same order, as the file.
func TestResultKeepsTheJournal(t *testing.T) {
	t.Parallel()
	o := testOptions(t, echoWL{}, rawNode("echo", echoHandler))
	o.Store = t.TempDir()
	res := runIn(t, o)
	if res.Journal == nil || !res.Journal.InMemory() {
		t.Fatalf("journal %+v: want one kept in memory", res.Journal)
	}
	kept := ids(t, res.Journal.Events())
	f, err := os.Open(filepath.Join(res.StoreDir, store.Journal))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	written := ids(t, store.ReadEvents(f))
	if len(kept) == 0 || len(kept) != len(written) {
		t.Fatalf("kept %d events, the file has %d", len(kept), len(written))
	}
	for i := range kept {
		if kept[i] != written[i] {
			t.Fatalf("event %d: kept %q, the file has %q", i, kept[i], written[i])
		}
	}

	o.Store = ""
	if res := runIn(t, o); res.Journal != nil {
		t.Errorf("a run without a store kept a journal")
	}
}
