package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/jsonval"
	"github.com/glomers/glomers/internal/netsim"
	"github.com/glomers/glomers/internal/proto"
	"github.com/glomers/glomers/internal/store"
	"github.com/glomers/glomers/internal/visual"
	"github.com/glomers/glomers/internal/workload"
)

// Explanation is one anomaly put in plain words: what the kind means and
// usually comes from, the operations that show it, and the node's log
// lines about those operations.
type Explanation struct {
	Anomaly workload.Anomaly
	Meaning Meaning
	// Ops are the anomaly's operations, each in one line.
	Ops []OpLine
	// Logs are excerpts of node logs about the operations.
	Logs []LogExcerpt
	// Trail follows the anomaly's value through the network.
	Trail []string
	// Table, when set, sums up every anomaly of this one's kind.
	Table *Table
}

// OpLine is one operation of an anomaly, described.
type OpLine struct {
	Index int
	Node  string
	Text  string
}

// LogExcerpt is a few lines of a node's log and why they are shown.
type LogExcerpt struct {
	Node string
	// File is the log's path relative to the store directory.
	File  string
	Why   string
	Lines []LogLine
}

// LogLine is one line of a node log, numbered from 1; Match marks the
// lines the search found, the others are context.
type LogLine struct {
	N     int
	Text  string
	Match bool
}

// Evidence is what the run's journal and node logs add to its result: the
// node log lines about the anomalies' operations. Gather finds it; Explain only reads it.
type Evidence struct {
	// Logs maps an operation's index to excerpts about it.
	Logs map[int][]LogExcerpt
	// Trails maps an anomaly's position in the result to the journey of
	// its value through the network: for a lost broadcast value, each
	// message between servers that carried it towards a node that missed
	// it, and what became of that message.
	Trails map[int][]string
	// Marks are the journal's messages of the anomalies' operations (the
	// client's request and the node's reply), for the diagram to flag.
	Marks map[int64]visual.Mark
	// Tables maps an anomaly's position in the result to a table that
	// sums up every anomaly of its kind, shown with the first of them:
	// for lost broadcast values, what each node holds and misses.
	Tables map[int]Table
	// Tails are the last log lines of the nodes whose requests timed
	// out, by node.
	Tails map[string]LogExcerpt
}

// Bounds on what an explanation shows, so a badly broken node gives a
// short report.
const (
	maxOpLines      = 6
	maxLogOps       = 2 // operations per anomaly whose logs are searched
	maxLogAnomalies = 2 // anomalies per kind whose logs are searched
	maxMarkedOps    = 200
	maxLogMatches   = 4
	logContext      = 1
	maxExplanations = 40
	maxLineLen      = 240
)

// Explain puts each of the result's anomalies in plain words, with the
// operations that show it and the log excerpts in ev. Every anomaly gets
// its words and operations, so each kind's group counts in full; ev holds
// logs, trails and tables for the first maxExplanations only (Gather).
func Explain(res *harness.Result, ev Evidence) []Explanation {
	h := res.History
	pairs, _ := h.Pair()
	var out []Explanation
	perKind := map[string]int{}
	for i, a := range res.Anomalies {
		m, ok := meaningFor(res, a.Kind)
		if !ok {
			m = Meaning{Title: a.Kind, Text: "This kind of anomaly has no explanation yet; the message above says what the checker saw."}
		}
		perKind[a.Kind]++
		ex := Explanation{Anomaly: a, Meaning: m, Trail: ev.Trails[i]}
		if t, ok := ev.Tables[i]; ok {
			ex.Table = &t
		}
		seen := map[int]bool{}
		for _, idx := range a.Ops {
			inv := invocationOf(h, pairs, idx)
			if inv < 0 || seen[inv] {
				continue
			}
			seen[inv] = true
			if len(ex.Ops) < maxOpLines {
				ex.Ops = append(ex.Ops, OpLine{Index: inv, Node: h[inv].Node, Text: describeOp(h, pairs, inv, idx)})
			}
			if perKind[a.Kind] <= maxLogAnomalies {
				ex.Logs = append(ex.Logs, ev.Logs[inv]...)
			}
		}
		out = append(out, ex)
	}
	if ex, ok := explainTimeouts(res, ev); ok {
		out = append(out, ex)
	}
	return out
}

