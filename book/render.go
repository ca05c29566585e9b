package book

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2/quick"
	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/glamour/styles"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// RenderOptions say how to render a chapter. The caller decides them once,
// from where the output goes (see tutor read): a terminal gets a colour
// style and its own width, anything else the plain notty style.
type RenderOptions struct {
	// Style is a glamour standard style: "notty" (plain text, for pipes,
	// files and tests), "dark" or "light".
	Style string
	// Width is the column to wrap at.
	Width int
	// Profile is the terminal's colour profile; ignored by notty.
	Profile termenv.Profile
}

// NoTTY is the style for output that is not a terminal.
const NoTTY = styles.NoTTYStyle

// Render renders expanded chapter Markdown as text.
//
// Code blocks and tables are never wrapped, whatever the width: a line of
// JSON or Go split in two no longer works when pasted, and a split table
// loses its columns. Render lifts them out of the Markdown before glamour
// sees it (see lift), leaving a placeholder paragraph, and splices them
// back into glamour's output at the placeholder's indentation: code
// lines as they are (highlighted on a colour terminal), tables laid out
// in aligned columns. A line longer than the width overflows; it never
// breaks.
//
// glamour pads every line of the notty style with spaces to the wrap
// width; Render trims them, and trims blank lines at both ends, so that the
// output of `tutor read` compares exactly in tests and diffs cleanly. The
// notty style keeps inline code's backticks, so that plain text still says
// what is a command or an identifier.
//
// glamour wraps a paragraph twice (reflow's wordwrap, then the document's
// own wrap), and the first pass miscounts lines that break at a hyphen:
// the second then leaves a lone word on a line of its own. Render keeps
// hyphens from being break points (see protectBreaks), and keeps URLs
// whole rather than cut at a dot.
func Render(md []byte, opts RenderOptions) (string, error) {
	md, blocks := lift(md)
	md = protectBreaks(md)
	ropts := []glamour.TermRendererOption{glamour.WithWordWrap(opts.Width)}
	if opts.Style == NoTTY {
		style := styles.NoTTYStyleConfig
		style.Code.Prefix, style.Code.Suffix = "`", "`"
		style.Code.BlockPrefix, style.Code.BlockSuffix = "", ""
		ropts = append(ropts, glamour.WithStyles(style))
	} else {
		ropts = append(ropts, glamour.WithStandardStyle(opts.Style), glamour.WithColorProfile(opts.Profile))
	}
	r, err := glamour.NewTermRenderer(ropts...)
	if err != nil {
		return "", err
	}
	rendered, err := r.RenderBytes(md)
	if err != nil {
		return "", err
	}
	out := strings.NewReplacer(nbHyphen, "-", nbDot, ".").Replace(string(rendered))
	out = splice(out, blocks, opts)
	if opts.Style != NoTTY {
		return out, nil
	}
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n") + "\n", nil
}

// block is a fenced code block or a table that Render lays out itself.
type block struct {
	lang  string   // a code block's language ("go", "text", ""); "|" for a table
	lines []string // the code's lines, or the table's rows as written
}

// blockMark is the paragraph that stands for block i in the Markdown
// glamour renders: one word, which glamour neither wraps nor styles
// beyond colour.
func blockMark(i int) string { return fmt.Sprintf("GLOMERSBLOCK%dX", i) }

var blockMarkRE = regexp.MustCompile(`GLOMERSBLOCK(\d+)X`)

// tableRow matches a line of a table; tableDelim a table's delimiter row.
var (
	tableRow   = regexp.MustCompile(`^\s{0,3}\|`)
	tableDelim = regexp.MustCompile(`^\s*\|?(\s*:?-+:?\s*\|)+(\s*:?-+:?\s*)?$`)
)

