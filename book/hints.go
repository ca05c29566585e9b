package book

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// Hint is a nudge a chapter keeps hidden until the learner asks for it.
//
// A hint is an HTML comment block in the chapter, outside code fences:
//
//	<!-- hint
//	Plain Markdown: a nudge, not the answer.
//	-->
//	<!-- hint lost stale
//	Shown after a failed check that reported an anomaly of kind "lost"
//	or "stale".
//	-->
//
// Being a comment, a hint stays invisible on GitHub and in an editor's
// preview as well as in `tutor read`, so reading a chapter never spoils
// an exercise; `tutor hint STEP` shows them one at a time, and a failed
// check shows the hints tied to the anomaly kinds it found.
type Hint struct {
	// Line is the hint's opening line in the chapter, from 1.
	Line int
	// Kinds are the anomaly kinds the hint explains; none for a general
	// hint.
	Kinds []string
	// Text is the hint's Markdown, trimmed.
	Text string
}

// About reports whether the hint explains any of the anomaly kinds.
func (h Hint) About(kinds ...string) bool {
	for _, k := range kinds {
		if slices.Contains(h.Kinds, k) {
			return true
		}
	}
	return false
}

// hintBlock is a hint with the lines it occupies, [start, end).
type hintBlock struct {
	Hint
	start, end int
}

func hintBlocks(name string, src []byte) ([]hintBlock, error) {
	var blocks []hintBlock
	lines := strings.Split(string(src), "\n")
	var ft fences
	for i := 0; i < len(lines); i++ {
		trimmed := strings.TrimSpace(lines[i])
		if ft.next(trimmed) != prose || !isHintStart(trimmed) {
			continue
		}
		head := strings.TrimSpace(strings.TrimPrefix(trimmed, "<!--"))
		head = strings.TrimSpace(strings.TrimPrefix(head, "hint"))
		if strings.Contains(head, "-->") {
			return nil, fmt.Errorf("%s:%d: a hint's text goes on the lines after \"<!-- hint\", closed by a line \"-->\"", name, i+1)
		}
		b := hintBlock{Hint: Hint{Line: i + 1, Kinds: strings.Fields(head)}, start: i}
		var text []string
		for j := i + 1; j < len(lines); j++ {
			if strings.TrimSpace(lines[j]) == "-->" {
				b.end = j + 1
				break
			}
			if strings.Contains(lines[j], "-->") {
				return nil, fmt.Errorf("%s:%d: a hint ends with a line holding only \"-->\"", name, j+1)
			}
			text = append(text, lines[j])
		}
		if b.end == 0 {
			return nil, fmt.Errorf("%s:%d: hint never closed (want a line \"-->\")", name, i+1)
		}
		b.Text = strings.TrimSpace(dedent(strings.Join(text, "\n")))
		if b.Text == "" {
			return nil, fmt.Errorf("%s:%d: empty hint", name, i+1)
		}
		blocks = append(blocks, b)
		i = b.end - 1
	}
	return blocks, nil
}

// isHintStart recognises "<!-- hint" followed by the end of the line or
// a space, so that "<!-- hints are..." stays an ordinary comment.
func isHintStart(line string) bool {
	rest, ok := strings.CutPrefix(line, "<!--")
	if !ok {
		return false
	}
	rest, ok = strings.CutPrefix(strings.TrimSpace(rest), "hint")
	return ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t')
}

// Hints lists the hint blocks of a chapter in order. A hint block that
// is never closed, or is empty, is an error naming its line.
func Hints(name string, src []byte) ([]Hint, error) {
	blocks, err := hintBlocks(name, src)
	if err != nil {
		return nil, err
	}
	hints := make([]Hint, len(blocks))
	for i, b := range blocks {
		hints[i] = b.Hint
	}
	return hints, nil
}

// StripHints removes the hint blocks from a chapter, so that neither the
// rendered nor the raw chapter shows them.
func StripHints(name string, src []byte) ([]byte, error) {
	blocks, err := hintBlocks(name, src)
	if err != nil || len(blocks) == 0 {
		return src, err
	}
	lines := strings.Split(string(src), "\n")
	for i := len(blocks) - 1; i >= 0; i-- {
		start, end := blocks[i].start, blocks[i].end
		// A hint set apart by blank lines leaves one blank line, not two.
		if start > 0 && end < len(lines) && strings.TrimSpace(lines[start-1]) == "" && strings.TrimSpace(lines[end]) == "" {
			end++
		}
		lines = slices.Delete(lines, start, end)
	}
	return []byte(strings.Join(lines, "\n")), nil
}

// Hints returns the hints of the step's chapter; none when the chapter is
// not written.
func (s Step) Hints() ([]Hint, error) {
	return stepHints(content, s)
}

func stepHints(fsys fs.FS, s Step) ([]Hint, error) {
	if !hasFile(fsys, s.Chapter) {
		return nil, nil
	}
	src, err := fs.ReadFile(fsys, s.Chapter)
	if err != nil {
		return nil, err
	}
	return Hints(s.Chapter, src)
}
