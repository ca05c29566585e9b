package course

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/glomers/glomers/book"
)

// ErrSpoiler is StepDiff's error when the learner's own node has not
// passed the step: the diff is the step's answer.
var ErrSpoiler = errors.New("the diff is the step's solution")

// SolutionChange is what tutor diff shows for a step: the unified diff
// from the previous step's reference solution to this one's.
type SolutionChange struct {
	// First is true for the first step of a part, which has no previous
	// solution to compare with (the last of the part before solves
	// another problem); nothing else is set then.
	First bool
	// OldDir and NewDir are the two solutions' directories; Diff is
	// empty when they differ only in the package's name.
	OldDir, NewDir string
	Diff           []byte
}

// StepDiff compares step's reference solution with the previous step's.
// Unless showAnyway (--solution), it keeps the comparison for learners
// whose own node passed the step (PassedOwn), and says ErrSpoiler
// otherwise.
func StepDiff(getenv Getenv, step book.Step, showAnyway bool) (SolutionChange, error) {
	ids := book.IDs()
	i := slices.Index(ids, step.ID)
	if i <= 0 {
		return SolutionChange{First: true}, nil
	}
	prev, _ := book.Lookup(ids[i-1])
	if prev.Part != step.Part {
		return SolutionChange{First: true}, nil
	}
	if !showAnyway && !PassedOwn(getenv, step.ID) {
		return SolutionChange{}, ErrSpoiler
	}
	for _, s := range []book.Step{prev, step} {
		if !s.HasSolution() {
			return SolutionChange{}, fmt.Errorf("step %s has no reference solution yet", s.ID)
		}
	}
	d, err := DiffSolutions(book.Sources(), prev.Solution, step.Solution)
	return SolutionChange{OldDir: prev.Solution, NewDir: step.Solution, Diff: d}, err
}

// DiffSolutions is a unified diff between the Go files (tests left out)
// of two solution directories, pairing files by name; empty when they
// differ only in the package's name.
func DiffSolutions(fsys fs.FS, oldDir, newDir string) ([]byte, error) {
	oldFiles, err := book.GoFiles(fsys, oldDir)
	if err != nil {
		return nil, err
	}
	newFiles, err := book.GoFiles(fsys, newDir)
	if err != nil {
		return nil, err
	}
	files := maps.Clone(oldFiles)
	maps.Copy(files, newFiles)
	// The old package's name, wherever it appears as a word, becomes the
	// new one's, so that the package clause and doc comment do not show
	// as changes.
	rename := regexp.MustCompile(`\b` + regexp.QuoteMeta(path.Base(oldDir)) + `\b`)
	var out bytes.Buffer
	for _, name := range slices.Sorted(maps.Keys(files)) {
		a := rename.ReplaceAllString(oldFiles[name], path.Base(newDir))
		b := newFiles[name]
		if a == b {
			continue
		}
		oldName, newName := oldDir+"/"+name, newDir+"/"+name
		if _, ok := oldFiles[name]; !ok {
			oldName = "/dev/null"
		}
		if _, ok := newFiles[name]; !ok {
			newName = "/dev/null"
		}
		// go-internal's diff (Go's own, made importable) is already a
		// dependency through testscript.
		out.Write(diff.Diff(oldName, []byte(a), newName, []byte(b)))
	}
	return out.Bytes(), nil
}
