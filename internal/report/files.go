package report

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/glomers/glomers/internal/harness"
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

// LoadJournal reads the first messages of the run's journal.jsonl.
func LoadJournal(dir string) (*visual.Journal, error) {
	f, err := os.Open(filepath.Join(dir, "journal.jsonl"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return visual.ReadJournal(f, 0)
}

// WriteFiles writes the run's pictures (messages.svg, latency.svg,
// rate.svg) and report.html into its store directory, with the
// explanations and hints the terminal summary shows too.
func WriteFiles(res *harness.Result, ev Evidence, ex []Explanation, hints []string) error {
	if res.StoreDir == "" {
		return nil
	}
	var errs []error
	j, err := LoadJournal(res.StoreDir)
	if err != nil {
		errs = append(errs, fmt.Errorf("messages.svg: %w", err))
	}
	f := Draw(res, j, ev.Marks)
	// The operations whose messages the diagram shows can link to them.
	drawn := map[int]bool{}
	if j != nil {
		for _, e := range j.Events {
			if m, ok := ev.Marks[e.ID]; ok {
				drawn[m.Op] = true
			}
		}
	}
	for _, file := range []struct {
		name string
		b    []byte
	}{{"messages.svg", f.Messages}, {"latency.svg", f.Latency}, {"rate.svg", f.Rate}} {
		errs = append(errs, os.WriteFile(filepath.Join(res.StoreDir, file.name), file.b, 0o644))
	}
	var logs []string
	if entries, err := os.ReadDir(filepath.Join(res.StoreDir, "node-logs")); err == nil {
		for _, e := range entries {
			logs = append(logs, "node-logs/"+e.Name())
		}
	}
	var page bytes.Buffer
	if err := HTML(&page, Page{Result: res, Explanations: ex, Hints: hints, Files: f, Logs: logs, InDiagram: drawn}); err != nil {
		errs = append(errs, fmt.Errorf("report.html: %w", err))
	} else {
		errs = append(errs, os.WriteFile(filepath.Join(res.StoreDir, "report.html"), page.Bytes(), 0o644))
	}
	return errors.Join(errs...)
}
