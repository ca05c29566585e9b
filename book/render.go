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
// lines as they are (highlighted on a colour terminal), tables in aligned
// columns that narrow to fit without splitting a word (see layoutTable).
// A code line longer than the width overflows; it never breaks.
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
			body = layoutTable(blocks[n].lines, opts.Width-len(indent), opts)
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
//
// A table wider than width gets narrower columns: the widest column
// gives up a column at a time, never below its longest word, and its
// cells continue on the next lines of their row. A word or a number is
// never split; a table that cannot fit overflows.
func layoutTable(rows []string, width int, opts RenderOptions) []string {
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
	ncol := 0
	for _, row := range cells {
		ncol = max(ncol, len(row))
	}
	widths, least := make([]int, ncol), make([]int, ncol)
	for _, row := range cells {
		for j, c := range row {
			widths[j] = max(widths[j], runes(c))
			for _, w := range strings.Fields(c) {
				least[j] = max(least[j], runes(w))
			}
		}
	}
	for {
		total := 2 * (ncol - 1)
		widest := -1
		for j, w := range widths {
			total += w
			if w > least[j] && (widest < 0 || w > widths[widest]) {
				widest = j
			}
		}
		if total <= width || widest < 0 {
			break
		}
		widths[widest]--
	}
	row := func(row []string) []string {
		cols := make([][]string, ncol)
		height := 1
		for j := range cols {
			if j < len(row) {
				cols[j] = fill(row[j], widths[j])
			}
			height = max(height, len(cols[j]))
		}
		var lines []string
		for k := 0; k < height; k++ {
			var parts []string
			for j := range cols {
				c := ""
				if k < len(cols[j]) {
					c = cols[j][k]
				}
				pad := strings.Repeat(" ", max(widths[j]-runes(c), 0))
				if j < len(right) && right[j] {
					parts = append(parts, pad+c)
				} else {
					parts = append(parts, c+pad)
				}
			}
			lines = append(lines, strings.TrimRight(strings.Join(parts, "  "), " "))
		}
		return lines
	}
	var out []string
	for i, r := range cells {
		lines := row(r)
		if i == 0 && opts.Style != NoTTY {
			for k, l := range lines {
				lines[k] = termenv.String(l).Bold().String()
			}
		}
		out = append(out, lines...)
		if i == 0 {
			var rule []string
			for _, w := range widths {
				rule = append(rule, strings.Repeat("─", w))
			}
			out = append(out, strings.Join(rule, "  "))
		}
	}
	return out
}

// fill breaks text into lines of at most width columns at spaces; a word
// longer than width has a line of its own.
func fill(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		switch {
		case line == "":
			line = w
		case runes(line)+1+runes(w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	return append(lines, line)
}

func runes(s string) int { return utf8.RuneCountInString(s) }

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

var (
	codeSpan = regexp.MustCompile("`+[^`]+`+")
	link     = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)\)`)
	strong   = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	emph     = regexp.MustCompile(`\*([^*\s][^*]*)\*`)
)

// RenderHint renders a hint, a paragraph or two of inline Markdown, as
// text to be wrapped and indented by the caller: paragraphs on one line
// each, separated by a blank line. Plain output (the notty style) keeps
// inline code's backticks and drops the other marks; a terminal shows
// code and emphasis in colour and bold instead. A link becomes its text
// followed by its address in parentheses.
func RenderHint(md string, opts RenderOptions) string {
	var paras []string
	for _, p := range strings.Split(strings.TrimSpace(md), "\n\n") {
		p = strings.Join(strings.Fields(p), " ")
		if p != "" {
			paras = append(paras, inline(p, opts))
		}
	}
	return strings.Join(paras, "\n\n")
}

// inline renders one paragraph's inline Markdown (see RenderHint).
func inline(p string, opts RenderOptions) string {
	color := opts.Style != NoTTY && opts.Profile != termenv.Ascii
	style := func(s string, f func(termenv.Style) termenv.Style) string {
		if !color {
			return s
		}
		return f(opts.Profile.String(s)).String()
	}
	var b strings.Builder
	text := func(s string) {
		s = link.ReplaceAllString(s, "$1 ($2)")
		s = strong.ReplaceAllStringFunc(s, func(m string) string {
			return style(m[2:len(m)-2], termenv.Style.Bold)
		})
		s = emph.ReplaceAllStringFunc(s, func(m string) string {
			return style(m[1:len(m)-1], termenv.Style.Italic)
		})
		b.WriteString(s)
	}
	last := 0
	for _, m := range codeSpan.FindAllStringIndex(p, -1) {
		text(p[last:m[0]])
		code := p[m[0]:m[1]]
		if color {
			code = strings.TrimSpace(strings.Trim(code, "`"))
			code = style(code, func(s termenv.Style) termenv.Style { return s.Foreground(opts.Profile.Color("203")) })
		}
		b.WriteString(code)
		last = m[1]
	}
	text(p[last:])
	return b.String()
}
