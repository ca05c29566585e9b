package visual

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/glomers/glomers/internal/history"
)

// MaxPoints bounds the points a latency plot draws; past it the plot keeps
// an evenly spread sample and says so. Twenty thousand circles is about a
// megabyte of SVG, still quick to open.
const MaxPoints = 20000

// Plot frame, in pixels.
const (
	plotW     = 860.0
	plotH     = 320.0
	marginL   = 70.0
	marginR   = 20.0
	marginTop = 34.0
	marginBot = 44.0
)

// frame maps run time and a value range onto the plot area.
type frame struct {
	d          *svgDoc
	tmax       time.Duration
	ylo, yhi   float64
	log        bool
	innerW     float64
	innerH     float64
	partitions []Interval
}

func newFrame(title string, tmax time.Duration, partitions []Interval) *frame {
	if tmax <= 0 {
		tmax = time.Second
	}
	f := &frame{d: newDoc(plotW, plotH, title), tmax: tmax, innerW: plotW - marginL - marginR, innerH: plotH - marginTop - marginBot, partitions: partitions}
	f.d.text(marginL, 18, "start", colText, title, "font-size", "13", "font-weight", "bold")
	return f
}

func (f *frame) x(t time.Duration) float64 {
	return marginL + f.innerW*float64(t)/float64(f.tmax)
}

func (f *frame) y(v float64) float64 {
	lo, hi := f.ylo, f.yhi
	if f.log {
		v = math.Log10(max(v, lo))
		lo, hi = math.Log10(lo), math.Log10(hi)
	}
	if hi <= lo {
		return marginTop + f.innerH
	}
	v = min(max(v, lo), hi)
	return marginTop + f.innerH*(1-(v-lo)/(hi-lo))
}

// axes draws the shaded partitions, the grid and the axes' labels.
func (f *frame) axes(yLabel string, yTicks []float64, yFmt func(float64) string) {
	d := f.d
	for _, p := range f.partitions {
		end := p.End
		if end == 0 || end > f.tmax {
			end = f.tmax
		}
		if p.Start >= f.tmax {
			continue
		}
		fmt.Fprintf(d, `<g class="partition"><title>%s</title>`, esc(fmt.Sprintf("partition %s to %s: %s", seconds(p.Start), endLabel(p.End), p.Label)))
		d.rect(f.x(p.Start), marginTop, f.x(end)-f.x(p.Start), f.innerH, colPartition, "fill-opacity", "0.3")
		d.WriteString("</g>\n")
	}
	for _, v := range yTicks {
		y := f.y(v)
		d.line(marginL, y, marginL+f.innerW, y, "#e4e4e4")
		d.text(marginL-6, y+4, "end", "#555555", yFmt(v))
	}
	step := niceStep(f.tmax.Seconds(), 10)
	for s := 0.0; s <= f.tmax.Seconds()+1e-9; s += step {
		x := f.x(time.Duration(s * float64(time.Second)))
		d.line(x, marginTop+f.innerH, x, marginTop+f.innerH+4, "#555555")
		d.text(x, marginTop+f.innerH+16, "middle", "#555555", trimFloat(s))
	}
	d.rect(marginL, marginTop, f.innerW, f.innerH, "none", "stroke", "#888888")
	d.text(marginL+f.innerW/2, plotH-8, "middle", colText, "time since the start of the run (s)")
	fmt.Fprintf(d, `<text x="14" y="%s" text-anchor="middle" fill="%s" transform="rotate(-90 14 %s)">%s</text>`+"\n",
		num(marginTop+f.innerH/2), colText, num(marginTop+f.innerH/2), esc(yLabel))
}

// legend writes entries right-aligned along the top.
func (f *frame) legend(entries []legendEntry) {
	x := plotW - marginR
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		w := float64(len([]rune(e.label)))*6.6 + 18
		x -= w
		e.mark(f.d, x+5, 15)
		f.d.text(x+14, 19, "start", colText, e.label)
	}
}

type legendEntry struct {
	label string
	mark  func(d *svgDoc, x, y float64)
}

