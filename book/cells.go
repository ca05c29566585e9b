package book

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"github.com/glomers/glomers/internal/transcript"
)

// Cell is one cell of a chapter.
//
// A chapter is Markdown with cells: one-line HTML comments, alone on their
// line, that the book replaces with content before rendering. On GitHub,
// or in an editor, a cell is an invisible comment that still says what
// will appear there.
//
//	<!-- code solutions/echo/echo.go -->
//	<!-- code solutions/echo/echo.go Register -->
//	<!-- code solutions/broadcast/broadcast.go (*server).gossip -->
//	<!-- code solutions/broadcast/broadcast.go #retry -->
//	<!-- transcript transcript_1_echo -->
//
// A code cell shows a solution file as a Go code block: the whole file, or
// one region of it. A region names a top-level declaration: a function,
// type, variable or constant by name, or a method as (*T).M, (T).M or
// T.M; the excerpt is the declaration with its doc comment, found with
// go/parser, so the solution needs no markers. For any other span, a
// region "#name" selects the lines between the marker comments
// "// region name" and "// endregion name"; marker lines never appear in
// any excerpt. Code cells may only name files under solutions/, the one
// part of the repository a chapter may quote.
//
// A transcript cell shows the exchange a transcript replays (see package
// transcript), one message per line in proto.Describe's form. It names a
// testscript archive in testdata/script, with or without ".txtar".
//
// Lines inside fenced code blocks are never cells, so a chapter can show
// the syntax itself.
type Cell struct {
	// Line is the cell's line in the chapter, from 1.
	Line int
	// Kind is "code" or "transcript".
	Kind string
	// File is the named file as written in the cell.
	File string
	// Region is the code cell's region, "" for the whole file.
	Region string
}

var cellRE = regexp.MustCompile(`^<!--\s*(code|transcript)\s+(\S+)(?:\s+(\S+))?\s*-->$`)

// cellStart recognises a line meant as a cell, well formed or not, so that
// a malformed cell is an error rather than an invisible comment.
var cellStart = regexp.MustCompile(`^<!--\s*(code|transcript)\b`)

// Cells lists the cells of a chapter. A line that starts like a cell but
// is malformed is an error naming its line.
func Cells(name string, src []byte) ([]Cell, error) {
	var cells []Cell
	var ft fences
	for i, line := range strings.Split(string(src), "\n") {
		trimmed := strings.TrimSpace(line)
		if ft.next(trimmed) != prose || !cellStart.MatchString(trimmed) {
			continue
		}
		m := cellRE.FindStringSubmatch(trimmed)
		if m == nil {
			return nil, fmt.Errorf("%s:%d: malformed cell %q (want <!-- code FILE [REGION] --> or <!-- transcript NAME -->)", name, i+1, trimmed)
		}
		c := Cell{Line: i + 1, Kind: m[1], File: m[2], Region: m[3]}
		if c.Kind == "transcript" && c.Region != "" {
			return nil, fmt.Errorf("%s:%d: a transcript cell names only the archive: %q", name, c.Line, trimmed)
		}
		cells = append(cells, c)
	}
	return cells, nil
}

// fenceOf returns the fence a line opens or closes (``` or ~~~, possibly
// longer), or "".
func fenceOf(line string) string {
	for _, c := range []string{"`", "~"} {
		n := len(line) - len(strings.TrimLeft(line, c))
		if n >= 3 {
			return strings.Repeat(c, n)
		}
	}
	return ""
}

// Expand replaces every cell of the chapter src (named name, for errors)
// with its content read from fsys. A cell that names a missing file,
// region or transcript is an error naming the chapter line.
func Expand(fsys fs.FS, name string, src []byte) ([]byte, error) {
	cells, err := Cells(name, src)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(string(src), "\n")
	for i := len(cells) - 1; i >= 0; i-- {
		c := cells[i]
		var out string
		switch c.Kind {
		case "code":
			out, err = codeCell(fsys, c)
		case "transcript":
			out, err = transcriptCell(fsys, c)
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, c.Line, err)
		}
		lines[c.Line-1] = strings.TrimSuffix(out, "\n")
	}
	return []byte(strings.Join(lines, "\n")), nil
}

func codeCell(fsys fs.FS, c Cell) (string, error) {
	if !strings.HasPrefix(c.File, "solutions/") || path.Clean(c.File) != c.File {
		return "", fmt.Errorf("code cell names %s: chapters quote only files under solutions/", c.File)
	}
	src, err := fs.ReadFile(fsys, c.File)
	if err != nil {
		return "", fmt.Errorf("code cell: %w", err)
	}
	excerpt, err := Region(c.File, src, c.Region)
	if err != nil {
		return "", err
	}
	return "```go\n// " + c.File + "\n\n" + excerpt + "```\n", nil
}

