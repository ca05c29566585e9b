package report

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/store"
	"github.com/glomers/glomers/internal/visual"
)

// Partitions turns the nemesis's record into the intervals the drawings
// shade: each start-partition until the next stop (or the end of the run).
func Partitions(recs []harness.NemesisRecord) []visual.Interval {
	var out []visual.Interval
	for _, r := range recs {
		switch r.Kind {
		case "start-partition":
			if n := len(out); n > 0 && out[n-1].End == 0 {
				out[n-1].End = r.Time
			}
			label := strings.TrimPrefix(r.Description, "partition ")
			if label == "" {
				label = r.Grudge.String()
			}
			out = append(out, visual.Interval{Start: r.Time, Label: label})
		case "stop-partition":
			if n := len(out); n > 0 && out[n-1].End == 0 {
				out[n-1].End = r.Time
			}
		}
	}
	return out
}

// Files are the pictures of a run, as written to its store directory.
type Files struct {
	Messages []byte // messages.svg
	Latency  []byte // latency.svg
	Rate     []byte // rate.svg
	// Focus (messages-focus.svg) is a second diagram, drawn when the first
	// stops before an anomaly's operation: the messages from just before
	// FocusOp on.
	Focus   []byte
	FocusOp int
}

// Draw renders the pictures of a run from its result and journal, the
// messages of the anomalies' operations marked.
func Draw(res *harness.Result, j *visual.Journal, marks map[int64]visual.Mark) Files {
	parts := Partitions(res.Nemesis)
	if j == nil {
		j = &visual.Journal{}
	}
	return Files{
		Messages: visual.Diagram(j, parts, marks),
		Latency:  visual.LatencyPlot(res.History, parts),
		Rate:     visual.RatePlot(res.History, parts),
	}
}

// LoadJournal selects the first messages of the run's journal sent at
// or after from, from the journal the run kept (Result.Journal).
func LoadJournal(res *harness.Result, from time.Duration) (*visual.Journal, error) {
	return visual.Select(res.Journal.Events(), 0, from)
}

// focusLead is how much of the run before an anomaly's operation the
// focus diagram shows, for the messages that led up to it.
const focusLead = 50 * time.Millisecond

// focusStart picks the operation a focus diagram should show, when the
// first diagram (j) was cut before the messages of some marked operation:
// the earliest such operation, and the time to start from (never before
// the first diagram's end, so no message is drawn twice).
func focusStart(res *harness.Result, j *visual.Journal, marks map[int64]visual.Mark) (first visual.Mark, from time.Duration, ok bool) {
	if j == nil || !j.Cut {
		return visual.Mark{}, 0, false
	}
	drawn := map[int]bool{}
	for _, e := range j.Events {
		if m, ok := marks[e.ID]; ok {
			drawn[m.Op] = true
		}
	}
	first.Op = -1
	for _, m := range marks {
		if drawn[m.Op] || m.Op < 0 || m.Op >= len(res.History) {
			continue
		}
		if first.Op < 0 || res.History[m.Op].Time < res.History[first.Op].Time {
			first = m
		}
	}
	if first.Op < 0 {
		return visual.Mark{}, 0, false
	}
	return first, max(res.History[first.Op].Time-focusLead, j.Until), true
}

// WriteFiles writes the run's pictures (messages.svg, latency.svg,
// rate.svg) and report.html into its store directory, with the
// explanations and hints the terminal summary shows too.
func WriteFiles(res *harness.Result, ev Evidence, ex []Explanation, hints []string) error {
	if res.StoreDir == "" {
		return nil
	}
	var errs []error
	j, err := LoadJournal(res, 0)
	if err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", store.Diagram, err))
	}
	f := Draw(res, j, ev.Marks)
	journals := []*visual.Journal{j}
	if first, from, ok := focusStart(res, j, ev.Marks); ok {
		if fj, err := LoadJournal(res, from); err == nil {
			f.Focus, f.FocusOp = visual.Diagram(fj, Partitions(res.Nemesis), ev.Marks), first.Name
			journals = append(journals, fj)
		}
	}
	// The operations whose messages a diagram shows can link to them.
	drawn := map[int]bool{}
	for _, j := range journals {
		if j == nil {
			continue
		}
		for _, e := range j.Events {
			if m, ok := ev.Marks[e.ID]; ok {
				drawn[m.Op] = true
			}
		}
	}
	files := []struct {
		name string
		b    []byte
	}{{store.Diagram, f.Messages}, {store.LatencyPlot, f.Latency}, {store.RatePlot, f.Rate}}
	if f.Focus != nil {
		files = append(files, struct {
			name string
			b    []byte
		}{store.FocusDiagram, f.Focus})
	}
	for _, file := range files {
		errs = append(errs, os.WriteFile(filepath.Join(res.StoreDir, file.name), file.b, 0o644))
	}
	var page bytes.Buffer
	if err := HTML(&page, Page{Result: res, Explanations: ex, Hints: hints, Files: f, Logs: res.NodeLogs.Files(), InDiagram: drawn}); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", store.Report, err))
	} else {
		errs = append(errs, os.WriteFile(filepath.Join(res.StoreDir, store.Report), page.Bytes(), 0o644))
	}
	return errors.Join(errs...)
}