// typeColour is the colour of an outcome.
func typeColour(t history.Type) string {
	switch t {
	case history.Fail:
		return colFail
	case history.Info:
		return colInfo
	}
	return colOK
}

// outcomes names the completion types as the plots' legends do.
var outcomes = []struct {
	t    history.Type
	name string
}{{history.OK, "ok"}, {history.Fail, "fail (definitely did not happen)"}, {history.Info, "info (unknown: timed out or crashed)"}}

// LatencyPlot draws each client operation as a point: when it was invoked
// against how long it took, on a logarithmic scale, coloured by its
// outcome (ok, fail, info) and shaped by its function, with the partitions
// shaded. Operations that never completed are left out.
func LatencyPlot(h history.History, partitions []Interval) []byte {
	type point struct {
		at  time.Duration
		ms  float64
		t   history.Type
		f   string
		idx int
	}
	var pts []point
	pairs, err := h.Pair()
	if err == nil {
		for i, op := range h {
			if op.Type == history.Invoke || pairs[i] < 0 {
				continue
			}
			inv := h[pairs[i]]
			pts = append(pts, point{at: inv.Time, ms: float64(op.Time-inv.Time) / float64(time.Millisecond), t: op.Type, f: op.F, idx: inv.Index})
		}
	}
	tmax := span(h, partitions)
	f := newFrame("Latency of client operations", tmax, partitions)
	lo, hi := math.Inf(1), 0.0
	for _, p := range pts {
		if p.ms > 0 {
			lo = min(lo, p.ms)
		}
		hi = max(hi, p.ms)
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0.1, 1
	}
	f.log = true
	f.ylo = math.Pow(10, math.Floor(math.Log10(lo)))
	f.yhi = math.Pow(10, math.Ceil(math.Log10(max(hi, lo*10))))
	var ticks []float64
	for v := f.ylo; v <= f.yhi*1.0001; v *= 10 {
		ticks = append(ticks, v)
	}
	f.axes("latency (ms, log scale)", ticks, func(v float64) string { return trimFloat(v) })

	fs := functions(h)
	shape := func(fn string) int { return slices.Index(fs, fn) % 4 }
	stride := 1
	if len(pts) > MaxPoints {
		stride = (len(pts) + MaxPoints - 1) / MaxPoints
	}
	// Draw ok first, so that the rarer failures stay on top.
	for _, o := range outcomes {
		for i := 0; i < len(pts); i += stride {
			p := pts[i]
			if p.t != o.t {
				continue
			}
			mark(f.d, shape(p.f), f.x(p.at), f.y(p.ms), typeColour(p.t), fmt.Sprintf("op %d %s %s: %.2f ms", p.idx, p.f, p.t, p.ms))
		}
	}
	var leg []legendEntry
	for _, o := range outcomes {
		leg = append(leg, legendEntry{label: string(o.t), mark: func(d *svgDoc, x, y float64) { d.circle(x, y, 3.5, typeColour(o.t)) }})
	}
	if len(fs) > 1 {
		for i, fn := range fs {
			leg = append(leg, legendEntry{label: fn, mark: func(d *svgDoc, x, y float64) { mark(d, i%4, x, y, "#666666", "") }})
		}
	}
	f.legend(leg)
	switch {
	case err != nil:
		f.d.text(marginL+10, marginTop+20, "start", colFail, "the history cannot be paired: "+err.Error())
	case len(pts) == 0:
		f.d.text(marginL+10, marginTop+20, "start", "#555555", "no operation completed")
	case stride > 1:
		f.d.text(marginL+10, marginTop+14, "start", "#555555", fmt.Sprintf("every %dth of %d operations shown", stride, len(pts)))
	}
	return f.d.end()
}

