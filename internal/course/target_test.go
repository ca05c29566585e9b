package course

import (
	"os"
	"path/filepath"
	"testing"
)

// The workspace is recognised however it is named.
func TestIsWorkspace(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.MkdirAll(filepath.Join("glomers-work", "1"), 0o755); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(filepath.Join("glomers-work", "1"))
	for _, p := range []string{"glomers-work/1", "./glomers-work/1/", abs} {
		if !IsWorkspace(p, abs) {
			t.Errorf("%s is not taken for the workspace %s", p, abs)
		}
	}
	if IsWorkspace("glomers-work", abs) || IsWorkspace("glomers-work/1", "") {
		t.Error("another directory, or no workspace, taken for the workspace")
	}
}
