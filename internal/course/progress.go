package course

import (
	"errors"
	"os"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/progress"
)

// Getenv reads the environment; the progress file's place depends on it
// (progress.EnvVar), and tests give their own.
type Getenv func(string) string

// LoadProgress reads the learner's progress file, wherever getenv puts it.
func LoadProgress(getenv Getenv) (progress.Progress, string, error) {
	path, err := progress.Path(getenv)
	if err != nil {
		return progress.Progress{}, "", err
	}
	p, err := progress.Load(path)
	return p, path, err
}

// StepStatus is one step's line of the course overview (tutor list).
type StepStatus struct {
	Step   book.Step
	Status progress.Status
	// Last is the step's recorded result, when Checked.
	Last    progress.Result
	Checked bool
}

// Overview is the course as the learner's progress sees it: every step
// in order with its status, the counts, and the next step to do.
type Overview struct {
	Steps          []StepStatus
	Passed, Failed int
	// Next is the first step not passed yet, when HasNext.
	Next    book.Step
	HasNext bool
}

// Survey builds the overview of steps from the learner's progress p.
func Survey(p progress.Progress, steps []book.Step) Overview {
	var o Overview
	for _, s := range steps {
		r, ok := p.Steps[s.ID]
		st := p.Status(s.ID)
		o.Steps = append(o.Steps, StepStatus{Step: s, Status: st, Last: r, Checked: ok})
		switch st {
		case progress.Passed:
			o.Passed++
		case progress.Failed:
			o.Failed++
		}
		if st != progress.Passed && !o.HasNext {
			o.Next, o.HasNext = s, true
		}
	}
	return o
}

// PassedOwn reports whether the learner's progress records a pass of
// the step by their own node: what tutor list counts as passed (Check
// records no pass of the reference solution, nor one with flags that
// change the test). It opens the chapter's walkthrough and tutor diff.
func PassedOwn(getenv Getenv, id string) bool {
	p, _, err := LoadProgress(getenv)
	return err == nil && p.Status(id) == progress.Passed
}

// ErrNoWorkspace is Workspace's error when the step has none.
var ErrNoWorkspace = errors.New("no workspace")

// Workspace is the learner's workspace for the step, if tutor start made
// one and it still exists; ErrNoWorkspace if not.
func Workspace(getenv Getenv, step book.Step) (string, error) {
	path, err := progress.Path(getenv)
	if err != nil {
		return "", ErrNoWorkspace
	}
	p, err := progress.Load(path)
	if err != nil {
		return "", err
	}
	ws := p.Workspaces[step.ID]
	if st, err := os.Stat(ws); ws == "" || err != nil || !st.IsDir() {
		return "", ErrNoWorkspace
	}
	return ws, nil
}