// invocationOf returns the index of the invocation of the op at idx, or
// -1 when idx is not in the history.
func invocationOf(h history.History, pairs []int, idx int) int {
	if idx < 0 || idx >= len(h) {
		return -1
	}
	if h[idx].Type != history.Invoke && pairs != nil && pairs[idx] >= 0 {
		return pairs[idx]
	}
	return idx
}

// describeOp tells an operation, invoked at inv and cited as op name, in
// one line: "op 4 at 0.21 s: c4 -> n1 echo "Please echo 75" -> ok
// "PLEASE ECHO 75" after 1.2 ms". The time is the invocation's.
func describeOp(h history.History, pairs []int, inv, name int) string {
	op := h[inv]
	var b strings.Builder
	fmt.Fprintf(&b, "op %d at %s: ", name, secs(op.Time))
	if op.Client != "" || op.Node != "" {
		fmt.Fprintf(&b, "%s -> %s ", or(op.Client, "client"), or(op.Node, "?"))
	}
	b.WriteString(op.F)
	if len(op.Value) > 0 && string(op.Value) != "null" {
		b.WriteString(" " + short(op.Value))
	}
	if pairs == nil || pairs[inv] < 0 || op.Type != history.Invoke {
		if op.Type == history.Invoke {
			b.WriteString(", never completed")
		}
		return b.String()
	}
	c := h[pairs[inv]]
	fmt.Fprintf(&b, " -> %s", c.Type)
	if len(c.Value) > 0 && string(c.Value) != "null" && string(c.Value) != string(op.Value) {
		b.WriteString(" " + short(c.Value))
	}
	if c.Error != "" {
		b.WriteString(" (" + c.Error + ")")
	}
	fmt.Fprintf(&b, " after %s", ms(float64(c.Time-op.Time)/float64(time.Millisecond)))
	return b.String()
}

// short is a value in brief, with encoding/json's escapes of <, > and &
// undone: people read these, and the HTML escapes them its own way.
func short(v json.RawMessage) string {
	return unescapeHTML.Replace(jsonval.Short(v))
}

var unescapeHTML = strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&")

