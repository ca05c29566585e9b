// Package store owns the run directory: the names of the files a run
// leaves behind, where they go, how runs are named, listed, linked as the
// latest and pruned, and the one Event type of the message journal with
// the ways to replay it (Events).
//
// It exists so that the layout is known in one place. The harness writes
// a run directory (and hands its report the journal it kept, Recorded,
// so that the journal is not read back; the node logs are), the CLI
// cleans it and points learners at it; before this package each of them
// spelled the file names and the journal's schema on its own, and a
// renamed file or a reordered field broke a reader silently. Everyone
// now asks store.
//
// The package touches files (the latest links, pruning) but never starts
// processes or opens sockets; the names, the run naming and the journal's
// Event are plain values and functions, tested without a disk.
//
// A store looks like this (ARCHITECTURE.md, "A check"):
//
//	store/
//	  latest -> <workload>/<run>
//	  <workload>/
//	    latest -> <run>
//	    <run>/            named by its start time, e.g. 20261206T010203.456
//	      results.json    the verdict and the measures
//	      history.jsonl   the operations, as checkers see them
//	      journal.jsonl   every message sent, received or dropped (Event)
//	      node-logs/      each node's stderr, <node>.log
//	      report.html     the plots and the message diagram
//	      messages.svg, messages-focus.svg, latency.svg, rate.svg
//	      linearizability.html  lin-kv's keys that cannot be linearized
package store

import (
	"path/filepath"
	"regexp"
	"time"
)

// DefaultRoot is the store directory tutor uses unless told otherwise
// (--store), relative to where tutor runs: Maelstrom's own name for it.
const DefaultRoot = "store"

// The files of a run directory, by their names inside it.
const (
	// Results is the run's verdict and measures, the file scripts and
	// the Maelstrom backend read.
	Results = "results.json"
	// History is the run's operations, one JSON object a line.
	History = "history.jsonl"
	// Journal is every message event of the run, one Event a line.
	Journal = "journal.jsonl"
	// NodeLogs is the directory of the nodes' stderr; see NodeLog.
	NodeLogs = "node-logs"
	// Report is the page with the plots and the message diagram.
	Report = "report.html"
	// Diagram is the message diagram of the run's first messages.
	Diagram = "messages.svg"
	// FocusDiagram is the message diagram around the first anomaly the
	// first one does not reach.
	FocusDiagram = "messages-focus.svg"
	// LatencyPlot and RatePlot are the plots of the operations.
	LatencyPlot = "latency.svg"
	RatePlot    = "rate.svg"
	// Linearizability is porcupine's page of the keys a lin-kv run could
	// not linearize, written only for such a run.
	Linearizability = "linearizability.html"
)

// MaelstromResults is the file where Maelstrom itself, which keeps its
// runs in the same layout, writes its results. The harness writes one
// too, in Maelstrom's shape, so scripts written against Maelstrom's store
// read our runs unchanged; the Maelstrom backend reads Maelstrom's.
const MaelstromResults = "results.edn"

// Latest is the name of the symbolic links to the newest run: one in the
// store's root (to <workload>/<run>) and one in each workload's directory
// (to <run>).
const Latest = "latest"

// NodeLog is the path of a node's log inside a run directory, with the
// system's separator.
func NodeLog(node string) string {
	return filepath.Join(NodeLogs, node+".log")
}

// runLayout is how a run's start time names its directory: it sorts in
// time order, and it is Maelstrom's layout too.
const runLayout = "20060102T150405.000"

// runName matches the names RunName makes, so that pruning touches
// nothing else.
var runName = regexp.MustCompile(`^\d{8}T\d{6}\.\d{3}$`)

// RunName is the name of the directory of a run started at t.
func RunName(t time.Time) string { return t.Format(runLayout) }

// IsRunName reports whether name is a run directory's name.
func IsRunName(name string) bool { return runName.MatchString(name) }

// RunDir is the directory of a workload's run named run under the store
// at root.
func RunDir(root, workload, run string) string {
	return filepath.Join(root, workload, run)
}

// LatestLinks are the links that point at a workload's newest run, each
// with the target it holds (relative, so a store can be moved): the
// store's own link first, then the workload's.
func LatestLinks(root, workload, run string) (links, targets [2]string) {
	return [2]string{filepath.Join(root, Latest), filepath.Join(root, workload, Latest)},
		[2]string{filepath.Join(workload, run), run}
}
