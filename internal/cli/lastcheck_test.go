package cli

import (
	"testing"
	"time"

	"github.com/glomers/glomers/internal/progress"
)

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