func secs(d time.Duration) string { return fmt.Sprintf("%.3f s", d.Seconds()) }

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Gather searches what the run kept of its journal and node logs
// (Result.Journal and Result.NodeLogs) for evidence about its anomalies:
// for the first operations of each anomaly, the request the client sent
// (from the journal) and the lines of the node's log that mention that
// request or its reply. Gather only reads; a missing log means less
// evidence, never an error.
func Gather(res *harness.Result) Evidence {
	ev := Evidence{Logs: map[int][]LogExcerpt{}, Trails: map[int][]string{}, Marks: map[int64]visual.Mark{}}
	if res.StoreDir == "" {
		return ev
	}
	ev.Tails = gatherTails(res)
	if len(res.Anomalies) == 0 && ev.Tails == nil {
		return ev
	}
	h := res.History
	pairs, err := h.Pair()
	if err != nil {
		return ev
	}
	var want []opWindow
	perKind := map[string]int{}
	seen := map[int]bool{}
	for i, a := range res.Anomalies {
		if i == maxExplanations {
			break
		}
		perKind[a.Kind]++
		n := 0
		for _, idx := range a.Ops {
			inv := invocationOf(h, pairs, idx)
			if inv < 0 || seen[inv] || h[inv].Client == "" || h[inv].Node == "" || len(want) == maxMarkedOps {
				continue
			}
			seen[inv] = true
			w := opWindow{op: inv, cited: idx, kind: a.Kind, client: h[inv].Client, node: h[inv].Node, from: h[inv].Time, to: 1<<62 - 1}
			if pairs[inv] >= 0 {
				w.to = h[pairs[inv]].Time
			}
			// The logs of the first operations of the first anomalies of
			// a kind are searched; every operation is marked in the
			// diagram.
			w.logs = perKind[a.Kind] <= maxLogAnomalies && n < maxLogOps
			if w.logs {
				n++
			}
			want = append(want, w)
		}
	}
	want = append(want, timeoutWindows(res, seen)...)
	trails := lostTrails(res, pairs)
	if len(want) == 0 && len(trails) == 0 {
		return ev
	}
	scanned := res.Journal != nil && scanJournal(res.Journal.Events(), want, trails) == nil
	for i, tr := range trails {
		if i < maxTrails {
			ev.Trails[tr.anomaly] = tr.describe(Partitions(res.Nemesis))
		}
	}
	if len(trails) > 1 && scanned {
		ev.Tables = map[int]Table{trails[0].anomaly: lostTable(res, trails)}
	}
	for _, w := range want {
		for _, id := range []int64{w.request, w.reply} {
			if id >= 0 {
				ev.Marks[id] = visual.Mark{Op: w.op, Name: w.cited, Kind: w.kind}
			}
		}
		if w.msgID == 0 || !w.logs {
			continue
		}
		rel := store.NodeLog(w.node)
		f, err := res.NodeLogs.Open(w.node)
		if err != nil {
			continue
		}
		lines := GrepLog(f, RequestMatcher(w.client, w.msgID), logContext, maxLogMatches)
		f.Close()
		why := fmt.Sprintf("%s's log about op %d (%s's request msg_id %d and the reply to it)", w.node, w.cited, w.client, w.msgID)
		if len(lines) == 0 {
			why = fmt.Sprintf("%s's log never mentions %s's request msg_id %d (op %d): the node may not log the messages it handles", w.node, w.client, w.msgID, w.cited)
		}
		ev.Logs[w.op] = append(ev.Logs[w.op], LogExcerpt{Node: w.node, File: filepath.ToSlash(rel), Why: why, Lines: lines})
	}
	return ev
}

// opWindow is an operation whose request is sought in the journal: the
// first message from its client to its node sent between its invocation
// and its completion.
type opWindow struct {
	op             int // the invocation's index
	cited          int // the index the anomaly gave: what the reader sees
	kind           string
	client, node   string
	from, to       time.Duration
	logs           bool  // search the node's log
	msgID          int64 // the request's msg_id, once found
	request, reply int64 // journal ids of the request and reply, or -1
}

// scanJournal reads a journal once, finding each window's request (its
// msg_id and journal id) and reply, and the messages of each trail. It
// stops early once every window is settled and there is no trail. Lines
// that cannot be read are skipped; a journal that cannot be read at all
// is an error.
func scanJournal(events store.Events, ws []opWindow, trails []*trail) error {
	byClient := map[string][]*opWindow{}
	for i := range ws {
		ws[i].request, ws[i].reply = -1, -1
		byClient[ws[i].client] = append(byClient[ws[i].client], &ws[i])
	}
	var last time.Duration // windows end by then at the latest
	for _, w := range ws {
		last = max(last, w.to)
	}
	return events(func(kind netsim.EventKind, event func() (store.Event, error)) bool {
		isSend := kind == netsim.Send
		if !isSend && len(trails) == 0 {
			return true
		}
		e, err := event()
		if err != nil {
			return true
		}
		for _, t := range trails {
			t.see(e)
		}
		if len(trails) == 0 && e.Time > last {
			return false
		}
		if !isSend {
			return true
		}
		var body struct {
			MsgID     int64 `json:"msg_id"`
			InReplyTo int64 `json:"in_reply_to"`
		}
		if !proto.IsClient(e.Src) && !proto.IsClient(e.Dest) {
			return true
		}
		_ = json.Unmarshal(e.Body, &body)
		for _, w := range byClient[e.Src] { // a request?
			if w.msgID == 0 && e.Dest == w.node && e.Time >= w.from && e.Time <= w.to && body.MsgID != 0 {
				w.msgID, w.request = body.MsgID, e.ID
			}
		}
		for _, w := range byClient[e.Dest] { // a reply?
			if w.msgID != 0 && w.reply < 0 && e.Src == w.node && body.InReplyTo == w.msgID && e.Time <= w.to {
				w.reply = e.ID
			}
		}
		return true
	})
}

