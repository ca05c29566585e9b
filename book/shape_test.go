package book

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// shaped is a small chapter in the shape every step chapter has.
const shaped = `# Echo

The idea.

## The command

` + "```text" + `
./maelstrom test -w echo
` + "```" + `

## See it fail

A broken node, and what its failure looks like.

## Your turn

tutor start 1, then tutor check 1.

## The walkthrough

<!-- code solutions/echo/echo.go Register -->

` + "```go" + `
func secret() {}
` + "```" + `

## Traps

Something to avoid.

## Try it

Break it and check.

## Further reading

- A link.
`

func TestCheckShape(t *testing.T) {
	if err := CheckShape([]byte(shaped)); err != nil {
		t.Fatalf("CheckShape(shaped chapter) = %v", err)
	}
	for _, tc := range []struct {
		name, md, want string
	}{
		{"missing section", strings.Replace(shaped, "## Try it\n", "## Experiments\n", 1), `no "## Try it" section`},
		{"out of order", strings.Replace(strings.Replace(shaped, "## See it fail\n", "## X\n", 1), "## Your turn\n", "## See it fail\n", 1) + "\n## Your turn\n",
			`"## The walkthrough" comes before "## Your turn"`},
		{"twice", shaped + "\n## Your turn\n", `a second "## Your turn" section`},
		{"code cell early", strings.Replace(shaped, "The idea.\n", "<!-- code solutions/echo/echo.go -->\n", 1), "line 3: code cell <!-- code solutions/echo/echo.go --> before"},
		{"go block early", strings.Replace(shaped, "A broken node", "```go\nfunc main() {}\n```\nA broken node", 1), "line 13: Go code block before"},
	} {
		err := CheckShape([]byte(tc.md))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: CheckShape = %v, want an error with %q", tc.name, err, tc.want)
		}
	}
	// A heading or a Go fence quoted inside a longer fence is neither.
	quoted := strings.Replace(shaped, "The idea.\n", "````markdown\n## Try it\n```go\nx\n```\n````\n", 1)
	if err := CheckShape([]byte(quoted)); err != nil {
		t.Errorf("CheckShape with quoted Markdown = %v", err)
	}
	// A text block before the walkthrough is fine.
	if err := CheckShape([]byte(strings.Replace(shaped, "A broken node", "```text\n$ tutor check 1\n```\nA broken node", 1))); err != nil {
		t.Errorf("CheckShape with a text block = %v", err)
	}
}

func TestSections(t *testing.T) {
	var got []string
	for _, s := range Sections([]byte(shaped)) {
		got = append(got, s.Title)
	}
	want := []string{"The command", SeeItFail, YourTurn, Walkthrough, "Traps", TryIt, FurtherReading}
	if !slices.Equal(got, want) {
		t.Errorf("Sections = %q, want %q", got, want)
	}
	if s := Sections([]byte("# T\n\n## A ##\nx\n## B\n")); len(s) != 2 || s[0].Title != "A" || s[0].Line != 3 || s[1].Line != 5 {
		t.Errorf("Sections = %+v", s)
	}
}

func TestWithoutSpoilers(t *testing.T) {
	got := string(WithoutSpoilers([]byte(shaped), "1"))
	for _, gone := range []string{"## The walkthrough", "<!-- code", "func secret", "## Traps", "## Try it", "Break it"} {
		if strings.Contains(got, gone) {
			t.Errorf("WithoutSpoilers kept %q:\n%s", gone, got)
		}
	}
	for _, kept := range []string{"## See it fail", "## Your turn", "tutor check 1.\n", "## Further reading\n\n- A link.\n",
		"\nThe walkthrough and the experiments are hidden until your own node passes this step: `tutor check 1`, or `tutor read 1 --solution`.\n\n## Further reading"} {
		if !strings.Contains(got, kept) {
			t.Errorf("WithoutSpoilers lost %q:\n%s", kept, got)
		}
	}
	// Without further reading, the rest of the chapter is hidden.
	short, _, _ := strings.Cut(shaped, "## Further reading")
	if got := string(WithoutSpoilers([]byte(short), "2")); strings.Contains(got, "Try it") || !strings.HasSuffix(got, "`tutor read 2 --solution`.\n") {
		t.Errorf("WithoutSpoilers without further reading:\n%s", got)
	}
	// A chapter without a walkthrough is left as it is.
	if md := []byte("# Intro\n\n## Further reading\n"); string(WithoutSpoilers(md, "intro")) != string(md) {
		t.Error("WithoutSpoilers changed a chapter without a walkthrough")
	}
}

func TestSolutionLines(t *testing.T) {
	fsys := fstest.MapFS{
		"solutions/a/a.go":      {Data: []byte("package a\n\nimport (\n\t\"encoding/json\"\n)\n\n// Register adds the handler.\nfunc Register() {\n\treturn nil\n}\n")},
		"solutions/a/a_test.go": {Data: []byte("package a\n\nfunc TestRegister(t *testing.T) {}\n")},
	}
	got, err := solutionLines(fsys, "solutions/a")
	want := []string{"// Register adds the handler.", "func Register() {"}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("solutionLines = %q, %v; want %q", got, err, want)
	}
	s, _ := Lookup("1")
	if lines, err := s.SolutionLines(); err != nil || !slices.Contains(lines, "func Register(n *maelstrom.Node) {") {
		t.Errorf("step 1's SolutionLines = %q, %v", lines, err)
	}
}

// Every step chapter has the shape CheckShape enforces: the attempt
// before the answer.
func TestChapterShapes(t *testing.T) {
	for _, s := range Steps() {
		if !s.HasChapter() {
			t.Errorf("step %s has no chapter", s.ID)
			continue
		}
		src, err := fs.ReadFile(content, s.Chapter)
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckShape(src); err != nil {
			t.Errorf("%s: %v", s.Chapter, err)
		}
		// The expanded chapter too: no cell expands into code early.
		md, err := s.Markdown()
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckShape(md); err != nil {
			t.Errorf("%s, expanded: %v", s.Chapter, err)
		}
	}
}
