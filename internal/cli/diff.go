package cli

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/course"
)

func diffCommand() *Command {
	var solution bool
	return &Command{
		Name:  "diff",
		Args:  "[--solution] STEP",
		Short: "show what a step's reference solution changed from the previous step's",
		Long: `Shows, as a unified diff, how the reference solution of STEP differs
from the previous step's: the lesson of the step, in code. Package names
are made equal first, so that only real changes show. Test files are
left out.

The diff is the step's answer: until your own node passes the step
(tutor check STEP), tutor diff says so and shows it only with
--solution.`,
		Flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&solution, "solution", false, "show the diff even before your node passed the step")
		},
		Run: func(env *Env, args []string) error {
			id, err := stepArg("diff", args, book.IDs())
			if err != nil {
				return err
			}
			step, err := book.Lookup(id)
			if err != nil {
				return err
			}
			ids := book.IDs()
			i := slices.Index(ids, step.ID)
			if i == 0 {
				_, err := fmt.Fprintf(env.Stdout, "Step %s is the first: there is nothing to compare it with. Its solution is in %s.\n", step.ID, step.Solution)
				return err
			}
			if !solution && !course.PassedOwn(env.Getenv, step.ID) {
				return fmt.Errorf("diff: the diff is step %s's solution: pass the step with your own node first (tutor check %s), or see it now with tutor diff --solution %s", step.ID, step.ID, step.ID)
			}
			prev, _ := book.Lookup(ids[i-1])
			for _, s := range []book.Step{prev, step} {
				if !s.HasSolution() {
					return fmt.Errorf("diff: step %s has no reference solution yet", s.ID)
				}
			}
			return diffSolutions(env.Stdout, book.Sources(), prev.Solution, step.Solution)
		},
	}
}

// diffSolutions writes a unified diff between the Go files (tests left
// out) of two solution directories, pairing files by name.
func diffSolutions(w io.Writer, fsys fs.FS, oldDir, newDir string) error {
	oldPkg, newPkg := path.Base(oldDir), path.Base(newDir)
	oldFiles, err := readGoFiles(fsys, oldDir)
	if err != nil {
		return err
	}
	newFiles, err := readGoFiles(fsys, newDir)
	if err != nil {
		return err
	}
	files := map[string]bool{}
	for name := range oldFiles {
		files[name] = true
	}
	for name := range newFiles {
		files[name] = true
	}
	// The old package's name, wherever it appears as a word, becomes the
	// new one's, so that the package clause and doc comment do not show
	// as changes.
	rename := regexp.MustCompile(`\b` + regexp.QuoteMeta(oldPkg) + `\b`)
	same := true
	for _, name := range slices.Sorted(mapsKeys(files)) {
		a := rename.ReplaceAllString(oldFiles[name], newPkg)
		b := newFiles[name]
		if a == b {
			continue
		}
		same = false
		oldName, newName := oldDir+"/"+name, newDir+"/"+name
		if _, ok := oldFiles[name]; !ok {
			oldName = "/dev/null"
		}
		if _, ok := newFiles[name]; !ok {
			newName = "/dev/null"
		}
		// go-internal's diff (Go's own, made importable) is already a
		// dependency through testscript.
		if _, err := w.Write(diff.Diff(oldName, []byte(a), newName, []byte(b))); err != nil {
			return err
		}
	}
	if same {
		_, err := fmt.Fprintf(w, "%s and %s are the same but for the package name.\n", oldDir, newDir)
		return err
	}
	return nil
}

// readGoFiles reads the Go files of dir in fsys, tests aside, by name.
func readGoFiles(fsys fs.FS, dir string) (map[string]string, error) {
	out := map[string]string{}
	matches, err := fs.Glob(fsys, dir+"/*.go")
	if err != nil {
		return nil, err
	}
	for _, m := range matches {
		if strings.HasSuffix(m, "_test.go") {
			continue
		}
		b, err := fs.ReadFile(fsys, m)
		if err != nil {
			return nil, err
		}
		out[path.Base(m)] = string(b)
	}
	return out, nil
}

func mapsKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
