package book

import (
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/glomers/glomers/internal/transcript"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

func TestStepsInOrder(t *testing.T) {
	want := []string{"1", "2", "3a", "3b", "3c", "3d", "3e", "4", "5a", "5b", "5c", "6a", "6b", "6c", "7a", "7b", "7c", "7d", "7e", "7f"}
	if got := IDs(); !slices.Equal(got, want) {
		t.Fatalf("IDs() = %v, want %v", got, want)
	}
	workloads := []string{"echo", "unique-ids", "broadcast", "g-counter", "kafka", "txn-rw-register", "lin-kv", "g-set", "pn-counter", "txn-list-append"}
	solutions := map[string]string{}
	for _, s := range Steps() {
		// Part 1 follows the Fly.io pages; part 2 follows Maelstrom's tutorial
		// (or, for a stage it lacks, another source), on GitHub.
		page := s.Page == "https://fly.io/dist-sys/"+s.ID
		if s.Part == 2 {
			page = strings.HasPrefix(s.Page, "https://github.com/")
		}
		if s.Title == "" || !page || s.Chapter != "chapters/"+s.ID+".md" {
			t.Errorf("step %s: title %q, page %q, chapter %q", s.ID, s.Title, s.Page, s.Chapter)
		}
		if other, dup := solutions[s.Solution]; dup || !strings.HasPrefix(s.Solution, "solutions/") {
			t.Errorf("step %s: solution %q (also step %q's)", s.ID, s.Solution, other)
		}
		solutions[s.Solution] = s.ID
		if len(s.Runs) == 0 || !slices.Contains(workloads, s.Workload()) {
			t.Errorf("step %s: workload %q from runs %v", s.ID, s.Workload(), s.Runs)
		}
		for _, r := range s.Runs {
			if slices.Contains(r.Args, "--bin") {
				t.Errorf("step %s: run %v includes --bin", s.ID, r.Args)
			}
			for _, a := range r.Args {
				if strings.ContainsRune(a, '–') {
					t.Errorf("step %s: argument %q has an en dash", s.ID, a)
				}
			}
		}
	}
}

// The commands and targets of the Fly.io pages (spec: maelstrom-reference
// §2.1).
func TestRunsAsOnThePages(t *testing.T) {
	for _, tc := range []struct {
		id   string
		runs []string
	}{
		{"1", []string{"-w echo --node-count 1 --time-limit 10"}},
		{"2", []string{"-w unique-ids --time-limit 30 --rate 1000 --node-count 3 --availability total --nemesis partition"}},
		{"3d", []string{
			"-w broadcast --node-count 25 --time-limit 20 --rate 100 --latency 100",
			"-w broadcast --node-count 25 --time-limit 20 --rate 100 --latency 100 --nemesis partition"}},
		{"5a", []string{"-w kafka --node-count 1 --concurrency 2n --time-limit 20 --rate 1000"}},
		{"6b", []string{
			"-w txn-rw-register --node-count 2 --concurrency 2n --time-limit 20 --rate 1000 --consistency-models read-uncommitted",
			"-w txn-rw-register --node-count 2 --concurrency 2n --time-limit 20 --rate 1000 --consistency-models read-uncommitted --availability total --nemesis partition"}},
		{"6c", []string{"-w txn-rw-register --node-count 2 --concurrency 2n --time-limit 20 --rate 1000 --consistency-models read-committed --availability total --nemesis partition"}},
		// Part 2: the last command of the tutorial chapter's stage
		// (doc/05-datomic/03-persistent-trees.md).
		{"7c", []string{"-w txn-list-append --time-limit 10 --node-count 2 --rate 100"}},
	} {
		s, err := Lookup(tc.id)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range s.Runs {
			got = append(got, strings.Join(r.Args, " "))
		}
		if !slices.Equal(got, tc.runs) {
			t.Errorf("step %s runs:\n%s\nwant\n%s", tc.id, strings.Join(got, "\n"), strings.Join(tc.runs, "\n"))
		}
	}

	// The efficiency steps' healthy runs carry the page's targets.
	for _, tc := range []struct {
		id   string
		want []Target
	}{
		{"3d", []Target{
			{"servers msgs-per-op", "servers.msgs_per_op", 30, ""},
			{"median stable latency", "stable_latency.median", 400, "ms"},
			{"max stable latency", "stable_latency.max", 600, "ms"},
		}},
		{"3e", []Target{
			{"servers msgs-per-op", "servers.msgs_per_op", 20, ""},
			{"median stable latency", "stable_latency.median", 1000, "ms"},
			{"max stable latency", "stable_latency.max", 2000, "ms"},
		}},
	} {
		s, _ := Lookup(tc.id)
		if got := s.Runs[0].Targets; !slices.Equal(got, tc.want) {
			t.Errorf("%s targets %v, want %v", tc.id, got, tc.want)
		}
	}
	s, _ := Lookup("3e")
	if len(s.Runs[1].Targets) != 0 || s.Runs[1].Note == "" {
		t.Errorf("3e partition run: targets %v, note %q; want none and a note", s.Runs[1].Targets, s.Runs[1].Note)
	}
}

func TestRunCommand(t *testing.T) {
	s, _ := Lookup("1")
	if got, want := s.Runs[0].Command("~/go/bin/maelstrom-echo"), "./maelstrom test -w echo --bin ~/go/bin/maelstrom-echo --node-count 1 --time-limit 10"; got != want {
		t.Errorf("Command() = %q, want %q", got, want)
	}
}

func TestLookup(t *testing.T) {
	for _, id := range []string{"3d", "3D", " 3d ", "#3D", "# 3d"} {
		s, err := Lookup(id)
		if err != nil || s.ID != "3d" {
			t.Errorf("Lookup(%q) = %q, %v; want step 3d", id, s.ID, err)
		}
	}
	_, err := Lookup("9z")
	var unknown *UnknownStepError
	if !errors.As(err, &unknown) || err.Error() != `unknown step "9z"; valid steps: 1, 2, 3a, 3b, 3c, 3d, 3e, 4, 5a, 5b, 5c, 6a, 6b, 6c, 7a, 7b, 7c, 7d, 7e, 7f` {
		t.Errorf("Lookup(9z) error = %v", err)
	}
	if _, err := Lookup("intro"); err == nil {
		t.Error("Lookup(intro) succeeded; the introduction is not a step")
	}
	if s, err := Page("Intro"); err != nil || s.ID != "intro" {
		t.Errorf("Page(Intro) = %q, %v", s.ID, err)
	}
	if s, err := Page("Measurements"); err != nil || s.ID != "measurements" {
		t.Errorf("Page(Measurements) = %q, %v", s.ID, err)
	}
	if _, err := Lookup("measurements"); err == nil {
		t.Error("Lookup(measurements) succeeded; the appendix is not a step")
	}
	if _, err := Page("9z"); err == nil || !strings.Contains(err.Error(), "valid steps: intro, 1, 2,") || !strings.HasSuffix(err.Error(), "7f, measurements") {
		t.Errorf("Page(9z) error = %v, want it to offer intro too", err)
	}
}

// Every chapter in the content belongs to a step (or is the introduction)
// and opens with the step's title, so the book and the prose agree.
func TestChapters(t *testing.T) {
	pages := append([]Step{Intro(), Measurements()}, Steps()...)
	known := map[string]Step{}
	for _, s := range pages {
		known[s.Chapter] = s
	}
	files, err := fs.Glob(content, "chapters/*.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		s, ok := known[f]
		if !ok {
			t.Errorf("%s belongs to no step", f)
			continue
		}
		src, _ := fs.ReadFile(content, f)
		if first, _, _ := strings.Cut(string(src), "\n"); first != "# "+s.Title {
			t.Errorf("%s starts with %q, want %q", f, first, "# "+s.Title)
		}
	}
	for _, id := range []string{"intro", "1", "2", "measurements"} {
		if s, _ := Page(id); !s.HasChapter() {
			t.Errorf("chapter %s is missing", id)
		}
	}
}

// Every cell of every chapter resolves, and the expanded Markdown is as
// in testdata/golden (rerun with -update to accept a change).
func TestExpandedChaptersGolden(t *testing.T) {
	for _, s := range append([]Step{Intro(), Measurements()}, Steps()...) {
		if !s.HasChapter() {
			continue
		}
		t.Run(s.ID, func(t *testing.T) {
			got, err := s.Markdown()
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "golden", s.ID+".md"), string(got))
		})
	}
}

