package cli

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/harness"
)

// BenchmarkHarnessOverhead measures what a run costs beyond the time it is
// asked to take: the wall time of a 25-node broadcast run at rate 100 with
// 100 ms latency (step 3d's shape, 5 s of operations and a 2 s recovery
// wait) minus those 7 s: starting 25 processes, init, topology, final
// reads, checking and writing the store. The node is testdata's
// fire-and-forget gossip node, a real process.
//
// On the 2-core development machine, with other work running: about
// 0.3 s per run (go test -run XXX -bench Overhead -benchtime 3x
// ./internal/cli). The budget is 1 s; Maelstrom's JVM start and analysis
// take several.
func BenchmarkHarnessOverhead(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "node")
	build := exec.Command("go", "build", "-o", bin, "./testdata/nodes/lossy-gossip")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	o := harness.DefaultConfig()
	fs := o.FlagSet("bench")
	if err := o.Parse(fs, []string{"-w", "broadcast", "--bin", bin, "--node-count", "25", "--rate", "100",
		"--latency", "100", "--time-limit", "5", "--recovery-wait", "2"}); err != nil {
		b.Fatal(err)
	}
	o.Store = b.TempDir()
	if err := o.Finish(); err != nil {
		b.Fatal(err)
	}
	var over time.Duration
	n := 0
	for b.Loop() {
		start := time.Now()
		res, err := harness.Run(context.Background(), o)
		if err != nil || !res.Valid {
			b.Fatalf("run: %v %+v", err, res.Anomalies)
		}
		over += time.Since(start) - o.TimeLimit - o.RecoveryWait
		n++
	}
	b.ReportMetric(over.Seconds()/float64(n), "overhead-s/run")
}
