// Package checkertest runs a workload's checker over its case files, the
// etcd raft way: each testdata/check/*.txtar is a history in and the
// result out, so a new case is a new file rather than another Go
// function. Only tests import it; it reads and (under -update-cases)
// writes those files, which is why it lives outside the pure
// internal/workload.
package checkertest

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// updateCases rewrites the want section of every case file with what the
// checker now says: go test ./internal/workload/kafka -run TestCheckCases
// -update-cases. Review the diff before committing it.
var updateCases = flag.Bool("update-cases", false, "rewrite the want section of checker case files")

// CheckFunc runs a package's checker on a case's history. options is the
// case's options file, trimmed ("" when it has none); each package says
// what it means (kafka: strict-commits; txn: the consistency models), and
// returns an error for options it does not know.
type CheckFunc func(h history.History, options string) (workload.Result, error)

// Run runs check over every testdata/check/*.txtar case of the package
// under test. A case file is a
// txtar archive whose comment says what the case shows (and cites the
// rule), with these files:
//
//	options        optional, handed to check as text
//	history.jsonl  the history, one operation a line, as a run's
//	               history.jsonl holds it
//	want           the result, as Render writes it
//
// The want section is compared line for line; -update-cases rewrites it.
func Run(t *testing.T, check CheckFunc) {
	t.Helper()
	paths, err := filepath.Glob("testdata/check/*.txtar")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no checker cases in testdata/check (%v)", err)
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			ar := txtar.Parse(data)
			if len(bytes.TrimSpace(ar.Comment)) == 0 {
				t.Errorf("%s: no comment saying what the case shows", path)
			}
			h, err := history.ReadJSONLines(bytes.NewReader(section(ar, "history.jsonl")))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			res, err := check(h, strings.TrimSpace(string(section(ar, "options"))))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			got := Render(res)
			want := string(section(ar, "want"))
			if got == want {
				return
			}
			if *updateCases {
				setSection(ar, "want", got)
				if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			t.Errorf("%s: the checker says\n%s\nbut the case wants\n%s", path, got, want)
		})
	}
}

// RunModels is Run for the transactional checkers, whose options are the
// consistency models (none: Maelstrom's default), separated by white
// space.
func RunModels(t *testing.T, check func(h history.History, models []string) workload.Result) {
	t.Helper()
	Run(t, func(h history.History, options string) (workload.Result, error) {
		return check(h, strings.Fields(options)), nil
	})
}

// RunNoOptions is Run for the checkers that take no options (echo's,
// broadcast's, the counters' ...), which each wrote the same adapter: a
// case that gives options anyway fails, since they would be silently
// ignored.
func RunNoOptions(t *testing.T, check func(h history.History) workload.Result) {
	t.Helper()
	Run(t, noOptions(check))
}

func noOptions(check func(h history.History) workload.Result) CheckFunc {
	return func(h history.History, options string) (workload.Result, error) {
		if options != "" {
			return workload.Result{}, fmt.Errorf("options %q given to a checker that takes none", options)
		}
		return check(h), nil
	}
}

func section(ar *txtar.Archive, name string) []byte {
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data
		}
	}
	return nil
}

func setSection(ar *txtar.Archive, name, data string) {
	for i, f := range ar.Files {
		if f.Name == name {
			ar.Files[i].Data = []byte(data)
			return
		}
	}
	ar.Files = append(ar.Files, txtar.File{Name: name, Data: []byte(data)})
}

// Render writes a result as case files hold it: the verdicts, then one
// line per anomaly and note (kind, strict mark, ops, message), then each
// metric as JSON, sorted by name.
func Render(r workload.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "validity %s\n", r.Validity)
	if r.Maelstrom() != r.Validity {
		fmt.Fprintf(&b, "maelstrom %s\n", r.Maelstrom())
	}
	line := func(what string, a workload.Anomaly) {
		strict := ""
		if a.Strict {
			strict = " strict"
		}
		fmt.Fprintf(&b, "%s %s%s %v: %s\n", what, a.Kind, strict, a.Ops, a.Message)
	}
	for _, a := range r.Anomalies {
		line("anomaly", a)
	}
	for _, a := range r.Notes {
		line("note", a)
	}
	for _, k := range slices.Sorted(maps.Keys(r.Metrics)) {
		fmt.Fprintf(&b, "metric %s %s\n", k, jsonText(r.Metrics[k]))
	}
	if r.StableLatency != nil {
		fmt.Fprintf(&b, "stable-latency %s\n", jsonText(r.StableLatency))
	}
	return b.String()
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("unencodable %T: %v", v, err)
	}
	return string(b)
}
