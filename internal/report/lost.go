package report

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/history"
)

// Table is a small table of figures, for the terminal and the page.
type Table struct {
	// Caption says what the table counts.
	Caption string
	Header  []string
	Rows    [][]string
	// Note follows the table: what its figures suggest.
	Note string
}

// lostTable sums up many lost broadcast values in one table, a row per
// node: how many of the lost values its last read held, how many it
// missed (as the checker judged it), how many of those no message between
// servers ever carried to it, and how many were not read there since
// they were broadcast. One table says what twenty near-identical
// anomalies would.
func lostTable(res *harness.Result, trails []*trail) Table {
	held := lastReads(res.History)
	nodes := map[string]bool{}
	for n := range held {
		nodes[n] = true
	}
	for _, t := range trails {
		for n := range t.missing {
			nodes[n] = true
		}
	}
	order := make([]string, 0, len(nodes))
	for n := range nodes {
		order = append(order, n)
	}
	slices.SortFunc(order, func(a, b string) int { return nodeOrder(a) - nodeOrder(b) })
	caption := fmt.Sprintf("The %d lost values, node by node (as the node's last read saw them):", len(trails))
	lost := 0
	for _, a := range res.Anomalies {
		if a.Kind == "lost" {
			lost += a.Count()
		}
	}
	if lost > len(trails) {
		caption = fmt.Sprintf("The first %d of the %d lost values, node by node (as the node's last read saw them):", len(trails), lost)
	}
	tb := Table{
		Caption: caption,
		Header:  []string{"node", "holds", "missing", "never sent there", "not read since"},
	}
	neverAll, missAll := 0, 0
	for _, n := range order {
		has, miss, never := 0, 0, 0
		for _, t := range trails {
			switch {
			case t.missing[n]:
				miss++
				if !t.sentTo[n] {
					never++
				}
			case held[n].vals[t.value]:
				has++
			}
		}
		neverAll += never
		missAll += miss
		unread := len(trails) - has - miss
		tb.Rows = append(tb.Rows, []string{n, strconv.Itoa(has), strconv.Itoa(miss), strconv.Itoa(never), strconv.Itoa(unread)})
	}
	switch {
	case missAll > 0 && neverAll == missAll:
		tb.Note = "No message between servers carried any of them to a node that missed it: the values were never gossiped there."
	case neverAll > 0:
		tb.Note = fmt.Sprintf("%d of the %d misses had no message between servers carrying the value there; the others were sent and still missed.", neverAll, missAll)
	case missAll > 0:
		tb.Note = "Every miss had a message between servers carrying the value there: it was sent, then dropped or not kept."
	}
	return tb
}

// lastRead is a node's last successful read: where it was invoked, and
// the values it held.
type lastRead struct {
	inv  int
	vals map[int64]bool
}

// lastReads maps each node to its last successful read.
func lastReads(h history.History) map[string]lastRead {
	pairs, err := h.Pair()
	out := map[string]lastRead{}
	if err != nil {
		return out
	}
	for i, op := range h {
		if op.Type != history.OK || op.F != "read" || op.Node == "" || pairs[i] < 0 {
			continue
		}
		var vs []int64
		if json.Unmarshal(op.Value, &vs) != nil {
			continue
		}
		m := map[int64]bool{}
		for _, v := range vs {
			m[v] = true
		}
		out[op.Node] = lastRead{inv: pairs[i], vals: m}
	}
	return out
}

// nodeOrder sorts n2 before n10.
func nodeOrder(id string) int {
	if n, err := strconv.Atoi(id[1:]); err == nil && len(id) > 1 {
		return n
	}
	return 1 << 30
}

// write prints the table in aligned columns, the first left-aligned, the
// figures right-aligned, each line after indent.
func (t Table) write(w io.Writer, indent string) {
	fmt.Fprint(w, wrap(t.Caption, indent, indent, 78))
	width := make([]int, len(t.Header))
	for _, row := range append([][]string{t.Header}, t.Rows...) {
		for i, c := range row {
			if i < len(width) {
				width[i] = max(width[i], len([]rune(c)))
			}
		}
	}
	for _, row := range append([][]string{t.Header}, t.Rows...) {
		var b strings.Builder
		for i, c := range row {
			if i >= len(width) {
				break
			}
			pad := strings.Repeat(" ", width[i]-len([]rune(c)))
			if i == 0 {
				b.WriteString(c + pad)
			} else {
				b.WriteString("  " + pad + c)
			}
		}
		fmt.Fprintf(w, "%s  %s\n", indent, b.String())
	}
	if t.Note != "" {
		fmt.Fprint(w, wrap(t.Note, indent, indent, 78))
	}
}