// lift replaces every fenced code block and every table of md with a
// placeholder paragraph at its indentation (so that a block in a list
// item stays in it), and returns the blocks.
func lift(md []byte) ([]byte, []block) {
	var out []string
	var blocks []block
	lines := strings.Split(string(md), "\n")
	put := func(indent string, b block) {
		out = append(out, "", indent+blockMark(len(blocks)), "")
		blocks = append(blocks, b)
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		indent := line[:len(line)-len(strings.TrimLeft(line, " "))]
		if f := fenceOf(trimmed); f != "" && !strings.Contains(trimmed[len(f):], f[:1]) {
			b := block{lang: strings.TrimSpace(trimmed[len(f):])}
			if j := strings.IndexByte(b.lang, ' '); j >= 0 {
				b.lang = b.lang[:j]
			}
			j := i + 1
			for ; j < len(lines); j++ {
				t := strings.TrimSpace(lines[j])
				if strings.HasPrefix(t, f) && strings.Trim(t, f[:1]) == "" {
					break
				}
				// A code line loses the fence's indentation, no more.
				l := lines[j]
				for k := 0; k < len(indent) && strings.HasPrefix(l, " "); k++ {
					l = l[1:]
				}
				b.lines = append(b.lines, l)
			}
			put(indent, b)
			i = j
			continue
		}
		if tableRow.MatchString(line) && i+1 < len(lines) && tableDelim.MatchString(lines[i+1]) {
			b := block{lang: "|"}
			j := i
			for ; j < len(lines) && tableRow.MatchString(lines[j]); j++ {
				b.lines = append(b.lines, strings.TrimSpace(lines[j]))
			}
			put(indent, b)
			i = j - 1
			continue
		}
		out = append(out, line)
	}
	return []byte(strings.Join(out, "\n")), blocks
}

// splice puts the blocks back into glamour's output, each in place of
// the line holding its placeholder, at that placeholder's column.
func splice(out string, blocks []block, opts RenderOptions) string {
	lines := strings.Split(out, "\n")
	var b strings.Builder
	for i, l := range lines {
		m := blockMarkRE.FindStringSubmatchIndex(l)
		if m == nil {
			b.WriteString(l)
			if i < len(lines)-1 {
				b.WriteString("\n")
			}
			continue
		}
		n, _ := strconv.Atoi(l[m[2]:m[3]])
		before := ansi.Strip(l[:m[0]])
		indent := strings.Repeat(" ", len(before))
		if strings.TrimSpace(before) != "" {
			// glamour joined the placeholder to a list item's text
			// ("• Run it: GLOMERSBLOCK0X"): the text keeps its line,
			// the block goes under it, at the item's indentation.
			b.WriteString(strings.TrimRight(l[:m[0]], " ") + "\n")
			lead := len(before) - len(strings.TrimLeft(before, " "))
			indent = strings.Repeat(" ", lead+2)
		}
		var body []string
		if blocks[n].lang == "|" {
			body = layoutTable(blocks[n].lines, opts)
		} else {
			indent += "  "
			body = highlight(blocks[n], opts)
		}
		for _, bl := range body {
			if bl == "" {
				b.WriteString("\n")
				continue
			}
			b.WriteString(indent + bl + "\n")
		}
		if i == len(lines)-1 {
			// The placeholder ended the output: no line follows.
			return strings.TrimSuffix(b.String(), "\n")
		}
	}
	return b.String()
}

// highlight returns a code block's lines, coloured with chroma on a
// colour terminal. Tabs stay tabs, so that pasted Go is gofmt's.
func highlight(b block, opts RenderOptions) []string {
	code := strings.Join(b.lines, "\n")
	formatter := ""
	switch {
	case opts.Style == NoTTY || opts.Profile == termenv.Ascii:
	case b.lang == "" || b.lang == "text" || b.lang == "txt":
	case opts.Profile == termenv.ANSI:
		formatter = "terminal16"
	default:
		formatter = "terminal256"
	}
	if formatter != "" {
		theme := "monokai"
		if opts.Style == "light" {
			theme = "github"
		}
		var buf strings.Builder
		if err := quick.Highlight(&buf, code, b.lang, formatter, theme); err == nil {
			return strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
		}
	}
	return strings.Split(code, "\n")
}