// mark draws a point: circle, square, triangle or diamond.
func mark(d *svgDoc, shape int, x, y float64, colour, tip string) {
	const r = 3.0
	open := ""
	if tip != "" {
		open = "<title>" + esc(tip) + "</title>"
	}
	switch shape {
	case 1:
		fmt.Fprintf(d, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" fill-opacity="0.75">%s</rect>`+"\n", num(x-r), num(y-r), num(2*r), num(2*r), colour, open)
	case 2:
		fmt.Fprintf(d, `<path d="M%s,%s l%s,%s h%s z" fill="%s" fill-opacity="0.75">%s</path>`+"\n", num(x), num(y-r-1), num(r+1), num(2*r+1), num(-2*r-2), colour, open)
	case 3:
		fmt.Fprintf(d, `<path d="M%s,%s l%s,%s l%s,%s l%s,%s z" fill="%s" fill-opacity="0.75">%s</path>`+"\n", num(x), num(y-r-1), num(r+1), num(r+1), num(-r-1), num(r+1), num(-r-1), num(-r-1), colour, open)
	default:
		fmt.Fprintf(d, `<circle cx="%s" cy="%s" r="%s" fill="%s" fill-opacity="0.75">%s</circle>`+"\n", num(x), num(y), num(r), colour, open)
	}
}

// RatePlot draws how many client operations completed per second over the
// run, one line per outcome (ok, fail, info), with the partitions shaded.
func RatePlot(h history.History, partitions []Interval) []byte {
	tmax := span(h, partitions)
	// About ten completions a bucket on average, so that the line shows
	// the rate rather than the noise, and between 5 and 60 buckets.
	_, ok, fail, info := h.Count()
	buckets := min(max((ok+fail+info)/10, 5), 60)
	bucket := time.Duration(niceStep(tmax.Seconds(), buckets) * float64(time.Second))
	if bucket <= 0 {
		bucket = time.Second
	}
	n := int(tmax/bucket) + 1
	counts := map[history.Type][]float64{}
	for _, o := range outcomes {
		counts[o.t] = make([]float64, n)
	}
	for _, op := range h {
		if c, ok := counts[op.Type]; ok && op.Time >= 0 {
			c[min(int(op.Time/bucket), n-1)]++
		}
	}
	hi := 1.0
	for _, c := range counts {
		for i := range c {
			c[i] /= bucket.Seconds()
			hi = max(hi, c[i])
		}
	}
	f := newFrame("Operations completed per second", tmax, partitions)
	f.ylo = 0
	step := niceStep(hi, 5)
	f.yhi = math.Ceil(hi/step) * step
	var ticks []float64
	for v := 0.0; v <= f.yhi+1e-9; v += step {
		ticks = append(ticks, v)
	}
	f.axes(fmt.Sprintf("operations per second (%s buckets)", seconds(bucket)), ticks, trimFloat)
	var leg []legendEntry
	for _, o := range outcomes {
		c := counts[o.t]
		any := false
		var pts []string
		for i, v := range c {
			any = any || v > 0
			mid := time.Duration(i)*bucket + bucket/2
			pts = append(pts, num(f.x(min(mid, tmax)))+","+num(f.y(v)))
		}
		if !any && o.t != history.OK {
			continue
		}
		fmt.Fprintf(f.d, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"><title>%s</title></polyline>`+"\n", strings.Join(pts, " "), typeColour(o.t), esc(o.name))
		leg = append(leg, legendEntry{label: string(o.t), mark: func(d *svgDoc, x, y float64) {
			d.line(x-5, y, x+5, y, typeColour(o.t), "stroke-width", "3")
		}})
	}
	f.legend(leg)
	return f.d.end()
}

// span is how long the plots' time axis runs: to the last operation or the
// last partition, whichever is later.
func span(h history.History, partitions []Interval) time.Duration {
	var t time.Duration
	for _, op := range h {
		t = max(t, op.Time)
	}
	for _, p := range partitions {
		t = max(t, p.Start, p.End)
	}
	return t
}

// functions lists the operations' functions in order of first use.
func functions(h history.History) []string {
	var fs []string
	for _, op := range h {
		if !slices.Contains(fs, op.F) {
			fs = append(fs, op.F)
		}
	}
	return fs
}

// niceStep is a round step (1, 2 or 5 times a power of ten) that cuts span
// into about n pieces.
func niceStep(span float64, n int) float64 {
	if span <= 0 || n <= 0 {
		return 1
	}
	raw := span / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

func trimFloat(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.3f", v), "0"), ".")
}
