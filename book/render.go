package book

import (
	"regexp"
	"strings"

	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/glamour/styles"
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
// glamour pads every line of the notty style with spaces to the wrap
// width; Render trims them, and trims blank lines at both ends, so that the
// output of `tutor read` compares exactly in tests and diffs cleanly.
//
// glamour wraps a paragraph twice (reflow's wordwrap, then the document's
// own wrap), and the first pass miscounts lines that break at a hyphen:
// the second then leaves a lone word on a line of its own. Render keeps
// hyphens from being break points (see protectBreaks), which also stops a
// long command in a text block from being cut after "--", and keeps URLs
// whole rather than cut at a dot.
func Render(md []byte, opts RenderOptions) (string, error) {
	md = protectBreaks(md)
	ropts := []glamour.TermRendererOption{
		glamour.WithStandardStyle(opts.Style),
		glamour.WithWordWrap(opts.Width),
	}
	if opts.Style != NoTTY {
		ropts = append(ropts, glamour.WithColorProfile(opts.Profile))
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
	if opts.Style != NoTTY {
		return out, nil
	}
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n") + "\n", nil
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
