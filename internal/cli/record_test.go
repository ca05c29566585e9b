package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/progress"
)

// Only the workspace, or a target given with --record, changes a step's
// result; everything else says in one line why it does not.
func TestRecordDecision(t *testing.T) {
	node := &target{name: "testdata/nodes/wrong-echo"}
	for _, c := range []struct {
		name         string
		tgt          *target
		cf           checkFlags
		hasWorkspace bool
		record       bool
		why          string
	}{
		{"workspace", &target{name: "glomers-work/1", workspace: true}, checkFlags{}, true, true, ""},
		{"another node", node, checkFlags{}, true, false, "Not recorded: testdata/nodes/wrong-echo is not your workspace for step 1 (--record to record it)"},
		{"another node, no workspace", node, checkFlags{}, false, false, "Not recorded: testdata/nodes/wrong-echo is not your workspace for step 1 (tutor start 1 makes one; --record to record it)"},
		{"--record", node, checkFlags{record: true}, true, true, ""},
		{"--quick", &target{name: "glomers-work/1", workspace: true}, checkFlags{quick: true}, true, false, "Not recorded: a --quick run is not the page's test."},
		{"reference", &target{name: "the reference solution", reference: true}, checkFlags{}, false, false, "Not recorded: the reference solution is not your node."},
	} {
		record, why := recordDecision("1", c.tgt, c.cf, c.hasWorkspace)
		if record != c.record || why != c.why {
			t.Errorf("%s: record %v, %q; want %v, %q", c.name, record, why, c.record, c.why)
		}
		if strings.Contains(why, "\n") {
			t.Errorf("%s: the reason is more than one line", c.name)
		}
	}
}

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
