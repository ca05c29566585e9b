package book

import (
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
)

// The titles of the sections every step chapter has, in this order. A
// learner meets a step's failure before its fix and tries it before
// reading the answer: the walkthrough (the reference solution) comes only
// after the checkpoint, and `tutor read` hides it until the learner's own
// node has passed the step.
const (
	SeeItFail      = "See it fail"
	YourTurn       = "Your turn"
	Walkthrough    = "The walkthrough"
	TryIt          = "Try it"
	FurtherReading = "Further reading"
)

// shape is the titled sections of a step chapter, in order.
var shape = []string{SeeItFail, YourTurn, Walkthrough, TryIt, FurtherReading}

// Section is a level-two heading of a chapter ("## Your turn").
type Section struct {
	// Title is the heading's text: "Your turn".
	Title string
	// Line is the heading's line in the chapter, from 1.
	Line int
}

// Sections lists the chapter's level-two headings in order. Lines inside
// fenced code blocks are not headings, so a chapter may quote Markdown.
func Sections(md []byte) []Section {
	var out []Section
	eachLine(md, func(i int, line string, where int) {
		if title, ok := h2(line); ok && where == prose {
			out = append(out, Section{Title: title, Line: i + 1})
		}
	})
	return out
}

// h2 returns the title of an ATX level-two heading line.
func h2(line string) (string, bool) {
	if !strings.HasPrefix(line, "## ") {
		return "", false
	}
	title := strings.TrimSpace(line[3:])
	// An optional closing sequence of #s, after a space, is not the title.
	if t := strings.TrimRight(title, "#"); t != title && (t == "" || strings.HasSuffix(t, " ")) {
		title = strings.TrimSpace(t)
	}
	return title, true
}

// Where a line stands with respect to fenced code blocks.
const (
	prose     = iota
	fenceOpen // the line opens a fence
	inFence   // inside a fenced block
	fenceEnd  // the line closes a fence
)

// eachLine calls f for every line of md with its index and where it
// stands with respect to fenced code blocks.
func eachLine(md []byte, f func(i int, line string, where int)) {
	var ft fences
	for i, line := range strings.Split(string(md), "\n") {
		f(i, line, ft.next(strings.TrimSpace(line)))
	}
}

// fences follows the fenced code blocks of a chapter read line by line.
type fences struct{ open string } // the open block's fence, or ""

// next says where the next line, trimmed, stands: prose, fenceOpen,
// inFence or fenceEnd.
func (ft *fences) next(trimmed string) int {
	fl := fenceOf(trimmed)
	switch {
	case fl != "" && ft.open == "":
		ft.open = fl
		return fenceOpen
	case fl != "" && strings.HasPrefix(trimmed, ft.open) && strings.Trim(trimmed, ft.open[:1]) == "":
		ft.open = ""
		return fenceEnd
	case ft.open != "":
		return inFence
	}
	return prose
}

// codeCellStart matches a code cell, well formed or not.
var codeCellStart = regexp.MustCompile(`^<!--\s*code\b`)

// goFence matches the opening line of a fenced Go code block.
var goFence = regexp.MustCompile("^\\s*(```+|~~~+)\\s*go(\\s|$)")

// CheckShape reports how a step chapter (its Markdown, cells expanded or
// not) breaks the shape every step chapter has: the sections "See it
// fail", "Your turn", "The walkthrough", "Try it" and "Further reading",
// each once and in that order (other sections may come between them),
// and no solution code before the walkthrough: neither a code cell nor a
// fenced Go block. The error names the first problem and its line.
func CheckShape(md []byte) error {
	secs := Sections(md)
	at := map[string]int{}
	for _, s := range secs {
		if !slices.Contains(shape, s.Title) {
			continue
		}
		if l, dup := at[s.Title]; dup {
			return fmt.Errorf("line %d: a second %q section (the first is at line %d)", s.Line, "## "+s.Title, l)
		}
		at[s.Title] = s.Line
	}
	prev := ""
	for _, title := range shape {
		l, ok := at[title]
		if !ok {
			return fmt.Errorf("no %q section", "## "+title)
		}
		if prev != "" && l < at[prev] {
			return fmt.Errorf("line %d: %q comes before %q (line %d); the order is %s", l, "## "+title, "## "+prev, at[prev], strings.Join(shape, ", "))
		}
		prev = title
	}
	walk := at[Walkthrough]
	var bad error
	eachLine(md, func(i int, line string, where int) {
		if bad != nil || i+1 >= walk {
			return
		}
		trimmed := strings.TrimSpace(line)
		switch {
		case where == prose && codeCellStart.MatchString(trimmed):
			bad = fmt.Errorf("line %d: code cell %s before %q (line %d)", i+1, trimmed, "## "+Walkthrough, walk)
		case where == fenceOpen && goFence.MatchString(line):
			bad = fmt.Errorf("line %d: Go code block before %q (line %d)", i+1, "## "+Walkthrough, walk)
		}
	})
	return bad
}

// SolutionHidden is the line that stands in for a hidden walkthrough;
// STEP is replaced by the step's id.
const SolutionHidden = "The walkthrough and the experiments are hidden until your own node passes this step: `tutor check STEP`, or `tutor read STEP --solution`."

// WithoutSpoilers returns the chapter with its walkthrough hidden: from
// "## The walkthrough" up to (not including) "## Further reading", or to
// the end when there is no further reading, replaced by one paragraph
// saying how to see it (SolutionHidden, for step). A chapter without a
// walkthrough section is returned as it is.
func WithoutSpoilers(md []byte, step string) []byte {
	from, to := -1, -1
	for _, s := range Sections(md) {
		switch {
		case s.Title == Walkthrough && from < 0:
			from = s.Line - 1
		case s.Title == FurtherReading && from >= 0 && to < 0:
			to = s.Line - 1
		}
	}
	if from < 0 {
		return md
	}
	lines := strings.Split(string(md), "\n")
	if to < 0 {
		to = len(lines)
	}
	notice := strings.ReplaceAll(SolutionHidden, "STEP", step)
	out := slices.Concat(lines[:from], []string{notice, ""}, lines[to:])
	return []byte(strings.Join(out, "\n"))
}

// SolutionLines returns the distinctive lines of the step's reference
// solution (its Go files, tests left out), trimmed: those a chapter could
// only show by quoting the solution. Lines of ten characters or fewer
// ("}", "return nil"), the package clause, import paths and lines that
// open with a string (`"type": "echo_ok",`, which a JSON example may
// hold too) are left out, as other code or prose might hold them. Tests
// use it to make sure a page does not show the solution.
func (s Step) SolutionLines() ([]string, error) {
	return solutionLines(content, s.Solution)
}

func solutionLines(fsys fs.FS, dir string) ([]string, error) {
	if dir == "" {
		return nil, nil
	}
	files, err := GoFiles(fsys, dir)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	for _, name := range slices.Sorted(maps.Keys(files)) {
		for _, l := range strings.Split(files[name], "\n") {
			l = strings.TrimSpace(l)
			switch {
			case len(l) <= 10, strings.HasPrefix(l, "package "), strings.HasPrefix(l, "import "),
				strings.HasPrefix(l, `"`), seen[l]:
				continue
			}
			seen[l] = true
			out = append(out, l)
		}
	}
	return out, nil
}

// GoFiles reads the Go files of a solution directory in fsys, tests
// aside, keyed by file name: what a learner reads of a solution, which
// both the spoiler check and tutor diff compare.
func GoFiles(fsys fs.FS, dir string) (map[string]string, error) {
	matches, err := fs.Glob(fsys, dir+"/*.go")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
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
