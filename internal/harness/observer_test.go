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

func (o *logObserver) events() io.Writer        { return &o.journal }
func (o *logObserver) nodeLog(string) io.Writer { return &o.logs }
func (o *logObserver) progress(p Progress)      { o.seen = append(o.seen, p) }
func (o *logObserver) finish(*Result) error     { return o.err }

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
	obs := observers{a, progressFunc(func(Progress) { ticks++ }), b}
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