// RequestMatcher matches the log lines about one client request: lines
// naming the client with the request's msg_id, or a reply in_reply_to
// it. The Maelstrom libraries log "Received {c4 n0 {...msg_id:3...}}" and
// "Sent {...dest:c4...in_reply_to:3...}".
func RequestMatcher(client string, msgID int64) func(string) bool {
	id := strconv.FormatInt(msgID, 10)
	ids := regexp.MustCompile(`"(msg_id|in_reply_to)":\s*` + id + `\b`)
	who := regexp.MustCompile(`(^|[^A-Za-z0-9_])` + regexp.QuoteMeta(client) + `([^A-Za-z0-9_]|$)`)
	return func(line string) bool { return who.MatchString(line) && ids.MatchString(line) }
}

// GrepLog returns up to max matching lines of a log, each with context
// lines either side, in order, overlapping context merged.
func GrepLog(r io.Reader, match func(string) bool, context, max int) []LogLine {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var out []LogLine
	var before []LogLine
	after, matches, n := 0, 0, 0
	last := 0 // the number of the last line in out
	for sc.Scan() {
		n++
		l := LogLine{N: n, Text: clip(sc.Text())}
		if matches < max && match(sc.Text()) {
			l.Match = true
			for _, b := range before {
				if b.N > last {
					out = append(out, b)
				}
			}
			out = append(out, l)
			last = n
			matches++
			after = context
			before = before[:0]
			continue
		}
		if after > 0 {
			out = append(out, l)
			last = n
			after--
			continue
		}
		if matches == max {
			break
		}
		before = append(before, l)
		if len(before) > context {
			before = before[1:]
		}
	}
	return out
}

