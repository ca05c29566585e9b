package course

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/progress"
)

// 3d's two runs differ only by --nemesis partition: with that flag the
// first is the second, whatever seeds they would draw, and a flag that
// only says where results go changes nothing.
func TestRunKeyFindsTheSameRun(t *testing.T) {
	step := lookup(t, "3d")
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
			keys[i] = runKey(o.Options)
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
	step := lookup(t, "3d")
	r := step.Runs[0]
	if len(r.Targets) == 0 {
		t.Fatal("3d's first run has no targets")
	}
	o, err := runOptions(step, r, Target{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, why := judgedTargets(r.Targets, o.Options, false); len(got) != len(r.Targets) || why != Judged {
		t.Errorf("healthy run: %d targets judged (%v), want %d", len(got), why, len(r.Targets))
	}
	if got, why := judgedTargets(r.Targets, o.Options, true); got != nil || why != InQuickRun {
		t.Errorf("quick run: %v, %v", got, why)
	}
	o.Nemesis = []string{"partition"}
	if got, why := judgedTargets(r.Targets, o.Options, false); got != nil || why != UnderPartitions {
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

// fakeRunner answers every run with a result of the given validity and
// remembers what it was asked to run.
type fakeRunner struct {
	valid bool
	specs []RunSpec
}

func (f *fakeRunner) Run(_ context.Context, spec RunSpec, _ Observer) (RunOutcome, error) {
	f.specs = append(f.specs, spec)
	return RunOutcome{Result: &harness.Result{Valid: f.valid, Verdict: "valid"}}, nil
}

// plans is an Observer that keeps the runs' plans.
type plans struct {
	nobody
	got []RunPlan
}

func (p *plans) RunPlanned(r RunPlan) { p.got = append(p.got, r) }

// Step 3d has no transcripts, so a check of it with a fake runner runs
// no process: with --nemesis partition its first run is its second,
// which is not run twice; the first's targets are not judged; a pass
// with a flag that changes the test is not recorded, a failure is.
func TestCheckWithTheFlagsThatMakeTwoRunsOne(t *testing.T) {
	step := lookup(t, "3d")
	progressPath := filepath.Join(t.TempDir(), "progress.json")
	tgt := Target{Name: "glomers-work/3d", Path: "/bin/true", Workspace: true}
	for _, valid := range []bool{true, false} {
		runner, obs := &fakeRunner{valid: valid}, &plans{}
		rep, err := Check(context.Background(), step, tgt, Options{
			Overrides: []string{"--nemesis", "partition"}, ProgressPath: progressPath,
			Runner: runner, Observer: obs,
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(runner.specs) != 1 || len(runner.specs[0].Run.Targets) != 0 {
			t.Fatalf("valid %v: runs done %+v, want one, no target judged", valid, runner.specs)
		}
		if len(obs.got) != 2 || obs.got[0].NotJudged != UnderPartitions || obs.got[1].DuplicateOf != 1 {
			t.Errorf("valid %v: plans %+v", valid, obs.got)
		}
		if len(rep.Runs) != 2 || rep.Runs[1].Skipped == "" || rep.Passed != valid || rep.PageTest {
			t.Errorf("valid %v: report %+v", valid, rep)
		}
		p, err := progress.Load(progressPath)
		if err != nil {
			t.Fatal(err)
		}
		r, recorded := p.Steps["3d"]
		switch {
		case valid && (recorded || rep.Recorded || rep.NotRecorded == ""):
			t.Errorf("a pass with --nemesis partition recorded (%v, %q)", recorded, rep.NotRecorded)
		case !valid && (!recorded || r.Passed || r.Flags != "--nemesis partition" || !rep.Recorded):
			t.Errorf("the failure is not recorded as it was: %+v", r)
		}
	}
}