// layoutTable lays a Markdown table out in aligned columns, two spaces
// apart, with a rule under the header; a column whose delimiter ends in
// ":" is aligned right. Cells keep their inline code's backticks; bold
// markers go.
func layoutTable(rows []string, opts RenderOptions) []string {
	var cells [][]string
	var right []bool
	for i, r := range rows {
		c := splitRow(r)
		if i == 1 {
			for _, d := range c {
				right = append(right, strings.HasSuffix(d, ":"))
			}
			continue
		}
		cells = append(cells, c)
	}
	widths := map[int]int{}
	ncol := 0
	for _, row := range cells {
		ncol = max(ncol, len(row))
		for j, c := range row {
			widths[j] = max(widths[j], utf8.RuneCountInString(c))
		}
	}
	line := func(row []string) string {
		var parts []string
		for j := 0; j < ncol; j++ {
			c := ""
			if j < len(row) {
				c = row[j]
			}
			pad := strings.Repeat(" ", widths[j]-utf8.RuneCountInString(c))
			if j < len(right) && right[j] {
				parts = append(parts, pad+c)
			} else {
				parts = append(parts, c+pad)
			}
		}
		return strings.TrimRight(strings.Join(parts, "  "), " ")
	}
	var out []string
	for i, row := range cells {
		out = append(out, line(row))
		if i == 0 {
			var rule []string
			for j := 0; j < ncol; j++ {
				rule = append(rule, strings.Repeat("─", widths[j]))
			}
			out = append(out, strings.Join(rule, "  "))
		}
	}
	if opts.Style != NoTTY && len(out) > 0 {
		out[0] = termenv.String(out[0]).Bold().String()
	}
	return out
}

// splitRow returns a table row's cells, trimmed, with escaped pipes and
// bold markers resolved.
func splitRow(row string) []string {
	row = strings.TrimSpace(row)
	row = strings.TrimPrefix(row, "|")
	if strings.HasSuffix(row, "|") && !strings.HasSuffix(row, "\\|") {
		row = row[:len(row)-1]
	}
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(row); i++ {
		switch {
		case row[i] == '\\' && i+1 < len(row) && row[i+1] == '|':
			cur.WriteByte('|')
			i++
		case row[i] == '|':
			cells = append(cells, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(row[i])
		}
	}
	cells = append(cells, cur.String())
	for i, c := range cells {
		cells[i] = strings.ReplaceAll(strings.TrimSpace(c), "**", "")
	}
	return cells
}

// Stand-ins for characters glamour may break a line at, one column wide
// like them, which Render swaps back after rendering: U+2011 NON-BREAKING
// HYPHEN, and U+2024 ONE DOT LEADER for the dots of URLs.
const (
	nbHyphen = "\u2011"
	nbDot    = "\u2024"
)

var (
	// Lines whose hyphens are Markdown syntax: thematic breaks, setext
	// underlines and table delimiter rows.
	hyphenSyntax = regexp.MustCompile(`^\s*(([-*_]\s*){3,}|\|?(\s*:?-+:?\s*\|)+(\s*:?-+:?\s*)?)$`)
	// A list item's marker, kept as it is.
	listMarker = regexp.MustCompile(`^\s*([-*+]|\d+[.)])\s+`)
	url        = regexp.MustCompile(`https?://[^\s)>\]]+[^\s)>\].,;:]`)
)

// protectBreaks turns the hyphens of prose, and of code blocks that are
// plain text, into non-breaking ones, and the dots of URLs in prose into
// look-alikes; Render turns them back. Go and other highlighted code
// blocks are left alone, since a highlighter would see unknown characters.
func protectBreaks(md []byte) []byte {
	lines := strings.Split(string(md), "\n")
	fence, plain := "", false
	for i, l := range lines {
		trimmed := strings.TrimSpace(l)
		if f := fenceOf(trimmed); f != "" {
			switch {
			case fence == "":
				fence = f
				lang := strings.TrimSpace(strings.TrimLeft(trimmed, f[:1]))
				plain = lang == "" || lang == "text"
			case strings.Trim(trimmed, f[:1]) == "" && len(trimmed) >= len(fence):
				fence = ""
			}
			continue
		}
		switch {
		case fence != "" && !plain:
		case fence != "":
			lines[i] = strings.ReplaceAll(l, "-", nbHyphen)
		case hyphenSyntax.MatchString(l):
		default:
			marker := listMarker.FindString(l)
			rest := url.ReplaceAllStringFunc(l[len(marker):], func(u string) string {
				return strings.ReplaceAll(u, ".", nbDot)
			})
			lines[i] = marker + strings.ReplaceAll(rest, "-", nbHyphen)
		}
	}
	return []byte(strings.Join(lines, "\n"))
}
