// Package visual draws a run's records as SVG: the Lamport diagram of the
// network journal (messages.svg) and plots of the client history (latency
// and rate over time), with the nemesis's partitions shaded.
//
// Every drawing is a function from recorded data to bytes: nothing here
// opens files, reads clocks or runs anything, so each picture is tested as
// text. The SVG is written by hand: a few rectangles, lines, circles and
// text elements need no library, and every piece of recorded text (message
// bodies, partition descriptions) goes through XML escaping on the way out.
//
// Sizes are bounded: the diagram draws at most a few hundred messages and
// says how many it left out; the latency plot samples when a run has more
// points than a browser draws comfortably.
package visual

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strings"
	"time"
)

// Interval is a stretch of the run to shade, such as a partition, with the
// words that describe it.
type Interval struct {
	Start, End time.Duration
	Label      string
}

// Colours shared by the drawings, chosen to stay apart for the common
// kinds of colour blindness (Okabe and Ito's palette).
const (
	colOK        = "#0072B2" // blue
	colFail      = "#D55E00" // vermilion
	colInfo      = "#E69F00" // orange
	colReply     = "#009E73" // green
	colServer    = "#555555"
	colService   = "#CC79A7" // purple
	colPartition = "#F0E442" // yellow
	colText      = "#222222"
)

// esc escapes s for XML text and attribute values.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// svgDoc is a small SVG writer.
type svgDoc struct {
	bytes.Buffer
}

func newDoc(w, h float64, title string) *svgDoc {
	d := &svgDoc{}
	fmt.Fprintf(d, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="11">`+"\n", num(w), num(h), num(w), num(h))
	fmt.Fprintf(d, "<title>%s</title>\n", esc(title))
	fmt.Fprintf(d, `<rect x="0" y="0" width="%s" height="%s" fill="white"/>`+"\n", num(w), num(h))
	return d
}

func (d *svgDoc) end() []byte {
	d.WriteString("</svg>\n")
	return d.Bytes()
}

// text writes a text element; anchor is start, middle or end.
func (d *svgDoc) text(x, y float64, anchor, fill, s string, extra ...string) {
	fmt.Fprintf(d, `<text x="%s" y="%s" text-anchor="%s" fill="%s"%s>%s</text>`+"\n", num(x), num(y), anchor, fill, attrs(extra), esc(s))
}

func (d *svgDoc) line(x1, y1, x2, y2 float64, stroke string, extra ...string) {
	fmt.Fprintf(d, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"%s/>`+"\n", num(x1), num(y1), num(x2), num(y2), stroke, attrs(extra))
}

func (d *svgDoc) rect(x, y, w, h float64, fill string, extra ...string) {
	fmt.Fprintf(d, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"%s/>`+"\n", num(x), num(y), num(max(w, 0)), num(max(h, 0)), fill, attrs(extra))
}

// attrs joins extra attributes, given as name, value pairs.
func attrs(kv []string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		fmt.Fprintf(&b, ` %s="%s"`, kv[i], esc(kv[i+1]))
	}
	return b.String()
}

// num formats a coordinate compactly: two decimals at most, no trailing
// zeros, so the files stay small and byte-stable.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// seconds formats a duration for an axis: "1.5 s", "250 ms".
func seconds(d time.Duration) string {
	if d >= time.Second || d == 0 {
		return fmt.Sprintf("%g s", math.Round(d.Seconds()*1000)/1000)
	}
	return fmt.Sprintf("%g ms", math.Round(float64(d)/float64(time.Millisecond)*100)/100)
}

// truncate shortens s to at most n runes, marking the cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
