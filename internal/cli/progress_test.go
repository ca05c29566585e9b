package cli

import (
	"bytes"
	"io"
	"os"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/harness"
)

// The live line says the phase, the time elapsed of the time limit, the
// operations done and the errors so far, redrawn in place.
func TestProgressLine(t *testing.T) {
	var b bytes.Buffer
	progressLine(&b, harness.Progress{Phase: "main", Elapsed: 2345 * time.Millisecond, Limit: 10 * time.Second, Ops: 17, Errors: 2})
	if want := "\r\033[Kmain        2.3s of 10s  17 ops  2 errors"; b.String() != want {
		t.Errorf("progress line %q, want %q", b.String(), want)
	}
}

// Only a terminal gets the live line: not a pipe, a file or a buffer.
func TestProgressOnlyOnTerminals(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for name, out := range map[string]io.Writer{"pipe": w, "buffer": &bytes.Buffer{}} {
		if isTerminal(out) {
			t.Errorf("a %s counts as a terminal", name)
		}
	}
}
