package course

import (
	"strings"
	"testing"
)

// Only the workspace, or a target given with --record, changes a step's
// result; everything else says in one line why it does not.
func TestRecordDecision(t *testing.T) {
	node := Target{Name: "testdata/nodes/wrong-echo"}
	for _, c := range []struct {
		name         string
		tgt          Target
		quick        bool
		recordFlag   bool
		hasWorkspace bool
		record       bool
		why          string
	}{
		{"workspace", Target{Name: "glomers-work/1", Workspace: true}, false, false, true, true, ""},
		{"another node", node, false, false, true, false, "Not recorded: testdata/nodes/wrong-echo is not your workspace for step 1 (--record to record it)"},
		{"another node, no workspace", node, false, false, false, false, "Not recorded: testdata/nodes/wrong-echo is not your workspace for step 1 (tutor start 1 makes one; --record to record it)"},
		{"--record", node, false, true, true, true, ""},
		{"--quick", Target{Name: "glomers-work/1", Workspace: true}, true, false, true, false, "Not recorded: a --quick run is not the page's test."},
		{"reference", Target{Name: "the reference solution", Reference: true}, false, false, false, false, "Not recorded: the reference solution is not your node."},
	} {
		record, why := RecordDecision("1", c.tgt, c.quick, c.recordFlag, c.hasWorkspace)
		if record != c.record || why != c.why {
			t.Errorf("%s: record %v, %q; want %v, %q", c.name, record, why, c.record, c.why)
		}
		if strings.Contains(why, "\n") {
			t.Errorf("%s: the reason is more than one line", c.name)
		}
	}
}
