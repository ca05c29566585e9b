package visual

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/glomers/glomers/internal/netsim"
	"github.com/glomers/glomers/internal/proto"
	"github.com/glomers/glomers/internal/store"
)

// DefaultMaxMessages is how many messages a diagram draws unless told
// otherwise: enough for the start of a run, where the protocol shows, and
// few enough that a browser scrolls the picture smoothly (about 200 KB).
const DefaultMaxMessages = 400

// Journal is the part of a network journal a diagram draws: the events of
// the first messages sent from a given time on, in journal order, and
// counts of the rest.
type Journal struct {
	// Events are the send, recv and drop events of the kept messages.
	Events []store.Event
	// Kept is the number of messages kept; Total counts every message
	// sent in the run, and Before those sent before From.
	Kept, Total, Before int
	// From is the time the kept messages start at.
	From time.Duration
	// Until is the send time of the first message left out after the kept
	// ones; Cut says there is one.
	Until time.Duration
	Cut   bool
}

// ReadJournal reads a run's journal (store.Journal) as Select does.
func ReadJournal(r io.Reader, max int, from time.Duration) (*Journal, error) {
	return Select(store.ReadEvents(r), max, from)
}

// Select keeps the events of the first max messages (DefaultMaxMessages
// when max is 0) of a journal sent at or after from, and counts the
// rest. Memory stays bounded however long the run was: outside the kept
// messages, events are only counted unless they end a kept message, and
// are not decoded. A line that cannot be read ends the reading with an
// error naming it.
func Select(events store.Events, max int, from time.Duration) (*Journal, error) {
	if max <= 0 {
		max = DefaultMaxMessages
	}
	j := &Journal{From: from}
	kept := map[int64]bool{}
	open := 0 // kept messages not yet received or dropped
	var bad error
	err := events(func(kind netsim.EventKind, event func() (store.Event, error)) bool {
		if kind == "" {
			_, bad = event()
			if bad == nil {
				bad = errors.New("journal: an event without a kind")
			}
			return false
		}
		isSend := kind == netsim.Send
		if !isSend && open == 0 {
			return true // the end of a message not kept
		}
		if isSend && j.Kept == max && j.Cut {
			j.Total++ // only counting from here on
			return true
		}
		ev, err := event()
		if err != nil {
			bad = err
			return false
		}
		switch ev.Kind {
		case netsim.Send:
			j.Total++
			switch {
			case ev.Time < from:
				j.Before++
			case j.Kept < max:
				j.Kept++
				kept[ev.ID] = true
				open++
				j.Events = append(j.Events, ev)
			case !j.Cut:
				j.Until, j.Cut = ev.Time, true
			}
		case netsim.Recv, netsim.Drop:
			if kept[ev.ID] {
				delete(kept, ev.ID)
				open--
				j.Events = append(j.Events, ev)
			}
		}
		return true
	})
	return j, cmp.Or(bad, err)
}

// Mark flags a message in the diagram as part of an anomaly's operation.
type Mark struct {
	// Op is the history index of the operation's invocation: the
	// diagram's anchor for it.
	Op int
	// Name is the number its labels show: the index the checker cited,
	// which may be the completion's, so that the diagram, the summary and
	// the anomaly's own words call one operation by one number.
	Name int
	Kind string
}

// Layout of the diagram, in pixels.
const (
	rowH    = 18.0
	colW    = 130.0
	gutterW = 80.0
	headH   = 40.0
	footH   = 44.0
)

