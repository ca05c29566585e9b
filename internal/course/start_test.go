package course

import (
	"os"
	"strings"
	"testing"
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