func clip(s string) string {
	if len(s) > maxLineLen {
		s = s[:maxLineLen] + "..."
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// Bounds on a trail.
const (
	maxTrails     = 3   // lost values whose journey is told
	maxTrailMsg   = 6   // messages listed for each
	maxLostValues = 200 // lost values followed through the journal, for the table
)

// trail follows one lost broadcast value: the messages between servers
// that carried it to the nodes whose reads missed it.
type trail struct {
	anomaly int
	value   int64
	missing map[string]bool
	sentTo  map[string]bool // missing nodes some server message carried it to
	order   []int64         // message ids, in order sent
	msgs    map[int64]*trailMsg
	more    int
}

type trailMsg struct {
	e    store.Event
	fate string // recv, drop, or "" (in flight at the end)
	at   time.Duration
}

// addingOp names, for the workloads whose values are followed through
// the network, the operation that adds a value: broadcast and g-set share
// set-full's lost.
var addingOp = map[string]string{"broadcast": "broadcast", "g-set": "add"}

// lostTrails lists the lost broadcast values to follow: the value of the
// anomaly's first operation (the broadcast, or g-set's add) and the nodes
// of the others (the reads that missed it).
func lostTrails(res *harness.Result, pairs []int) []*trail {
	add, ok := addingOp[res.Workload]
	if !ok {
		return nil
	}
	h := res.History
	finals := lastReads(h)
	var out []*trail
	for i, a := range res.Anomalies {
		// A summary entry (More) lists the first ops of the lost values
		// it stands for, not one value's broadcast and the reads that
		// missed it: it has no trail to follow.
		if a.Kind != "lost" || a.More > 0 || len(a.Ops) < 2 || len(out) == maxLostValues {
			continue
		}
		inv := invocationOf(h, pairs, a.Ops[0])
		if inv < 0 || h[inv].F != add {
			continue
		}
		var v int64
		if json.Unmarshal(h[inv].Value, &v) != nil {
			continue
		}
		t := &trail{anomaly: i, value: v, missing: map[string]bool{}, sentTo: map[string]bool{}, msgs: map[int64]*trailMsg{}}
		for _, idx := range a.Ops[1:] {
			if j := invocationOf(h, pairs, idx); j >= 0 && h[j].Node != "" {
				t.missing[h[j].Node] = true
			}
		}
		// The anomaly names only the first of the reads that missed the
		// value; a node whose last read began after the add completed
		// and lacks the value missed it too, though none of its reads
		// may be among those named.
		added := inv
		if pairs[inv] >= 0 {
			added = pairs[inv]
		}
		for n, fr := range finals {
			if fr.inv > added && !fr.vals[v] {
				t.missing[n] = true
			}
		}
		if len(t.missing) > 0 {
			out = append(out, t)
		}
	}
	return out
}

// see takes one journal event into the trail.
func (t *trail) see(e store.Event) {
	switch e.Kind {
	case "send":
		if !t.missing[e.Dest] || proto.IsClient(e.Src) || !carries(e.Body, t.value) {
			return
		}
		t.sentTo[e.Dest] = true
		if len(t.order) == maxTrailMsg {
			t.more++
			return
		}
		t.order = append(t.order, e.ID)
		t.msgs[e.ID] = &trailMsg{e: e}
	case "recv", "drop":
		if m, ok := t.msgs[e.ID]; ok {
			m.fate, m.at = string(e.Kind), e.Time
		}
	}
}

// carries reports whether a message body holds the value in one of its
// fields, alone or in a list: {"message": 6}, {"messages": [1, 6]}.
func carries(body json.RawMessage, v int64) bool {
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		return false
	}
	for k, raw := range fields {
		switch k {
		case "type", "msg_id", "in_reply_to":
			continue
		}
		var n int64
		if json.Unmarshal(raw, &n) == nil && n == v {
			return true
		}
		var ns []int64
		if json.Unmarshal(raw, &ns) == nil && slices.Contains(ns, v) {
			return true
		}
	}
	return false
}

// describe tells the trail in lines, naming the partition that dropped a
// message.
func (t *trail) describe(parts []visual.Interval) []string {
	nodes := make([]string, 0, len(t.missing))
	for n := range t.missing {
		nodes = append(nodes, n)
	}
	slices.Sort(nodes)
	who := strings.Join(nodes, ", ")
	if len(t.order) == 0 {
		return []string{fmt.Sprintf("no message between servers carried value %d to %s: it was never sent there", t.value, who)}
	}
	out := []string{fmt.Sprintf("messages between servers that carried value %d to %s:", t.value, who)}
	for _, id := range t.order {
		m := t.msgs[id]
		line := fmt.Sprintf("%s -> %s %s at %s: ", m.e.Src, m.e.Dest, shortDesc(m.e.Body), secs(m.e.Time))
		switch m.fate {
		case "recv":
			line += "received at " + secs(m.at)
		case "drop":
			line += "dropped at " + secs(m.at)
			for _, p := range parts {
				if m.at >= p.Start && (p.End == 0 || m.at <= p.End) {
					line += " by the partition " + p.Label
					break
				}
			}
		default:
			line += "still in flight when the run ended"
		}
		out = append(out, line)
	}
	if t.more > 0 {
		out = append(out, fmt.Sprintf("... and %d more", t.more))
	}
	return out
}

// shortDesc is a body's description without its message ids, cut short.
func shortDesc(body json.RawMessage) string {
	var kept []string
	for _, w := range strings.Fields(unescapeHTML.Replace(proto.DescribeBody(body))) {
		if !strings.HasPrefix(w, "msg_id=") && !strings.HasPrefix(w, "in_reply_to=") {
			kept = append(kept, w)
		}
	}
	s := strings.Join(kept, " ")
	if r := []rune(s); len(r) > 60 {
		s = string(r[:59]) + "…"
	}
	return s
}
