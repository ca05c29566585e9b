package course

import (
	"testing"

	"github.com/glomers/glomers/book"
)

// 3d's two runs differ only by --nemesis partition: with that flag the
// first is the second, whatever seeds they would draw, and a flag that
// only says where results go changes nothing.
func TestRunKeyFindsTheSameRun(t *testing.T) {
	step, err := book.Lookup("3d")
	if err != nil {
		t.Fatal(err)
	}
	if len(step.Runs) != 2 {
		t.Fatalf("step 3d has %d runs, want 2", len(step.Runs))
	}
	tgt := Target{Name: "node", Path: "/bin/node"}
	key := func(overrides ...string) (string, string) {
		t.Helper()
		var keys [2]string
		for i, r := range step.Runs {
			o, err := runOptions(step, r, tgt, Options{Overrides: overrides})
			if err != nil {
				t.Fatal(err)
			}
			o.Seed = uint64(i + 1)
			keys[i] = runKey(o)
		}
		return keys[0], keys[1]
	}
	if a, b := key(); a == b {
		t.Error("3d's runs are taken for the same run")
	}
	if a, b := key("--nemesis", "partition", "--store", "elsewhere", "--seed", "7"); a != b {
		t.Errorf("with --nemesis partition, 3d's runs differ:\n%s\n%s", a, b)
	}
	if a, b := key("--rate", "10"); a == b {
		t.Error("--rate made 3d's runs the same")
	}
}

// The page's targets are judged on a healthy network, at full length.
func TestJudgedTargets(t *testing.T) {
	step, _ := book.Lookup("3d")
	r := step.Runs[0]
	if len(r.Targets) == 0 {
		t.Fatal("3d's first run has no targets")
	}
	o, err := runOptions(step, r, Target{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, why := judgedTargets(r.Targets, o, false); len(got) != len(r.Targets) || why != Judged {
		t.Errorf("healthy run: %d targets judged (%v), want %d", len(got), why, len(r.Targets))
	}
	if got, why := judgedTargets(r.Targets, o, true); got != nil || why != InQuickRun {
		t.Errorf("quick run: %v, %v", got, why)
	}
	o.Nemesis = []string{"partition"}
	if got, why := judgedTargets(r.Targets, o, false); got != nil || why != UnderPartitions {
		t.Errorf("partitioned run: %v, %v", got, why)
	}
	specs := HarnessTargets(r.Targets)
	for i, s := range specs {
		if s.Name != r.Targets[i].Name || s.Metric != r.Targets[i].Metric || s.Limit != r.Targets[i].Limit {
			t.Errorf("target %d: %+v from %+v", i, s, r.Targets[i])
		}
	}
}

// A check's own flags never reach the runs; Maelstrom's do, and the
// flags that only change where results go do not make a pass partial.
func TestMaelstromArgs(t *testing.T) {
	over := []string{"--json", "--keep", "3", "--nemesis", "partition", "--strict", "--seed=4"}
	got := MaelstromArgs(over)
	want := []string{"--nemesis", "partition", "--seed=4"}
	if len(got) != len(want) {
		t.Fatalf("MaelstromArgs = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("MaelstromArgs = %q, want %q", got, want)
		}
	}
	if p := DropFlags(got, sameTestFlags); len(p) != 2 {
		t.Errorf("partial flags = %q, want the nemesis alone", p)
	}
}
