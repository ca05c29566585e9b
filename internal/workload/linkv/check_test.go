package linkv

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/checkertest"
	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// The checker's cases, one file each under testdata/check: a history in,
// the verdict, anomalies, notes and metrics out.
func TestCheckCases(t *testing.T) {
	checkertest.Run(t, func(h history.History, _ string) (workload.Result, error) {
		return Check(h, 10*time.Second), nil
	})
}

// A search that does not finish within its budget gives an unknown
// verdict with a note, never a guess: thirty indeterminate writes of
// distinct values, all open to the end, then reads of each value and of
// one nobody wrote, which leaves porcupine every subset of the writes to
// try before it can say no.
func TestOutOfBudgetIsUnknown(t *testing.T) {
	var b history.Builder
	const writes = 30
	for p := range writes {
		b.Add(history.Op{Type: history.Invoke, Process: p, F: "write", Value: history.Value([]any{0, p})})
	}
	for p := range writes {
		b.Add(history.Op{Time: 1, Type: history.Info, Process: p, F: "write", Value: history.Value([]any{0, p}), Error: "timeout"})
	}
	for i := range writes + 1 {
		v := i
		if i == writes {
			v = 99
		}
		at := time.Duration(10 + 2*i)
		b.Add(history.Op{Time: at, Type: history.Invoke, Process: 100, F: "read", Value: history.Value([]any{0, nil})})
		b.Add(history.Op{Time: at + 1, Type: history.OK, Process: 100, F: "read", Value: history.Value([]any{0, v})})
	}
	res := Check(b.History(), 50*time.Millisecond)
	if res.Validity != workload.Unknown || len(res.Anomalies) != 0 || len(res.Notes) != 1 || res.Notes[0].Kind != NoteUnknown {
		t.Fatalf("result %+v, want unknown with one %s note", res, NoteUnknown)
	}
	t.Log(res.Notes[0].Message)
}

// Visualize draws the keys that cannot be linearized, with their
// smallest window marked, and nothing for a history that passes.
func TestVisualize(t *testing.T) {
	var b history.Builder
	add := func(p int, f string, v any, at time.Duration) {
		b.Add(history.Op{Time: at, Type: history.Invoke, Process: p, F: f, Value: history.Value(v)})
	}
	done := func(p int, f string, v any, at time.Duration) {
		b.Add(history.Op{Time: at, Type: history.OK, Process: p, F: f, Value: history.Value(v)})
	}
	add(0, "write", []any{0, 1}, 0)
	done(0, "write", []any{0, 1}, 10)
	add(0, "write", []any{0, 2}, 20)
	done(0, "write", []any{0, 2}, 30)
	add(1, "write", []any{1, 4}, 35)
	done(1, "write", []any{1, 4}, 36)
	ok := b.History()
	var page bytes.Buffer
	if drawn, err := Visualize(&page, ok, time.Second); drawn || err != nil || page.Len() != 0 {
		t.Fatalf("a linearizable history: drawn %v, %v, %d bytes", drawn, err, page.Len())
	}
	add(1, "read", []any{0, nil}, 40)
	done(1, "read", []any{0, 1}, 50) // stale: op 7
	drawn, err := Visualize(&page, b.History(), time.Second)
	if !drawn || err != nil {
		t.Fatalf("a stale read: drawn %v, %v", drawn, err)
	}
	for _, want := range []string{"<html", `"Tag":"key 0"`, `smallest window: ops 1, 3, 7`, "op 7: read 1"} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page.String(), "write 4") {
		t.Errorf("the page draws key 1, which is linearizable")
	}
}
