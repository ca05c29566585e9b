package course

import (
	"testing"
	"testing/fstest"
)

// Package names are made equal before comparing, tests are left out, and
// a file on one side only is added or removed whole.
func TestDiffSolutions(t *testing.T) {
	fsys := fstest.MapFS{
		"solutions/old/a.go":      {Data: []byte("// Package old is x.\npackage old\n\nconst n = 1\n")},
		"solutions/old/a_test.go": {Data: []byte("package old\n")},
		"solutions/new/a.go":      {Data: []byte("// Package new is x.\npackage new\n\nconst n = 2\n")},
		"solutions/new/b.go":      {Data: []byte("package new\n")},
	}
	got, err := DiffSolutions(fsys, "solutions/old", "solutions/new")
	if err != nil {
		t.Fatal(err)
	}
	want := "diff solutions/old/a.go solutions/new/a.go\n--- solutions/old/a.go\n+++ solutions/new/a.go\n@@ -1,4 +1,4 @@\n // Package new is x.\n package new\n \n-const n = 1\n+const n = 2\n" +
		"diff /dev/null solutions/new/b.go\n--- /dev/null\n+++ solutions/new/b.go\n@@ -0,0 +1,1 @@\n+package new\n"
	if string(got) != want {
		t.Errorf("diff =\n%s\nwant\n%s", got, want)
	}
}

// Two solutions that differ only in the package's name have no diff.
func TestDiffSolutionsSame(t *testing.T) {
	fsys := fstest.MapFS{
		"solutions/old/a.go": {Data: []byte("// Package old is x.\npackage old\n")},
		"solutions/new/a.go": {Data: []byte("// Package new is x.\npackage new\n")},
	}
	got, err := DiffSolutions(fsys, "solutions/old", "solutions/new")
	if err != nil || len(got) != 0 {
		t.Errorf("diff = %q, %v; want none", got, err)
	}
}
