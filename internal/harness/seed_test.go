package harness

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/netsim"
	"github.com/glomers/glomers/internal/store"
)

// recorded is what a seed must fix: the operations the generator chose
// (value, thread, node, invocation time), every latency the network drew
// (a message's delivery deadline minus its send time) and the nemesis
// schedule.
type recorded struct {
	ops       []string
	latencies []string
	nemesis   []string
}

func recordRun(t *testing.T, seed uint64) recorded {
	t.Helper()
	// Each echo writes to lin-kv first, so every operation costs two
	// server messages with drawn latencies; one client thread keeps them
	// in one order.
	o := testOptions(t, echoWL{final: true}, kvEchoNode())
	o.Seed = seed
	o.Concurrency = 1
	o.Latency = 20 * time.Millisecond
	o.LatencyDist = netsim.Exponential
	o.Nemesis = []string{"partition"}
	o.NemesisInterval = 2 * time.Second
	o.Store = t.TempDir()
	res := runIn(t, o)
	if !res.Valid {
		t.Fatalf("seed %d: verdict %s %s", seed, res.Verdict, res.Problem)
	}
	var r recorded
	for _, op := range res.History {
		if op.Type == history.Invoke {
			r.ops = append(r.ops, fmt.Sprintf("%v p%d %s %s", op.Time, op.Process, op.Node, op.Value))
		}
	}
	for _, ev := range res.Nemesis {
		r.nemesis = append(r.nemesis, fmt.Sprintf("%v %s %v", ev.Time, ev.Kind, ev.Grudge))
	}
	f, err := os.Open(filepath.Join(o.Store, "latest", "journal.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e store.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		// Client links have no latency (Maelstrom); message ids depend on
		// the order the parallel inits reached the network.
		if e.Kind == netsim.Send && e.Src[0] != 'c' && e.Dest[0] != 'c' {
			r.latencies = append(r.latencies, fmt.Sprintf("%s->%s %s %v", e.Src, e.Dest, e.Body, e.Deadline-e.Time))
		}
	}
	if len(r.ops) < 50 || len(r.latencies) < 100 || len(r.nemesis) < 4 {
		t.Fatalf("seed %d recorded too little to compare: %d ops, %d sends, %d nemesis actions", seed, len(r.ops), len(r.latencies), len(r.nemesis))
	}
	return r
}

// --seed N replays a run: the same operations at the same times, the same
// latency draws message by message and the same partitions at the same
// moments. A different seed changes all three.
func TestSeedFixesOpsLatenciesAndNemesis(t *testing.T) {
	t.Parallel()
	a, b, c := recordRun(t, 42), recordRun(t, 42), recordRun(t, 43)
	for _, part := range []struct {
		name    string
		a, b, c []string
	}{
		{"operation stream", a.ops, b.ops, c.ops},
		{"latency draws", a.latencies, b.latencies, c.latencies},
		{"nemesis schedule", a.nemesis, b.nemesis, c.nemesis},
	} {
		if !slices.Equal(part.a, part.b) {
			i := 0
			for i < min(len(part.a), len(part.b)) && part.a[i] == part.b[i] {
				i++
			}
			t.Errorf("seed 42 twice: %s differs at entry %d of %d/%d", part.name, i, len(part.a), len(part.b))
		}
		if slices.Equal(part.a, part.c) {
			t.Errorf("seeds 42 and 43 gave the same %s", part.name)
		}
	}
}
