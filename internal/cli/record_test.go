package cli

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/progress"
)

// The workspace is recognised however it is named.
func TestIsWorkspace(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.MkdirAll(filepath.Join("glomers-work", "1"), 0o755); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(filepath.Join("glomers-work", "1"))
	for _, p := range []string{"glomers-work/1", "./glomers-work/1/", abs} {
		if !isWorkspace(p, abs) {
			t.Errorf("%s is not taken for the workspace %s", p, abs)
		}
	}
	if isWorkspace("glomers-work", abs) || isWorkspace("glomers-work/1", "") {
		t.Error("another directory, or no workspace, taken for the workspace")
	}
}

// LAST CHECK says when and against what, with the flags of a failure.
func TestLastCheck(t *testing.T) {
	at := time.Date(2026, 12, 6, 14, 5, 0, 0, time.Local)
	if got := lastCheck(progress.Result{At: at, Target: "./mynode", Flags: "--time-limit 2"}, true); got != "Dec 6 14:05, ./mynode --time-limit 2" {
		t.Errorf("lastCheck = %q", got)
	}
	if got := lastCheck(progress.Result{}, false); got != "" {
		t.Errorf("lastCheck of a step never checked = %q, want empty", got)
	}
}
