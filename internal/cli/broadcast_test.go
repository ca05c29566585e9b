package cli

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"

	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/proc"
	"github.com/glomers/glomers/solutions/broadcastefficient2"
)

// simulate runs step's reference solution in-process under the given
// Maelstrom arguments, inside a synctest bubble: time is simulated, so the
// run takes seconds and, with --seed, is the same every time.
func simulate(t *testing.T, step, args string) *harness.Result {
	t.Helper()
	sol, ok := solutions()[step]
	if !ok {
		t.Fatalf("step %s has no reference solution", step)
	}
	return simulateWith(t, "tutor node "+step, args, func(ctx context.Context, n *maelstrom.Node) {
		if sol.start != nil {
			sol.start(ctx, n)
		} else {
			sol.register(n)
		}
	})
}

const broadcast3d = "-w broadcast --node-count 25 --time-limit 20 --rate 100 --latency 100 --seed 7"

// broadcast3dFlags is the challenge's 3d/3e command without a seed.
const broadcast3dFlags = "-w broadcast --node-count 25 --time-limit 20 --rate 100 --latency 100"

// Issue 4's efficiency goals, far inside the challenge's limits, for the
// main runs of 3d and 3e in simulated time. Real-time runs add the
// machine's scheduling delay on top (see chapters/3d.md).
func TestEfficientBroadcastMeetsGoals(t *testing.T) {
	goals := map[string]map[string]float64{
		"3d": {"servers.msgs_per_op": 6, "stable_latency.median": 250, "stable_latency.max": 450},
		"3e": {"servers.msgs_per_op": 2, "stable_latency.median": 600, "stable_latency.max": 1000},
	}
	// Five runs each, as issue 4 asks, with five seeds: different
	// operations, latencies and client placement, the same every time.
	// go test -short takes the first seed only.
	seeds := 5
	if testing.Short() {
		seeds = 1
	}
	for _, step := range []string{"3d", "3e"} {
		for seed := 1; seed <= seeds; seed++ {
			t.Run(fmt.Sprintf("%s/seed%d", step, seed), func(t *testing.T) {
				res := simulate(t, step, fmt.Sprintf("%s --seed %d", broadcast3dFlags, seed))
				if !res.Valid {
					t.Fatalf("verdict %s, anomalies %+v", res.Verdict, res.Anomalies)
				}
				var got []string
				for _, metric := range []string{"servers.msgs_per_op", "stable_latency.median", "stable_latency.max"} {
					v, ok := res.Measure(metric)
					got = append(got, fmt.Sprintf("%s %.2f", metric, v))
					if limit := goals[step][metric]; !ok || v > limit {
						t.Errorf("%s = %v (measured: %v), goal <= %v", metric, v, ok, limit)
					}
				}
				t.Log(strings.Join(got, ", "))
			})
		}
	}
}

// The page of 3c (and of 3d and 3e) asks that every value reach every node
// once partitions heal. Jepsen set-full: no lost values.
func TestFaultTolerantBroadcastSurvivesPartitions(t *testing.T) {
	runs := map[string]string{
		"3c": "-w broadcast --node-count 5 --time-limit 20 --rate 10 --nemesis partition --seed 3",
		"3d": broadcast3d + " --nemesis partition",
		"3e": broadcast3d + " --nemesis partition",
	}
	for _, step := range []string{"3c", "3d", "3e"} {
		t.Run(step, func(t *testing.T) {
			res := simulate(t, step, runs[step])
			if !res.Valid {
				t.Fatalf("verdict %s, anomalies %+v", res.Verdict, res.Anomalies)
			}
		})
	}
}