func golden(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -update, then read the diff):\n%s", file, lineDiff(string(want), got))
	}
}

// lineDiff shows the first differing line, enough to find the change.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n\twant: " + wl + "\n\tgot:  " + gl
		}
	}
	return ""
}

func TestSolutionsExist(t *testing.T) {
	for _, id := range []string{"1", "2"} {
		if s, _ := Lookup(id); !s.HasSolution() {
			t.Errorf("step %s has no solution at %s", id, s.Solution)
		}
	}
	fsys := fstest.MapFS{
		"solutions/a/a.go":      {Data: []byte("package a")},
		"solutions/b/b_test.go": {Data: []byte("package b")},
	}
	if !hasSolution(fsys, "solutions/a") || hasSolution(fsys, "solutions/b") || hasSolution(fsys, "solutions/c") {
		t.Error("hasSolution: want true for a Go file, false for tests only or nothing")
	}
}

func TestPlaceholder(t *testing.T) {
	s, _ := Lookup("3d")
	md, err := markdown(fstest.MapFS{}, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"# Efficient Broadcast, Part I\n",
		"not written yet",
		"https://fly.io/dist-sys/3d",
		"./maelstrom test -w broadcast --bin YOUR-NODE --node-count 25 --time-limit 20 --rate 100 --latency 100\n",
		"--latency 100 --nemesis partition\n",
		"- median stable latency below 400 ms\n",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("placeholder lacks %q:\n%s", want, md)
		}
	}
}

// Every transcript archive belongs to a step and parses; step 1 has its
// protocol transcript, which tutor check replays.
func TestTranscripts(t *testing.T) {
	files, _ := fs.Glob(content, ScriptDir+"/transcript_*.txtar")
	ids := IDs()
	for _, f := range files {
		step, ok := transcript.StepOf(f)
		if !ok || !slices.Contains(ids, step) {
			t.Errorf("%s: belongs to no step (want transcript_<step>_<what>.txtar)", f)
		}
	}
	for _, id := range ids {
		s, _ := Lookup(id)
		if _, err := s.Transcripts(); err != nil {
			t.Errorf("step %s: %v", id, err)
		}
	}
	s, _ := Lookup("1")
	ts, _ := s.Transcripts()
	if len(ts) == 0 || ts[0].Name != "transcript_1_echo" || ts[0].Kind != transcript.Protocol {
		t.Errorf("step 1 transcripts: %v", ts)
	}
}

// Every step belongs to a part tutor list can name, and parts do not
// interleave: a part's steps come together, in the parts' order.
func TestStepsInParts(t *testing.T) {
	known := map[int]bool{}
	for _, p := range Parts() {
		known[p.Number] = true
	}
	last := 0
	for _, s := range Steps() {
		if !known[s.Part] {
			t.Errorf("step %s: part %d is not in Parts()", s.ID, s.Part)
		}
		if s.Part < last {
			t.Errorf("step %s: part %d after part %d", s.ID, s.Part, last)
		}
		last = s.Part
	}
}
