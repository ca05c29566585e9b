package course

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/progress"
	"github.com/glomers/glomers/internal/store"
)

// Hints come one at a time, remembered across calls; --reset starts
// again, --all shows every one and moves nothing on.
func TestRevealHints(t *testing.T) {
	getenv := learner(t)
	var step book.Step
	for _, s := range book.Steps() {
		if h, _ := s.Hints(); len(h) >= 2 {
			step = s
			break
		}
	}
	if step.ID == "" {
		t.Skip("no step with two hints")
	}
	for want := range 2 {
		r, err := RevealHints(getenv, step, false, false)
		if err != nil || r.From != want || r.To != want+1 {
			t.Fatalf("call %d: hints %d..%d, %v; want %d..%d", want+1, r.From, r.To, err, want, want+1)
		}
	}
	r, err := RevealHints(getenv, step, true, false)
	if err != nil || r.From != 0 || r.To != len(r.Hints) {
		t.Errorf("--all: hints %d..%d of %d, %v", r.From, r.To, len(r.Hints), err)
	}
	if r, _ := RevealHints(getenv, step, false, true); r.From != 0 || r.To != 1 {
		t.Errorf("--reset: hints %d..%d; want the first", r.From, r.To)
	}
}

// The diff is a spoiler until the learner's node passed the step; the
// first step has nothing to compare with.
func TestStepDiff(t *testing.T) {
	getenv := learner(t)
	ids := book.IDs()
	if c, err := StepDiff(getenv, lookup(t, ids[0]), false); err != nil || !c.First {
		t.Errorf("first step: %+v, %v", c, err)
	}
	second := lookup(t, ids[1])
	if _, err := StepDiff(getenv, second, false); !errors.Is(err, ErrSpoiler) {
		t.Errorf("before a pass: %v; want ErrSpoiler", err)
	}
	if err := progress.Record(getenv(progress.EnvVar), second.ID, progress.Result{Passed: true}); err != nil {
		t.Fatal(err)
	}
	c, err := StepDiff(getenv, second, false)
	if err != nil || len(c.Diff) == 0 || c.NewDir != second.Solution {
		t.Errorf("after a pass: %+v, %v; want the diff", c, err)
	}
}

// Start writes a starter node, then carries it on to the next step, and
// never overwrites a directory with files in it.
func TestStart(t *testing.T) {
	getenv := learner(t)
	ids := book.IDs()
	first, second := lookup(t, ids[0]), lookup(t, ids[1])
	s, err := Start(getenv, first, "one")
	if err != nil || s.CopiedFrom != "" {
		t.Fatalf("start %s: %+v, %v", first.ID, s, err)
	}
	if err := os.WriteFile(filepath.Join("one", "extra.go"), []byte("package main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A check run from inside the workspace leaves its runs there.
	run := filepath.Join("one", store.DefaultRoot, "echo", "20261206T180353.716")
	if err := os.MkdirAll(run, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(run, "results.json"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = Start(getenv, second, "two")
	if err != nil || s.FromStep != first.ID {
		t.Fatalf("start %s: %+v, %v; want it carried on from %s", second.ID, s, err, first.ID)
	}
	if _, err := os.Stat(filepath.Join("two", "extra.go")); err != nil {
		t.Errorf("the previous workspace's files were not copied: %v", err)
	}
	if _, err := os.Stat(filepath.Join("two", store.DefaultRoot)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the previous step's runs were copied too (%v)", err)
	}
	// The carried-over starter names its new step, not the old one.
	main, err := os.ReadFile(filepath.Join("two", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(main), starterHeader(second)) || strings.Contains(string(main), "tutor check "+first.ID+"\n") {
		t.Errorf("the copied main.go opens with\n%s", string(main)[:min(len(main), 200)])
	}
	if ws, err := Workspace(getenv, second); err != nil || ws != s.Dir {
		t.Errorf("workspace of %s: %q, %v; want %q", second.ID, ws, err, s.Dir)
	}
	if _, err := Start(getenv, second, "two"); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("start into a full directory: %v; want ErrNotEmpty", err)
	}
}
