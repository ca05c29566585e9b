package course

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glomers/glomers/internal/progress"
)

// The starter module pins the Maelstrom library exactly as tutor does.
func TestStarterPinMatchesGoMod(t *testing.T) {
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(gomod), maelstromModule+" "+maelstromVersion) {
		t.Errorf("go.mod does not require %s %s; update start.go", maelstromModule, maelstromVersion)
	}
	gosum, err := os.ReadFile("../../go.sum")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(gosum), maelstromSum) {
		t.Errorf("go.sum lacks the starter's lines:\n%s", maelstromSum)
	}
}

// A step carries on from the nearest earlier workspace of its own part;
// the first step of a part starts from the starter, whatever came before.
func TestPreviousWorkspaceStaysInThePart(t *testing.T) {
	dir := t.TempDir()
	ws := func(id string) string {
		d := filepath.Join(dir, id)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	p := progress.Progress{Workspaces: map[string]string{"6b": ws("6b"), "6c": filepath.Join(dir, "gone"), "7a": ws("7a")}}
	for _, tc := range []struct{ step, wantID string }{
		{"6c", "6b"}, // 6c's own workspace does not count; 6b's does
		{"7a", ""},   // first of part 2: fresh, though 6b's exists
		{"7b", "7a"},
	} {
		got, id := previousWorkspace(p, lookup(t, tc.step))
		if id != tc.wantID || (id != "" && got != p.Workspaces[id]) {
			t.Errorf("step %s carries on from %q (%s), want %q", tc.step, id, got, tc.wantID)
		}
	}
}
