package report

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/store"
	"github.com/glomers/glomers/internal/workload"
)

// KindTimeout is the explanation of requests no node answered. It is not
// a checker's anomaly: a run whose requests time out may be judged
// invalid, unknown (too little answered to judge) or valid (partitions
// make some timeouts normal), and the learner needs to hear why either
// way when it did not pass.
const KindTimeout = "timeout"

// Bounds on the timeout explanation.
const (
	maxSilentNodes = 2 // nodes whose last log lines are shown
	tailLines      = 8 // lines of each (the terminal shows 8)
	maxSilentTold  = 6 // nodes and request types named
)

// silence is the requests of one type sent to one node: how many were
// answered, and how many timed out.
type silence struct {
	node, f  string
	ok, out  int
	firstOut int           // invocation index of the first timed-out request
	firstAt  time.Duration // its invocation time
}

// nodeSilence is one node's timeouts over every request type: silent
// when no request sent after its first timeout was answered (it stopped
// answering altogether: stuck), and never when it answered nothing.
type nodeSilence struct {
	node          string
	ok, out       int
	types         []*silence
	firstOut      int
	firstAt       time.Duration
	silent, never bool
}

// timeouts groups the history's timed-out requests by node and request
// type, the node with the most first; nil when none timed out.
func timeouts(h history.History) []*silence {
	var out []*silence
	for _, n := range silentByNode(h) {
		out = append(out, n.types...)
	}
	return out
}

// silentByNode gathers the timed-out requests by node, most first.
func silentByNode(h history.History) []*nodeSilence {
	pairs, err := h.Pair()
	if err != nil {
		return nil
	}
	type answer struct {
		node string
		at   time.Duration
	}
	by := map[[2]string]*silence{}
	var order []*silence
	var answered []answer // invocation times of answered requests
	for i, op := range h {
		if op.Type != history.Invoke || op.Node == "" || pairs[i] < 0 {
			continue
		}
		c := h[pairs[i]]
		key := [2]string{op.Node, op.F}
		s := by[key]
		if s == nil {
			s = &silence{node: op.Node, f: op.F, firstOut: -1}
			by[key] = s
			order = append(order, s)
		}
		switch {
		case c.Type == history.OK:
			s.ok++
			answered = append(answered, answer{op.Node, op.Time})
		case c.Error == "timeout": // info, or fail for a read, which changes nothing
			s.out++
			if s.firstOut < 0 {
				s.firstOut, s.firstAt = i, op.Time
			}
		}
	}
	nodes := map[string]*nodeSilence{}
	var out []*nodeSilence
	for _, s := range order {
		n := nodes[s.node]
		if n == nil {
			n = &nodeSilence{node: s.node, firstOut: -1}
			nodes[s.node] = n
			out = append(out, n)
		}
		n.ok += s.ok
		if s.out == 0 {
			continue
		}
		n.out += s.out
		n.types = append(n.types, s)
		if n.firstOut < 0 || s.firstAt < n.firstAt {
			n.firstOut, n.firstAt = s.firstOut, s.firstAt
		}
	}
	out = slices.DeleteFunc(out, func(n *nodeSilence) bool { return n.out == 0 })
	for _, n := range out {
		n.never = n.ok == 0
		n.silent = !slices.ContainsFunc(answered, func(a answer) bool { return a.node == n.node && a.at > n.firstAt })
		slices.SortStableFunc(n.types, func(a, b *silence) int { return b.out - a.out })
	}
	slices.SortStableFunc(out, func(a, b *nodeSilence) int { return b.out - a.out })
	return out
}

// timedOut counts the requests that timed out.
func timedOut(ss []*silence) int {
	n := 0
	for _, s := range ss {
		n += s.out
	}
	return n
}

// tellsTimeouts reports whether a result's timeouts deserve an
// explanation: some request timed out, and the run did not pass.
func tellsTimeouts(res *harness.Result) bool {
	return !res.Valid && res.Verdict != "interrupted" && len(res.History) > 0
}

// silentNodes are the nodes, most timeouts first, whose logs are shown.
func silentNodes(ns []*nodeSilence) []string {
	var nodes []string
	for _, n := range ns {
		if len(nodes) < maxSilentNodes {
			nodes = append(nodes, n.node)
		}
	}
	return nodes
}

// gatherTails reads the last log lines of the nodes whose requests timed
// out.
func gatherTails(res *harness.Result) map[string]LogExcerpt {
	if !tellsTimeouts(res) {
		return nil
	}
	ns := silentByNode(res.History)
	if len(ns) == 0 {
		return nil
	}
	out := map[string]LogExcerpt{}
	for _, node := range silentNodes(ns) {
		rel := store.NodeLog(node)
		f, err := res.NodeLogs.Open(node)
		if err != nil {
			continue
		}
		lines := TailLog(f, tailLines)
		f.Close()
		why := node + "'s last log lines, where it stopped"
		if len(lines) == 0 {
			why = node + "'s log is empty: it logged nothing on stderr"
		}
		out[node] = LogExcerpt{Node: node, File: filepath.ToSlash(rel), Why: why, Lines: lines}
	}
	return out
}

// TailLog returns the last n lines of a log, numbered from 1.
func TailLog(r io.Reader, n int) []LogLine {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var ring []LogLine
	num := 0
	for sc.Scan() {
		num++
		ring = append(ring, LogLine{N: num, Text: clip(sc.Text())})
		if len(ring) > n {
			ring = ring[1:]
		}
	}
	return ring
}

