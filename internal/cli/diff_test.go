package cli

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestUnifiedDiff(t *testing.T) {
	a := splitLines("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n")
	b := splitLines("a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n")
	want := "@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -10,3 +10,4 @@\n j\n k\n l\n+m\n"
	if got := unifiedDiff(a, b, 3); got != want {
		t.Errorf("unifiedDiff =\n%s\nwant\n%s", got, want)
	}
	if got := unifiedDiff(a, a, 3); got != "" {
		t.Errorf("diff of equal files = %q", got)
	}
}

// Package names are made equal before comparing, tests are left out, and
// a file on one side only is added or removed whole.
func TestDiffSolutions(t *testing.T) {
	fsys := fstest.MapFS{
		"solutions/old/a.go":      {Data: []byte("// Package old is x.\npackage old\n\nconst n = 1\n")},
		"solutions/old/a_test.go": {Data: []byte("package old\n")},
		"solutions/new/a.go":      {Data: []byte("// Package new is x.\npackage new\n\nconst n = 2\n")},
		"solutions/new/b.go":      {Data: []byte("package new\n")},
	}
	var sb strings.Builder
	if err := diffSolutions(&sb, fsys, "solutions/old", "solutions/new"); err != nil {
		t.Fatal(err)
	}
	want := "--- solutions/old/a.go\n+++ solutions/new/a.go\n@@ -1,4 +1,4 @@\n // Package new is x.\n package new\n \n-const n = 1\n+const n = 2\n" +
		"--- /dev/null\n+++ solutions/new/b.go\n@@ -1,0 +1,1 @@\n+package new\n"
	if sb.String() != want {
		t.Errorf("diff =\n%s\nwant\n%s", sb.String(), want)
	}
}
