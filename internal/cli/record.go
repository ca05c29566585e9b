package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glomers/glomers/internal/progress"
)

// isWorkspace reports whether path is the learner's workspace ws (both
// may be relative or absolute, or reach it through a symbolic link).
func isWorkspace(path, ws string) bool {
	if ws == "" {
		return false
	}
	a, errA := os.Stat(path)
	b, errB := os.Stat(ws)
	return errA == nil && errB == nil && os.SameFile(a, b)
}

// recordDecision says whether a check's result goes into the learner's
// progress and, when it does not, why, in one line. Only a check of the
// learner's workspace for the step, or of a target given with --record,
// changes the step's result: checking a broken copy, a testdata node or
// the reference solution, as the chapters ask, never costs a pass.
func recordDecision(stepID string, tgt *target, cf checkFlags, hasWorkspace bool) (bool, string) {
	switch {
	case tgt.reference:
		return false, "Not recorded: the reference solution is not your node."
	case cf.quick:
		return false, "Not recorded: a --quick run is not the page's test."
	case tgt.workspace || cf.record:
		return true, ""
	case !hasWorkspace:
		return false, fmt.Sprintf("Not recorded: %s is not your workspace for step %s (tutor start %s makes one; --record to record it)", tgt.name, stepID, stepID)
	}
	return false, fmt.Sprintf("Not recorded: %s is not your workspace for step %s (--record to record it)", tgt.name, stepID)
}

// recordProgress sets the step's result; flags are the learner's flags
// that changed the test, if any, kept to show what the result was
// obtained with.
func recordProgress(env *Env, step string, passed bool, target string, flags []string) bool {
	path, err := progress.Path(env.Getenv)
	if err != nil {
		return false
	}
	r := progress.Result{Passed: passed, At: time.Now(), Target: target, Flags: strings.Join(flags, " ")}
	if err := progress.Record(path, step, r); err != nil {
		fmt.Fprintf(env.Stderr, "tutor: could not record progress in %s: %v\n", path, err)
		return false
	}
	return true
}

// lastCheck says when and against what a step's recorded result was
// obtained, for tutor list: "Dec 6 14:05, glomers-work/1".
func lastCheck(r progress.Result, ok bool) string {
	if !ok {
		return ""
	}
	s := r.At.Local().Format("Jan 2 15:04")
	if t := shortPath(r.Target); t != "" {
		s += ", " + t
	}
	if r.Flags != "" {
		s += " " + r.Flags
	}
	return s
}

// shortPath shows a path under the current directory relative to it.
func shortPath(p string) string {
	if !filepath.IsAbs(p) {
		return p
	}
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}
