package harness

import (
	"io"
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

// The run hands its report the nodes' logs it wrote, kept in memory: the
// same bytes as the files.
func TestResultKeepsTheNodeLogs(t *testing.T) {
	t.Parallel()
	o := testOptions(t, echoWL{}, rawNode("echo", echoHandler))
	o.Store = t.TempDir()
	res := runIn(t, o)
	for _, node := range []string{"n0", "n1", "n2"} {
		os.Rename(filepath.Join(res.StoreDir, store.NodeLog(node)), filepath.Join(res.StoreDir, node+".moved"))
		r, err := res.NodeLogs.Open(node)
		if err != nil {
			t.Fatalf("%s: %v", node, err)
		}
		kept, _ := io.ReadAll(r)
		r.Close()
		written, err := os.ReadFile(filepath.Join(res.StoreDir, node+".moved"))
		if err != nil || len(kept) == 0 || string(kept) != string(written) {
			t.Errorf("%s: kept %d bytes, the file has %d (%v)", node, len(kept), len(written), err)
		}
	}
	o.Store = ""
	if res := runIn(t, o); res.NodeLogs != nil {
		t.Errorf("a run without a store kept node logs")
	}
}