func transcriptCell(fsys fs.FS, c Cell) (string, error) {
	file := path.Join(ScriptDir, strings.TrimSuffix(c.File, ".txtar")+".txtar")
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return "", fmt.Errorf("transcript cell: %w", err)
	}
	t, err := transcript.FromArchive(file, data)
	if err != nil {
		return "", err
	}
	return "```text\n" + t.Render() + "```\n", nil
}

var markerRE = regexp.MustCompile(`^\s*//\s*(region|endregion)\s+(\S+)\s*$`)

// Region returns the part of a Go source file a code cell shows (see
// Cells): the whole file for "", a "#name" marker region, or a top-level
// declaration. The result ends in a newline, has marker lines removed and
// common indentation stripped.
func Region(file string, src []byte, region string) (string, error) {
	lines := strings.SplitAfter(string(src), "\n")
	var keep []string
	switch {
	case region == "":
		keep = lines
	case strings.HasPrefix(region, "#"):
		name := region[1:]
		start, end := -1, -1
		for i, l := range lines {
			m := markerRE.FindStringSubmatch(l)
			if m == nil || m[2] != name {
				continue
			}
			if m[1] == "region" && start < 0 {
				start = i
			} else if m[1] == "endregion" && start >= 0 {
				end = i
				break
			}
		}
		if start < 0 || end < 0 {
			return "", fmt.Errorf("%s has no marker region %q (lines \"// region %s\" ... \"// endregion %s\")", file, name, name, name)
		}
		keep = lines[start+1 : end]
	default:
		first, last, err := declLines(file, src, region)
		if err != nil {
			return "", err
		}
		keep = lines[first:last]
	}
	var out []string
	for _, l := range keep {
		if !markerRE.MatchString(l) {
			out = append(out, l)
		}
	}
	text := dedent(strings.Join(out, ""))
	if text == "" {
		return "", fmt.Errorf("%s: region %q is empty", file, region)
	}
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	return text, nil
}

// declLines finds a top-level declaration and returns the 0-based range
// of whole lines [first, last) it occupies with its doc comment.
func declLines(file string, src []byte, region string) (int, int, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return 0, 0, err
	}
	var names []string
	found := func(doc *ast.CommentGroup, node ast.Node) (int, int, error) {
		start := node.Pos()
		if doc != nil {
			start = doc.Pos()
		}
		return fset.Position(start).Line - 1, fset.Position(node.End()).Line, nil
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			for _, n := range funcNames(d) {
				if n == region {
					return found(d.Doc, d)
				}
			}
			names = append(names, funcNames(d)[0])
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				var specNames []string
				var doc *ast.CommentGroup
				switch s := spec.(type) {
				case *ast.TypeSpec:
					specNames, doc = []string{s.Name.Name}, s.Doc
				case *ast.ValueSpec:
					for _, n := range s.Names {
						specNames = append(specNames, n.Name)
					}
					doc = s.Doc
				}
				names = append(names, specNames...)
				if !contains(specNames, region) {
					continue
				}
				if !d.Lparen.IsValid() { // ungrouped: the declaration itself
					return found(d.Doc, d)
				}
				return found(doc, spec)
			}
		}
	}
	return 0, 0, fmt.Errorf("%s has no top-level declaration %q (it has: %s)", file, region, strings.Join(names, ", "))
}

// funcNames returns the names a code cell may use for a function:
// "Register", or for a method "(*server).handle", "server.handle".
func funcNames(d *ast.FuncDecl) []string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return []string{d.Name.Name}
	}
	typ := d.Recv.List[0].Type
	star := ""
	if s, ok := typ.(*ast.StarExpr); ok {
		star, typ = "*", s.X
	}
	// Strip type parameters: (*set[T]).add is (*set).add.
	switch t := typ.(type) {
	case *ast.IndexExpr:
		typ = t.X
	case *ast.IndexListExpr:
		typ = t.X
	}
	recv := "?"
	if id, ok := typ.(*ast.Ident); ok {
		recv = id.Name
	}
	return []string{"(" + star + recv + ")." + d.Name.Name, recv + "." + d.Name.Name}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// dedent removes the indentation common to all non-blank lines.
func dedent(s string) string {
	lines := strings.SplitAfter(s, "\n")
	prefix := ""
	first := true
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		ind := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		if first {
			prefix, first = ind, false
			continue
		}
		for !strings.HasPrefix(ind, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	if prefix == "" {
		return s
	}
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(strings.TrimPrefix(l, prefix))
	}
	return b.String()
}
