package book

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

const hinted = "# T\n\nText.\n\n<!-- hint\nFirst nudge.\n-->\n" +
	"```\n<!-- hint\nnot a hint: inside a fence\n-->\n```\n" +
	"<!-- hints are an ordinary comment -->\n" +
	"<!-- hint lost stale\n  Second nudge,\n  two lines.\n-->\nEnd.\n"

func TestHints(t *testing.T) {
	hints, err := Hints("c.md", []byte(hinted))
	if err != nil {
		t.Fatal(err)
	}
	if len(hints) != 2 {
		t.Fatalf("got %d hints, want 2: %+v", len(hints), hints)
	}
	if h := hints[0]; h.Line != 5 || len(h.Kinds) != 0 || h.Text != "First nudge." {
		t.Errorf("first hint = %+v", h)
	}
	if h := hints[1]; h.Line != 14 || !slices.Equal(h.Kinds, []string{"lost", "stale"}) || h.Text != "Second nudge,\ntwo lines." {
		t.Errorf("second hint = %+v", h)
	}
	if !hints[1].About("duplicate", "stale") || hints[1].About("duplicate") || hints[0].About("lost") {
		t.Error("About disagrees with the hint's kinds")
	}
}

func TestStripHints(t *testing.T) {
	out, err := StripHints("c.md", []byte(hinted))
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	for _, gone := range []string{"First nudge", "Second nudge"} {
		if strings.Contains(got, gone) {
			t.Errorf("stripped chapter still shows %q:\n%s", gone, got)
		}
	}
	for _, kept := range []string{"Text.", "not a hint: inside a fence", "<!-- hints are", "End."} {
		if !strings.Contains(got, kept) {
			t.Errorf("stripped chapter lost %q:\n%s", kept, got)
		}
	}
}

func TestBadHints(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"a\n<!-- hint\nnever closed\n", "c.md:2: hint never closed"},
		{"<!-- hint\n\n-->\n", "c.md:1: empty hint"},
		{"<!-- hint one line -->\n", "c.md:1: a hint's text goes on the lines after"},
		{"<!-- hint\ntext -->\n", "c.md:2: a hint ends with a line holding only"},
	} {
		_, err := Hints("c.md", []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Hints(%q) = %v, want an error containing %q", tc.src, err, tc.want)
		}
	}
}

// A step's hints come from its chapter, and its Markdown hides them.
func TestStepHints(t *testing.T) {
	fsys := fstest.MapFS{"chapters/9.md": {Data: []byte(hinted)}}
	s := Step{ID: "9", Chapter: "chapters/9.md"}
	hints, err := stepHints(fsys, s)
	if err != nil || len(hints) != 2 {
		t.Fatalf("stepHints = %v, %v", hints, err)
	}
	md, err := markdown(fsys, s)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(md), "nudge") {
		t.Errorf("Markdown shows a hint:\n%s", md)
	}
	if hints, err := stepHints(fsys, Step{ID: "8", Chapter: "chapters/8.md"}); err != nil || hints != nil {
		t.Errorf("unwritten chapter: hints %v, %v", hints, err)
	}
}

// Every chapter's hints parse.
func TestChapterHintsParse(t *testing.T) {
	files, _ := fs.Glob(content, "chapters/*.md")
	for _, f := range files {
		src, _ := fs.ReadFile(content, f)
		if _, err := Hints(f, src); err != nil {
			t.Error(err)
		}
	}
}
