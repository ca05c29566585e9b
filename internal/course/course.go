// Package course holds the course's use cases below the command line.
// The main one is checking a node against a step, that is its
// transcripts, then the page's runs with the learner's flags on top, the
// efficiency targets judged where the page measures them, runs that the
// flags make one and the same done once, and the decision to record the
// result, and the recording. The workload runs go through a Runner:
// tutor's own harness or real Maelstrom. Around it: choosing the node a
// check runs (ChooseTarget), the learner's progress (Survey, PassedOwn,
// Workspace), hints (RevealHints), the diff between reference solutions
// (StepDiff) and a new workspace (Start).
//
// The package prints nothing. A check tells an Observer what happens, in
// order, and returns a Report; the other use cases return values. The
// CLI renders them, so one use case serves the terminal, --json and
// tutor watch alike (ARCHITECTURE.md, "A check").
package course

import (
	"errors"
	"time"

	"github.com/glomers/glomers/internal/harness"
)

// Target is the node a check runs: a path and its arguments, and whose
// node it is, which decides whether the result is recorded.
type Target struct {
	// Name is how the check names the node: the TARGET as given, or
	// "the reference solution (tutor node STEP)".
	Name string
	// Path and Args start the node.
	Path string
	Args []string
	// Reference is true for tutor's own solution, not the learner's.
	Reference bool
	// Workspace is true for the learner's workspace for the step.
	Workspace bool
}

// Options are a check's choices beyond the step and the target: the
// learner's flags, already parsed by the caller, and where results go.
type Options struct {
	// Run, when not 0, limits the check to the step's Nth run.
	Run int
	// Quick shortens every run (QuickTimeLimit and the like); a quick
	// run is never recorded and judges no target.
	Quick bool
	// Full runs the workload even after a transcript failed.
	Full bool
	// Record records the result whatever the target (--record).
	Record bool
	// Overrides are the learner's flag tokens in Maelstrom's names,
	// parsed on top of each run's flags.
	Overrides []string
	// HasWorkspace says the learner has a workspace for the step; it
	// only changes the wording of why a result is not recorded.
	HasWorkspace bool
	// ProgressPath is the progress file a recorded result goes to; ""
	// records nothing.
	ProgressPath string
	// Runner does the workload runs; nil is the built-in harness.
	Runner Runner
	// Observer hears about each step of the check; nil hears nothing.
	Observer Observer
}

// The quick run's parameters: a few seconds of operations, and a
// recovery wait scaled down with them (the page's runs wait 10 s after
// 10 to 30 s of operations).
const (
	QuickTimeLimit    = 3 * time.Second
	QuickRecoveryWait = 2 * time.Second
	quickNemesisEvery = time.Second
)

// ErrInterrupted is Check's error when its context was cancelled (the
// learner pressed Ctrl-C); the Report's verdict is then "interrupted".
var ErrInterrupted = errors.New("interrupted")

// NotJudged says why a run's efficiency targets are not judged.
type NotJudged int

const (
	// Judged: the run's targets, if any, are judged.
	Judged NotJudged = iota
	// UnderPartitions: the page measures its targets on a healthy
	// network; under partitions a correct node must wait for the heal.
	UnderPartitions
	// InQuickRun: a quick run is too short to measure them fairly.
	InQuickRun
)

// RunPlan is one of the step's runs as the check is about to do it.
type RunPlan struct {
	// Number is the run's place among the step's Total runs, from 1.
	Number, Total int
	// Args are the page's arguments for the run; Overridden the
	// learner's flags that change them (Maelstrom's names).
	Args       []string
	Overridden []string
	// Quick is true for a --quick run, whose lengths are TimeLimit and
	// RecoveryWait.
	Quick                   bool
	TimeLimit, RecoveryWait time.Duration
	// DuplicateOf, when not 0, is the earlier run this one is the same
	// as with the learner's flags: it is not run twice.
	DuplicateOf int
	// Note is the page's remark about the run, if any.
	Note string
	// NotJudged says why the run's targets are not judged, if they are
	// not.
	NotJudged NotJudged
}

// Observer hears what a check does, in order, so that the caller can
// show it as it happens; Check itself prints nothing.
type Observer interface {
	// Transcript reports one of the step's transcripts: failure is nil
	// when it passed, the *transcript.Failure otherwise.
	Transcript(name string, failure error)
	// TranscriptsFailed follows the transcripts when one failed;
	// skipWorkload says the runs are skipped (no --full).
	TranscriptsFailed(skipWorkload bool)
	// RunPlanned comes before each run, or instead of it for a run that
	// is a duplicate.
	RunPlanned(p RunPlan)
	// Command is an outside command about to run (real Maelstrom's).
	Command(line string)
	// Warning is something the learner should know that changes no
	// verdict.
	Warning(msg string)
	// RunDone gives a run's outcome.
	RunDone(p RunPlan, o RunOutcome)
	// RecordFailed says the result could not be written to path.
	RecordFailed(path string, err error)
	// Building says ResolveTarget builds the Go package in dir, which
	// takes a moment.
	Building(dir string)
	// WorkspaceChosen says ChooseTarget checks the learner's workspace
	// dir, for want of a TARGET.
	WorkspaceChosen(dir string)
}

// RunOutcome is what one run concluded.
type RunOutcome struct {
	// Result is the built-in harness's result; nil with real Maelstrom.
	Result *harness.Result
	// Hints are the chapter's hints about the anomalies Result found.
	Hints []string
	// Maelstrom is real Maelstrom's verdict; nil with the harness.
	Maelstrom *MaelstromVerdict
	// Passed is the run's verdict: valid, and every judged target met.
	Passed bool
}

// nobody is the Observer of a check no one watches.
type nobody struct{}

func (nobody) Transcript(string, error)    {}
func (nobody) TranscriptsFailed(bool)      {}
func (nobody) RunPlanned(RunPlan)          {}
func (nobody) Command(string)              {}
func (nobody) Warning(string)              {}
func (nobody) RunDone(RunPlan, RunOutcome) {}
func (nobody) RecordFailed(string, error)  {}
func (nobody) Building(string)             {}
func (nobody) WorkspaceChosen(string)      {}