// Step 3b's fire-and-forget gossip is correct without faults and loses
// values under partitions: what chapter 3c's experiment shows. Jepsen
// set-full: lost.
func TestFireAndForgetLosesUnderPartitions(t *testing.T) {
	base := "-w broadcast --node-count 5 --time-limit 20 --rate 10 --seed 3"
	if res := simulate(t, "3b", base); !res.Valid {
		t.Fatalf("without partitions: verdict %s, anomalies %+v", res.Verdict, res.Anomalies)
	}
	res := simulate(t, "3b", base+" --nemesis partition")
	if res.Valid {
		t.Fatal("3b's gossip under partitions: valid, want lost values")
	}
	if len(res.Anomalies) == 0 {
		t.Fatalf("verdict %s with no anomaly (problem %q), want lost values", res.Verdict, res.Problem)
	}
	for _, a := range res.Anomalies {
		if a.Kind != "lost" {
			t.Errorf("anomaly %s (%s), want only lost", a.Kind, a.Message)
		}
	}
	t.Logf("%s: %s", res.Anomalies[0].Kind, res.Anomalies[0].Message)
}

// TestTradeoff3e writes chapter 3e's table: step 3e's reference run with
// other flush intervals, in simulated time, with the challenge's flags
// and a fixed seed, so the table is the same on every machine. It is
// slow-ish (a few seconds per row) and prints rather than asserts, so it
// runs only when asked:
//
//	GLOMERS_TRADEOFF=1 go test ./internal/cli -run TestTradeoff3e -v
func TestTradeoff3e(t *testing.T) {
	if os.Getenv("GLOMERS_TRADEOFF") == "" {
		t.Skip("set GLOMERS_TRADEOFF=1 to measure chapter 3e's table")
	}
	ms := time.Millisecond
	rows := []broadcastefficient2.Intervals{
		{NodeFlush: 10 * ms, HubFlush: 60 * ms},
		{NodeFlush: 50 * ms, HubFlush: 100 * ms},
		{NodeFlush: 100 * ms, HubFlush: 200 * ms},
		{NodeFlush: 150 * ms, HubFlush: 300 * ms},
		{NodeFlush: 300 * ms, HubFlush: 600 * ms},
		{NodeFlush: 500 * ms, HubFlush: 1000 * ms},
	}
	var table strings.Builder
	table.WriteString("| nodeFlush | hubFlush | msgs per op (servers) | median latency | max latency |\n")
	table.WriteString("|----------:|---------:|----------------------:|---------------:|------------:|\n")
	for _, iv := range rows {
		iv.Sync = 2 * time.Second
		res := simulateWith(t, "3e with "+iv.NodeFlush.String()+"/"+iv.HubFlush.String(), broadcast3d,
			func(ctx context.Context, n *maelstrom.Node) { broadcastefficient2.StartWith(ctx, n, iv) })
		if !res.Valid {
			t.Fatalf("%v: verdict %s, anomalies %+v", iv, res.Verdict, res.Anomalies)
		}
		msgs, _ := res.Measure("servers.msgs_per_op")
		median, _ := res.Measure("stable_latency.median")
		maximum, _ := res.Measure("stable_latency.max")
		fmt.Fprintf(&table, "| %9d | %8d | %21.2f | %11.0f ms | %8.0f ms |\n",
			iv.NodeFlush.Milliseconds(), iv.HubFlush.Milliseconds(), msgs, median, maximum)
	}
	t.Log("\n" + table.String())
}

// simulateWith runs nodes started by start (which installs handlers and
// any background work that must stop with ctx) in simulated time.
func simulateWith(t *testing.T, name, args string, start func(context.Context, *maelstrom.Node)) *harness.Result {
	t.Helper()
	old := log.Writer()
	log.SetOutput(io.Discard) // the library logs every message it receives
	t.Cleanup(func() { log.SetOutput(old) })
	o := harness.DefaultConfig()
	fs := o.FlagSet("simulate")
	if err := o.Parse(fs, strings.Fields(args)); err != nil {
		t.Fatal(err)
	}
	o.Store = ""
	o.Launcher = &proc.Func{Name: name, Run: func(ctx context.Context, stdin io.Reader, stdout, _ io.Writer) error {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		n := maelstrom.NewNode()
		n.Stdin, n.Stdout = stdin, stdout
		start(ctx, n)
		return n.Run()
	}}
	if err := o.Finish(); err != nil {
		t.Fatal(err)
	}
	var res *harness.Result
	synctest.Test(t, func(t *testing.T) {
		var err error
		if res, err = harness.Run(context.Background(), o); err != nil {
			t.Fatalf("run: %v", err)
		}
	})
	return res
}
