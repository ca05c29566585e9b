package book

import (
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
func Render(md []byte, opts RenderOptions) (string, error) {
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
	out, err := r.RenderBytes(md)
	if err != nil {
		return "", err
	}
	if opts.Style != NoTTY {
		return string(out), nil
	}
	lines := strings.Split(string(out), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n") + "\n", nil
}