// Diagram draws a Lamport diagram of j: one vertical line per node and
// service, and one shared by every client (a run has a client per node and
// more, each busy only now and then: a lane each would spread the picture
// wide and leave it empty); an arrow per message from the row of its send
// to the row of its receipt, labelled beside its start, off the line, with
// the client's name where there is one and the body's type and fields (the
// whole body is the arrow's tooltip); dropped messages dashed and crossed out where they
// were lost; messages still in flight at the end dotted to the bottom; the
// partitions shaded over the rows they cover.
//
// Rows follow the journal's order, one event per row, rather than a time
// scale: the journal is causal, so every arrow points down, and messages
// sent in the same millisecond stay apart and legible. The left margin
// gives the time of the rows.
//
// Marked messages, those of operations that show an anomaly, are drawn
// bold in red with the operation and kind in their label; the first
// message of operation N is the target of the link "#op-N". The picture's
// title, which a browser shows as the window's, names the first anomaly
// it shows.
func Diagram(j *Journal, partitions []Interval, marks map[int64]Mark) []byte {
	cols := columns(j.Events)
	x := map[string]float64{}
	for i, c := range cols {
		x[c] = gutterW + colW/2 + float64(i)*colW
	}
	rows := len(j.Events)
	width := gutterW + float64(max(len(cols), 1))*colW
	height := headH + float64(rows+1)*rowH + footH
	rowY := func(i int) float64 { return headH + float64(i+1)*rowH }
	d := newDoc(width, height, diagramTitle(j, marks))
	// Two diagrams of one run may share a page: their arrowheads' ids
	// differ by the time each starts at.
	arrowID := fmt.Sprintf("arrow-%d", j.From.Milliseconds())
	d.WriteString(`<defs>` +
		`<marker id="` + arrowID + `" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker>` +
		`</defs>` + "\n")
	d.WriteString(`<style>text.l{paint-order:stroke;stroke:white;stroke-width:3px;stroke-linejoin:round}g.m:hover line{stroke-width:3}</style>` + "\n")

	// Partitions first, under everything else.
	for _, p := range partitions {
		first, last := -1, -1
		for i, ev := range j.Events {
			if ev.Time >= p.Start && (p.End == 0 || ev.Time < p.End) {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		if first < 0 {
			continue
		}
		y0, y1 := rowY(first)-rowH/2, rowY(last)+rowH/2
		fmt.Fprintf(d, `<g class="partition"><title>%s</title>`, esc(fmt.Sprintf("%s to %s: %s", seconds(p.Start), endLabel(p.End), p.Label)))
		d.rect(gutterW, y0, width-gutterW, y1-y0, colPartition, "fill-opacity", "0.25")
		d.text(gutterW+4, y0+12, "start", "#7a6a00", "partition: "+truncate(p.Label, 80), "class", "l")
		d.WriteString("</g>\n")
	}

	// Lifelines and their names.
	for _, c := range cols {
		d.line(x[c], headH, x[c], headH+float64(rows+1)*rowH, "#bbbbbb")
		d.text(x[c], headH-14, "middle", colText, c, "font-weight", "bold", "font-size", "13")
	}

	// Times down the left, whenever at least a few rows have passed and
	// the time has moved on.
	lastLabel := -10
	var lastTime time.Duration = -1
	for i, ev := range j.Events {
		if i-lastLabel >= 5 && ev.Time != lastTime {
			d.text(gutterW-8, rowY(i)+4, "end", "#777777", seconds(ev.Time))
			d.line(gutterW-4, rowY(i), gutterW, rowY(i), "#777777")
			lastLabel, lastTime = i, ev.Time
		}
	}

	// Messages.
	sent := map[int64]int{}
	for i, ev := range j.Events {
		if ev.Kind == "send" {
			sent[ev.ID] = i
		}
	}
	ends := map[int64]int{}
	for i, ev := range j.Events {
		if ev.Kind != "send" {
			ends[ev.ID] = i
		}
	}
	inFlight := 0
	anchored := map[int]bool{}
	for i, ev := range j.Events {
		if ev.Kind != "send" {
			continue
		}
		x1, x2 := x[lane(ev.Src)], x[lane(ev.Dest)]
		y1 := rowY(i)
		end, done := ends[ev.ID]
		y2 := headH + float64(rows+1)*rowH
		kind := "in flight when the run ended"
		if done {
			y2 = rowY(end)
			kind = string(j.Events[end].Kind)
		} else {
			inFlight++
		}
		colour := messageColour(ev)
		desc := unescapeHTML.Replace(proto.DescribeBody(ev.Body))
		tip := fmt.Sprintf("%s -> %s %s\nsent %s", ev.Src, ev.Dest, desc, seconds(ev.Time))
		switch kind {
		case "recv":
			tip += ", received " + seconds(j.Events[end].Time)
		case "drop":
			tip += ", dropped " + seconds(j.Events[end].Time) + " (partition)"
		default:
			tip += ", " + kind
		}
		mark, marked := marks[ev.ID]
		id := ""
		if marked {
			tip = fmt.Sprintf("op %d (%s): %s", mark.Name, mark.Kind, tip)
			if !anchored[mark.Op] {
				anchored[mark.Op] = true
				id = fmt.Sprintf(` id="op-%d"`, mark.Op)
			}
			colour = colFail
		}
		fmt.Fprintf(d, `<g class="m %s"%s><title>%s</title>`+"\n", kindClass(kind), id, esc(tip+"\n"+unescapeHTML.Replace(string(ev.Body))))
		width := "1.5"
		if marked {
			width = "3"
		}
		switch kind {
		case "recv":
			d.line(x1, y1, x2, y2, colour, "stroke-width", width, "marker-end", "url(#"+arrowID+")")
		case "drop":
			// Stop short of the receiver, where the partition ate it.
			xe := x1 + (x2-x1)*0.85
			ye := y1 + (y2-y1)*0.85
			d.line(x1, y1, xe, ye, colFail, "stroke-width", "1.5", "stroke-dasharray", "5 3")
			d.line(xe-5, ye-5, xe+5, ye+5, colFail, "stroke-width", "2")
			d.line(xe-5, ye+5, xe+5, ye-5, colFail, "stroke-width", "2")
		default:
			d.line(x1, y1, x2, y2, "#999999", "stroke-width", "1", "stroke-dasharray", "1 3")
		}
		d.circle(x1, y1, 2.5, colour)
		label := truncate(shortBody(desc), 34)
		if kind == "drop" {
			label = "✗ " + label
		}
		fill := colText
		if kind == "drop" || marked {
			fill = colFail
		}
		if marked {
			label = fmt.Sprintf("op %d %s: %s", mark.Name, mark.Kind, truncate(shortBody(desc), 30))
		}
		if c := clientOf(ev); c != "" {
			label = c + ": " + label
		}
		// Beside the arrow's start, above its row, on the side it heads
		// for: every arrow goes down from there, so the text never lies
		// on its own line.
		lx, anchor := x1+6, "start"
		if x2 < x1 {
			lx, anchor = x1-6, "end"
		}
		d.text(lx, y1-4, anchor, fill, label, "class", "l")
		d.WriteString("</g>\n")
	}

	// What was left out.
	fy := headH + float64(rows+1)*rowH + 22
	var note string
	switch {
	case j.Before == 0 && !j.Cut:
		note = fmt.Sprintf("All %d message%s.", j.Total, plural(j.Total))
	case j.Before == 0:
		note = fmt.Sprintf("The first %d of %d messages (those sent before %s); the other %d are in %s.", j.Kept, j.Total, seconds(j.Until), j.Total-j.Kept, store.Journal)
	case !j.Cut:
		note = fmt.Sprintf("The %d messages sent from %s on, of the run's %d; the %d before are in %s.", j.Kept, seconds(j.From), j.Total, j.Before, store.Journal)
	default:
		note = fmt.Sprintf("The %d messages sent from %s to %s, of the run's %d; the other %d are in %s.", j.Kept, seconds(j.From), seconds(j.Until), j.Total, j.Total-j.Kept, store.Journal)
	}
	if inFlight > 0 {
		note += fmt.Sprintf(" %d still in flight when the run ended (dotted).", inFlight)
	}
	d.text(8, fy, "start", "#555555", note)
	return d.end()
}

func (d *svgDoc) circle(x, y, r float64, fill string, extra ...string) {
	fmt.Fprintf(d, `<circle cx="%s" cy="%s" r="%s" fill="%s"%s/>`+"\n", num(x), num(y), num(r), fill, attrs(extra))
}

// unescapeHTML undoes encoding/json's escaping of <, > and &, which the
// journal's bodies carry; the SVG escapes them its own way.
var unescapeHTML = strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&")

func endLabel(end time.Duration) string {
	if end == 0 {
		return "the end"
	}
	return seconds(end)
}

func kindClass(kind string) string {
	switch kind {
	case "recv", "drop":
		return kind
	}
	return "flight"
}

// messageColour tells requests from clients, replies to them, traffic
// between servers, and traffic with services apart.
func messageColour(ev store.Event) string {
	switch {
	case proto.IsClient(ev.Src):
		return colOK
	case proto.IsClient(ev.Dest):
		return colReply
	case isService(ev.Src) || isService(ev.Dest):
		return colService
	}
	return colServer
}

func isService(id string) bool { return !proto.IsClient(id) && !isNode(id) }

func isNode(id string) bool {
	if len(id) < 2 || id[0] != 'n' {
		return false
	}
	_, err := strconv.Atoi(id[1:])
	return err == nil
}

// shortBody drops the message ids from a body's description: the arrow
// already shows who talks to whom, and the ids are in the tooltip.
func shortBody(desc string) string {
	f := strings.Fields(desc)
	out := f[:0]
	for _, w := range f {
		if strings.HasPrefix(w, "msg_id=") || strings.HasPrefix(w, "in_reply_to=") {
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// clientsLane is the one lifeline of every client.
const clientsLane = "clients"

// lane is the lifeline an endpoint's messages start or end on.
func lane(id string) string {
	if proto.IsClient(id) {
		return clientsLane
	}
	return id
}

// clientOf is the client a message comes from or goes to, or "".
func clientOf(ev store.Event) string {
	switch {
	case proto.IsClient(ev.Src):
		return ev.Src
	case proto.IsClient(ev.Dest):
		return ev.Dest
	}
	return ""
}

// diagramTitle names the first anomaly the diagram shows, if any, so that
// a window with messages.svg open says what to look for.
func diagramTitle(j *Journal, marks map[int64]Mark) string {
	const all = "messages between nodes, services and clients"
	for _, ev := range j.Events {
		if m, ok := marks[ev.ID]; ok && ev.Kind == "send" {
			return fmt.Sprintf("op %d (%s), the first anomaly shown: %s", m.Name, m.Kind, all)
		}
	}
	return "M" + all[1:]
}

// columns orders the lifelines: nodes first, where most of a protocol
// happens, then services, each by number where they have one, then the
// clients' shared one.
func columns(events []store.Event) []string {
	seen := map[string]bool{}
	var ids []string
	for _, ev := range events {
		for _, id := range []string{lane(ev.Src), lane(ev.Dest)} {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	group := func(id string) int {
		switch {
		case isNode(id):
			return 0
		case id == clientsLane:
			return 2
		}
		return 1
	}
	slices.SortFunc(ids, func(a, b string) int {
		if ga, gb := group(a), group(b); ga != gb {
			return ga - gb
		}
		na, ea := strconv.Atoi(strings.TrimLeft(a, "cn"))
		nb, eb := strconv.Atoi(strings.TrimLeft(b, "cn"))
		if ea == nil && eb == nil && na != nb {
			return na - nb
		}
		return strings.Compare(a, b)
	})
	return ids
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
