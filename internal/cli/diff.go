package cli

import (
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	glomers "github.com/glomers/glomers"
	"github.com/glomers/glomers/book"
)

func diffCommand() *Command {
	return &Command{
		Name:  "diff",
		Args:  "STEP",
		Short: "show what a step's reference solution changed from the previous step's",
		Long: `Shows, as a unified diff, how the reference solution of STEP differs
from the previous step's: the lesson of the step, in code. Package names
are made equal first, so that only real changes show. Test files are
left out.`,
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
			prev, _ := book.Lookup(ids[i-1])
			for _, s := range []book.Step{prev, step} {
				if !s.HasSolution() {
					return fmt.Errorf("diff: step %s has no reference solution yet", s.ID)
				}
			}
			return diffSolutions(env.Stdout, glomers.Content, prev.Solution, step.Solution)
		},
	}
}

// diffSolutions writes a unified diff between the Go files (tests left
// out) of two solution directories, pairing files by name.
func diffSolutions(w io.Writer, fsys fs.FS, oldDir, newDir string) error {
	oldPkg, newPkg := path.Base(oldDir), path.Base(newDir)
	files := map[string]bool{}
	read := func(dir string) (map[string]string, error) {
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
			files[path.Base(m)] = true
		}
		return out, nil
	}
	oldFiles, err := read(oldDir)
	if err != nil {
		return err
	}
	newFiles, err := read(newDir)
	if err != nil {
		return err
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
		fmt.Fprintf(w, "--- %s\n+++ %s\n", oldName, newName)
		if _, err := io.WriteString(w, unifiedDiff(splitLines(a), splitLines(b), 3)); err != nil {
			return err
		}
	}
	if same {
		_, err := fmt.Fprintf(w, "%s and %s are the same but for the package name.\n", oldDir, newDir)
		return err
	}
	return nil
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

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// edit is one line of a diff: ' ' kept, '-' removed, '+' added.
type edit struct {
	op   byte
	line string
}

// lineDiff computes a shortest edit script by the longest common
// subsequence. Solution files are a few hundred lines, so the quadratic
// table is small; a diff library would be a dependency for nothing.
func lineDiff(a, b []string) []edit {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []edit
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			out = append(out, edit{' ', a[i]})
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, edit{'-', a[i]})
			i++
		default:
			out = append(out, edit{'+', b[j]})
			j++
		}
	}
	return out
}

// unifiedDiff renders the edits between a and b as unified-diff hunks
// with ctx lines of context.
func unifiedDiff(a, b []string, ctx int) string {
	edits := lineDiff(a, b)
	var sb strings.Builder
	for start := 0; start < len(edits); {
		// Find the next change.
		for start < len(edits) && edits[start].op == ' ' {
			start++
		}
		if start == len(edits) {
			break
		}
		lo := max(0, start-ctx)
		// Extend the hunk while changes are closer than 2*ctx apart.
		hi, kept := start, 0
		for hi < len(edits) {
			if edits[hi].op == ' ' {
				kept++
				if kept > 2*ctx {
					hi++ // so that hi-kept is just past the last change
					break
				}
			} else {
				kept = 0
			}
			hi++
		}
		hi = min(len(edits), hi-kept+ctx)
		// Line numbers of the hunk's first line in a and b.
		aLine, bLine := 1, 1
		for _, e := range edits[:lo] {
			if e.op != '+' {
				aLine++
			}
			if e.op != '-' {
				bLine++
			}
		}
		aCount, bCount := 0, 0
		for _, e := range edits[lo:hi] {
			if e.op != '+' {
				aCount++
			}
			if e.op != '-' {
				bCount++
			}
		}
		fmt.Fprintf(&sb, "@@ -%d,%d +%d,%d @@\n", aLine, aCount, bLine, bCount)
		for _, e := range edits[lo:hi] {
			sb.WriteByte(e.op)
			sb.WriteString(e.line)
			sb.WriteByte('\n')
		}
		start = hi
	}
	return sb.String()
}