// explainTimeouts puts the run's timed-out requests in words: how many,
// to which node and of which type, whether the node never answered that
// type or stopped answering part way, the causes the run's conditions
// allow, and the silent nodes' last log lines. ok is false when no
// request timed out or the run passed.
func explainTimeouts(res *harness.Result, ev Evidence) (Explanation, bool) {
	if !tellsTimeouts(res) {
		return Explanation{}, false
	}
	ns := silentByNode(res.History)
	if len(ns) == 0 {
		return Explanation{}, false
	}
	h := res.History
	pairs, _ := h.Pair()
	n := 0
	var parts []string
	untold := 0
	for _, nd := range ns {
		n += nd.out
		for _, s := range nd.types {
			if len(parts) == maxSilentTold {
				untold++
				continue
			}
			parts = append(parts, fmt.Sprintf("%d %s to %s", s.out, s.f, s.node))
		}
	}
	if untold > 0 {
		parts = append(parts, fmt.Sprintf("and %d more", untold))
	}
	ex := Explanation{
		Anomaly: workload.Anomaly{
			Kind:    KindTimeout,
			Message: fmt.Sprintf("%d request%s timed out without a reply: %s", n, plural(n), strings.Join(parts, ", ")),
		},
		Meaning: timeoutMeaning(res, ns),
	}
	ex.Trail = append(ex.Trail, fmt.Sprintf("%d request%s got no reply before the client's timeout:", n, plural(n)))
	for i, nd := range ns {
		if i == maxSilentTold {
			ex.Trail = append(ex.Trail, fmt.Sprintf("... and %d more nodes", len(ns)-i))
			break
		}
		ex.Trail = append(ex.Trail, nd.pattern()...)
		if len(ex.Ops) < maxOpLines {
			ex.Ops = append(ex.Ops, OpLine{Index: nd.firstOut, Node: nd.node, Text: describeOp(h, pairs, nd.firstOut, nd.firstOut)})
		}
	}
	for _, node := range silentNodes(ns) {
		if l, ok := ev.Tails[node]; ok {
			ex.Logs = append(ex.Logs, l)
		}
	}
	return ex, true
}

// pattern says how a node's requests went: never answered, answered
// until some moment and then not, or answered but for some.
func (n *nodeSilence) pattern() []string {
	var types []string
	for _, s := range n.types {
		types = append(types, fmt.Sprintf("%s ×%d", s.f, s.out))
	}
	what := fmt.Sprintf("%d timed out (%s)", n.out, strings.Join(types, ", "))
	switch {
	case n.never:
		return []string{fmt.Sprintf("%s never answered a request: %s", n.node, what)}
	case n.silent:
		return []string{fmt.Sprintf("%s answered %d request%s, then none from op %d at %s on: it went silent; %s",
			n.node, n.ok, plural(n.ok), n.firstOut, secs(n.firstAt), what)}
	}
	var out []string
	for _, s := range n.types {
		if s.ok == 0 {
			out = append(out, fmt.Sprintf("%s answered other requests but never a %s: %d timed out", s.node, s.f, s.out))
			continue
		}
		out = append(out, fmt.Sprintf("%s answered %d %s request%s and let %d time out (the first at op %d, %s)",
			s.node, s.ok, s.f, plural(s.ok), s.out, s.firstOut, secs(s.firstAt)))
	}
	return out
}

// timeoutMeaning names the causes the run's conditions allow: a
// partition is blamed only on a run that had one.
func timeoutMeaning(res *harness.Result, ns []*nodeSilence) Meaning {
	var b strings.Builder
	b.WriteString("A client waits a few seconds for each reply and records the request as failed or indeterminate when none comes. ")
	never, stopped, some := false, false, false
	for _, n := range ns {
		switch {
		case n.never:
			never = true
		case n.silent:
			stopped = true
		default:
			some = true
		}
	}
	if never {
		b.WriteString("A node that answers nothing is stuck from the start, or its handlers return without calling Reply. ")
	}
	if stopped {
		b.WriteString("A node that answered at first and then went silent is stuck: a deadlock (a mutex locked twice, or never unlocked on some path), or a handler blocked waiting on something that cannot come, such as a synchronous RPC to a peer made while holding the lock the peer's reply needs. ")
	}
	if some {
		b.WriteString("A node that answers some requests and not others drops them: a handler for that type that returns without a reply, or returns early on some path, or blocks on a slow call. ")
	}
	if partitioned(res) {
		b.WriteString("This run had partitions: a handler that waits for a peer across a partition also times out; answer from what the node knows and talk to peers in the background. ")
	}
	b.WriteString("The node's last log lines show the last request it received and how far its handler got.")
	if res.Verdict == "unknown" {
		b.WriteString(" So few requests were answered that the checker had nothing to judge: that is why the verdict is unknown.")
	}
	return Meaning{Title: "Requests timed out", Text: b.String()}
}

// timeoutWindows are the first timed-out request of each silent node, for
// the diagram to mark (its logs are the node's last lines, not a search),
// unless an anomaly already marks it.
func timeoutWindows(res *harness.Result, seen map[int]bool) []opWindow {
	if !tellsTimeouts(res) {
		return nil
	}
	h := res.History
	var out []opWindow
	for _, n := range silentByNode(h) {
		if i := n.firstOut; i >= 0 && !seen[i] && h[i].Client != "" {
			seen[i] = true
			out = append(out, opWindow{op: i, cited: i, kind: KindTimeout, client: h[i].Client, node: h[i].Node, from: h[i].Time, to: 1<<62 - 1})
		}
	}
	return out
}
