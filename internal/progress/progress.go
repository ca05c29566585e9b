// Package progress keeps the learner's progress: the last result of
// `tutor check` for each step, in a small JSON file in the user's config
// directory, never in the repository.
//
// The file is os.UserConfigDir()/glomers/progress.json unless the
// environment variable GLOMERS_PROGRESS names another (tests point it into
// their work directory). It looks like:
//
//	{
//	  "steps": {
//	    "1": {"passed": true, "at": "2026-11-25T10:04:05Z", "target": "/home/me/glomers-work/1"},
//	    "2": {"passed": false, "at": "2026-11-25T10:09:00Z", "target": "/home/me/glomers-work/2", "flags": "--time-limit 2"}
//	  }
//	}
//
// A missing file is an empty record. A file that cannot be parsed is an
// error, and Record refuses to overwrite it, so a learner's record is
// never silently lost.
package progress

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// EnvVar names the environment variable that overrides the file's path.
const EnvVar = "GLOMERS_PROGRESS"

// Status is what the learner has done with a step.
type Status string

// Statuses, as `tutor list` shows them.
const (
	NotTried Status = "not tried"
	Passed   Status = "passed"
	Failed   Status = "failed"
)

// Result is the last check of one step.
type Result struct {
	// Passed is true when the check found the node valid and on target.
	Passed bool `json:"passed"`
	// At is when the check ran.
	At time.Time `json:"at"`
	// Target is the node checked: the learner's workspace, or a node
	// given with --record, as an absolute path (older records may hold
	// a relative one).
	Target string `json:"target,omitempty"`
	// Flags are the learner's flags that changed the test ("--time-limit
	// 2"), when a failure was found with them; empty at the page's
	// parameters.
	Flags string `json:"flags,omitempty"`
}

// Progress is the whole record.
type Progress struct {
	// Steps maps a step id to its last result.
	Steps map[string]Result `json:"steps"`
	// HintsShown maps a step id to how many of its chapter's hints
	// `tutor hint` has shown.
	HintsShown map[string]int `json:"hints_shown,omitempty"`
	// Workspaces maps a step id to the learner's directory for it, made
	// by `tutor start`; `tutor check` checks it when given no target.
	Workspaces map[string]string `json:"workspaces,omitempty"`
}

// Status returns the step's status.
func (p Progress) Status(step string) Status {
	r, ok := p.Steps[step]
	switch {
	case !ok:
		return NotTried
	case r.Passed:
		return Passed
	}
	return Failed
}

// Path returns where the progress file is: $GLOMERS_PROGRESS if set, else
// glomers/progress.json in the user's config directory. getenv is
// os.Getenv, or a test's substitute.
func Path(getenv func(string) string) (string, error) {
	if p := getenv(EnvVar); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no place for the progress file (set %s): %w", EnvVar, err)
	}
	return filepath.Join(dir, "glomers", "progress.json"), nil
}

// Load reads the progress file at path. A missing file is an empty record.
func Load(path string) (Progress, error) {
	p := Progress{Steps: map[string]Result{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return p, fmt.Errorf("read progress: %w", err)
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return Progress{Steps: map[string]Result{}}, fmt.Errorf("progress file %s is not valid (fix or remove it): %v", path, err)
	}
	if p.Steps == nil {
		p.Steps = map[string]Result{}
	}
	return p, nil
}

// Record sets the step's result in the progress file at path.
func Record(path, step string, r Result) error {
	return Update(path, func(p *Progress) { p.Steps[step] = r })
}

// Update loads the progress file at path, lets change edit the record
// (its maps are never nil), and writes it back, creating the file and its
// directory as needed. The file is replaced atomically, so a crash never
// leaves half a record.
func Update(path string, change func(*Progress)) error {
	p, err := Load(path)
	if err != nil {
		return err
	}
	if p.HintsShown == nil {
		p.HintsShown = map[string]int{}
	}
	if p.Workspaces == nil {
		p.Workspaces = map[string]string{}
	}
	change(&p)
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("record progress: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".progress-*.json")
	if err != nil {
		return fmt.Errorf("record progress: %w", err)
	}
	_, werr := tmp.Write(append(data, '\n'))
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("record progress: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("record progress: %w", err)
	}
	return nil
}
