package harness

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// logObserver keeps what it is told in memory.
type logObserver struct {
	journal, logs strings.Builder
	seen          []Progress
	err           error
}

func (o *logObserver) Events() io.Writer        { return &o.journal }
func (o *logObserver) NodeLog(string) io.Writer { return &o.logs }
func (o *logObserver) Progress(p Progress)      { o.seen = append(o.seen, p) }
func (o *logObserver) Finish(*Result) error     { return o.err }

// Every observer is told everything; an observer with nowhere to write
// adds no writer, and with none at all the run writes nowhere.
func TestObserversAreEachToldEverything(t *testing.T) {
	t.Parallel()
	var none observers
	if none.events() != nil || none.nodeLog("n0") != nil || none.finish(&Result{}) != nil {
		t.Fatal("no observers, yet somewhere to write or an error")
	}
	a, b := &logObserver{}, &logObserver{err: errors.New("disk full")}
	var ticks int
	obs := observers{a, ProgressFunc(func(Progress) { ticks++ }), b}
	io.WriteString(obs.events(), "event\n")
	io.WriteString(obs.nodeLog("n0"), "log\n")
	obs.progress(Progress{Phase: "main"})
	for _, o := range []*logObserver{a, b} {
		if o.journal.String() != "event\n" || o.logs.String() != "log\n" || len(o.seen) != 1 || o.seen[0].Phase != "main" {
			t.Errorf("observer told journal %q, logs %q, progress %v", o.journal.String(), o.logs.String(), o.seen)
		}
	}
	if ticks != 1 {
		t.Errorf("progress function called %d times, want 1", ticks)
	}
	if err := obs.finish(&Result{}); err == nil || err.Error() != "disk full" {
		t.Errorf("finish error %v, want disk full", err)
	}
}

// --log-stderr's echo names each line's node and clips a long line, as
// the crash report's tail does.
func TestEchoLogsNamesTheNode(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	echo := EchoLogs(&out)
	io.WriteString(echo.NodeLog("n1"), "starting\n")
	io.WriteString(echo.NodeLog("n2"), strings.Repeat("x", 600)+"\n")
	want := "n1: starting\nn2: " + strings.Repeat("x", 500) + "...\n"
	if out.String() != want {
		t.Errorf("echoed %q, want %q", out.String(), want)
	}
}
