package broadcast

import (
	"cmp"
	_ "embed"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/evidence"
)

// Anomaly and note kinds the checker reports.
const (
	// KindLost: an acknowledged (or once-read) value that the latest reads
	// no longer hold. Jepsen set-full's lost.
	KindLost = "lost"
	// KindDuplicate: one read listed a value more than once. Jepsen means to
	// report these, but its test is reversed (it keeps values seen fewer
	// than once: jepsen-io/jepsen v0.3.7, jepsen/src/jepsen/checker.clj line
	// 592, `(if (< v 1)`; unchanged on its main branch), so it never does.
	KindDuplicate = "duplicate"
	// KindUnexpected: a read returned a value no client had broadcast by the
	// time the read completed. set-full ignores such values.
	KindUnexpected = "unexpected"
	// KindMalformedHistory: a value of the wrong shape, or records that do
	// not pair; the client never records these, so the history was damaged.
	KindMalformedHistory = "malformed-history"

	// NoteStale: a value was missed by a read that began after it was known.
	// Normal for an eventually consistent broadcast; not a failure.
	NoteStale = "stale"
	// NoteNeverRead: values whose fate no read settled.
	NoteNeverRead = "never-read"
)

// kindsDoc says what each kind means, for Kinds.
//
//go:embed kinds.md
var kindsDoc string

// MaxListed bounds each list of values in Metrics; the counts beside them
// are exact.
const MaxListed = 100

// MaxWorstStale is how many of the stalest values are detailed, as in
// Jepsen.
const MaxWorstStale = 8

// maxOps bounds the operations one anomaly lists.
const maxOps = 20

// StaleValue details one of the stalest values (Jepsen's worst-stale).
type StaleValue struct {
	Value int64 `json:"value"`
	// LatencyMS is the value's stable latency, in ms.
	LatencyMS int64 `json:"stable_latency_ms"`
	// KnownOp is the history index of the op that made the value known: its
	// broadcast's ok completion, or the completion of the first read that
	// saw it.
	KnownOp int `json:"known_op"`
	// LastAbsentOp is the invocation of the last read that missed it, and
	// LastAbsentNode that read's node.
	LastAbsentOp   int    `json:"last_absent_op"`
	LastAbsentNode string `json:"last_absent_node,omitempty"`
}

// Check judges a broadcast history with Jepsen's set-full rules (non-
// linearizable mode), broadcasts standing for set additions. For every
// broadcast value, over the ok reads that completed after its broadcast
// was invoked, ordered by the reads' invocations:
//
//   - known is the earlier of its broadcast's ok completion and the
//     completion of the first read that held it;
//   - last-present and last-absent are the last reads that held it and that
//     missed it;
//   - it is stable when last-present comes after last-absent (or nothing
//     missed it), lost when it was known and last-absent comes after both
//     last-present and known, and never-read otherwise;
//   - a stable value's latency is the time from known to the invocation of
//     last-absent (plus 1 ns), 0 if never absent, clipped at 0, truncated to
//     ms; it is stale when that latency is above 0.
//
// Lost values make the history invalid, as do values repeated within one
// read and values no client broadcast; with none of these and no stable
// value the verdict is unknown, since nothing was shown to arrive. Stale and
// never-read values are notes.
//
// As in Jepsen, a value broadcast twice is followed from its latest
// broadcast only; the generator never repeats a value.
func Check(h history.History) workload.Result { return broadcastSet.Check(h) }

// SetFull is Check's set-full checking for any workload whose clients add
// integers to a set and read the whole set back: Maelstrom's g-set uses
// the same Jepsen checker as broadcast, with "add" for "broadcast".
type SetFull struct {
	// Workload names the workload whose StrictRules apply.
	Workload string
	// Add is the operation that adds a value ("broadcast", "add"); messages
	// say Added for what it did to a value ("broadcast", "added").
	Add, Added string
	// Field is read_ok's field that holds the set ("messages", "value").
	Field string
}

// broadcastSet is broadcast's own SetFull.
var broadcastSet = SetFull{Workload: "broadcast", Add: "broadcast", Added: "broadcast", Field: "messages"}

// Check judges h with Check's rules, s.Add standing for broadcast.
func (s SetFull) Check(h history.History) workload.Result {
	pairs, err := h.Pair()
	if err != nil {
		return workload.Result{
			Validity:  workload.Invalid,
			Anomalies: []workload.Anomaly{{Kind: KindMalformedHistory, Message: "the history cannot be paired: " + err.Error()}},
		}
	}
	c := newChecker(h, pairs)
	c.set = s
	c.scan()
	c.judge()
	return c.result()
}

func newChecker(h history.History, pairs []int) *checker {
	return &checker{
		set:        broadcastSet,
		h:          h,
		pairs:      pairs,
		dense:      make([]*element, len(h)),
		sparse:     map[int64]*element{},
		dups:       map[int64]*repeat{},
		unexpected: map[int64]*stray{},
	}
}

// read is one ok read: its invocation and completion indexes and its node.
type read struct {
	inv, comp int
	node      string
}

// element is everything the scan learns about one broadcast value.
type element struct {
	value  int64
	first  int    // its first broadcast invocation
	invoke int    // its latest broadcast invocation: set-full follows it from here
	node   string // the node that broadcast went to
	addOK  int    // the ok completion of a broadcast of it after invoke, or -1
	// present lists the ok reads (indexes into checker.reads, so in
	// completion order) that held it and completed after invoke.
	present []int32
}

// repeat follows one value listed more than once within single reads.
type repeat struct {
	value   int64
	reads   int   // reads that repeated it
	most    int   // the most times one read listed it
	ops     []int // those reads' completions, at most maxOps
	nodes   map[string]bool
	lastRid int32
	mult    int
}

// stray follows one value read before any client broadcast it.
type stray struct {
	value   int64
	reads   int
	ops     []int
	nodes   map[string]bool
	lastRid int32
}

type outcome int

const (
	neverRead outcome = iota
	stable
	lost
)

// verdict is set-full's judgement of one element. Read positions are in
// invocation order (indexes into checker.byInv), -1 when there is none.
type verdict struct {
	e           *element
	outcome     outcome
	known       int
	lastPresent int
	lastAbsent  int
	latency     int64 // ms: stable latency if stable, lost latency if lost
}

type checker struct {
	set   SetFull
	h     history.History
	pairs []int
	col   evidence.Collector

	// Elements by value: the generator's values 0, 1, 2, ... index dense,
	// which is much cheaper per value read than a map; any others go in
	// sparse.
	dense      []*element
	sparse     map[int64]*element
	elemCount  int
	reads      []read
	dups       map[int64]*repeat
	dupOrder   []*repeat
	unexpected map[int64]*stray
	unexpOrder []*stray

	byInv []int32 // read ids in invocation order
	tree  maxTree // over reads' completion indexes, in invocation order

	verdicts []verdict // by value
}

// malformed reports op i, whose what could not be read.
func (c *checker) malformed(i int, what string, err error) {
	c.col.Add(workload.Anomaly{
		Kind:    KindMalformedHistory,
		Message: fmt.Sprintf("op %d: %s %v", i, what, err),
		Ops:     []int{i},
	})
}

// scan walks the history once, in order, as set-full's reduce does: a
// broadcast invocation starts following its value, and each ok read, at its
// completion, counts for the values whose broadcasts were invoked before.
func (c *checker) scan() {
	for i, op := range c.h {
		switch {
		case op.F == c.set.Add && op.Type == history.Invoke:
			v, err := parseInt(op.Value)
			if err != nil {
				c.malformed(i, c.set.Add+" value", err)
				continue
			}
			first := i
			if old := c.element(v); old != nil {
				first = old.first
			}
			c.setElement(&element{value: v, first: first, invoke: i, node: c.nodeOf(i), addOK: -1})

		case op.F == c.set.Add && op.Type == history.OK:
			v, err := parseInt(c.h[c.pairs[i]].Value)
			if err != nil {
				continue // reported at the invocation
			}
			if e := c.element(v); e != nil && e.addOK < 0 {
				e.addOK = i
			}

		case op.F == "read" && op.Type == history.OK:
			vals, err := parseInts(op.Value)
			if err != nil {
				c.malformed(i, "read_ok "+c.set.Field, err)
				continue
			}
			rid := int32(len(c.reads))
			c.reads = append(c.reads, read{inv: c.pairs[i], comp: i, node: c.nodeOf(i)})
			for _, v := range vals {
				if e := c.element(v); e != nil {
					if n := len(e.present); n > 0 && e.present[n-1] == rid {
						c.repeated(v, rid)
						continue
					}
					e.present = append(e.present, rid)
					continue
				}
				s := c.unexpected[v]
				if s == nil {
					s = &stray{value: v, nodes: map[string]bool{}, lastRid: -1}
					c.unexpected[v] = s
					c.unexpOrder = append(c.unexpOrder, s)
				}
				if s.lastRid == rid {
					c.repeated(v, rid)
					continue
				}
				s.lastRid = rid
				s.reads++
				if len(s.ops) < maxOps {
					s.ops = append(s.ops, i)
				}
				s.nodes[c.reads[rid].node] = true
			}
		}
	}
}

// element returns the element for v, or nil.
func (c *checker) element(v int64) *element {
	if v >= 0 && v < int64(len(c.dense)) {
		return c.dense[v]
	}
	return c.sparse[v]
}

// setElement starts following e.value, replacing any earlier element.
func (c *checker) setElement(e *element) {
	if c.element(e.value) == nil {
		c.elemCount++
	}
	if e.value >= 0 && e.value < int64(len(c.dense)) {
		c.dense[e.value] = e
		return
	}
	c.sparse[e.value] = e
}

// repeated counts one more copy of v in read rid.
func (c *checker) repeated(v int64, rid int32) {
	d := c.dups[v]
	if d == nil {
		d = &repeat{value: v, nodes: map[string]bool{}, lastRid: -1}
		c.dups[v] = d
		c.dupOrder = append(c.dupOrder, d)
	}
	if d.lastRid != rid {
		d.lastRid, d.mult = rid, 1
		d.reads++
		if len(d.ops) < maxOps {
			d.ops = append(d.ops, c.reads[rid].comp)
		}
		d.nodes[c.reads[rid].node] = true
	}
	d.mult++
	d.most = max(d.most, d.mult)
}

// nodeOf is the node of op i, from whichever half of its pair names it.
func (c *checker) nodeOf(i int) string {
	if n := c.h[i].Node; n != "" {
		return n
	}
	if j := c.pairs[i]; j >= 0 {
		return c.h[j].Node
	}
	return ""
}

// judge applies set-full's rules to every element without visiting every
// read for every element, as Jepsen does. Reads are put in invocation order
// under a max-tree of their completion indexes. For each element, the reads
// that held it are known from the scan, so last-present is their latest,
// and last-absent is found by lastAbsent in O(log R) plus one tree step per
// read that was already running when the broadcast was invoked and held the
// value (at most one per client, in practice). The whole costs
// O(V log V + E log R) for V values read in all, E elements and R reads.
func (c *checker) judge() {
	c.byInv = make([]int32, len(c.reads))
	for i := range c.byInv {
		c.byInv[i] = int32(i)
	}
	slices.SortFunc(c.byInv, func(a, b int32) int { return cmp.Compare(c.reads[a].inv, c.reads[b].inv) })
	pos := make([]int32, len(c.reads))
	comps := make([]int, len(c.reads))
	for p, rid := range c.byInv {
		pos[rid] = int32(p)
		comps[p] = c.reads[rid].comp
	}
	c.tree = newMaxTree(comps)

	elems := make([]*element, 0, c.elemCount)
	for _, e := range c.dense {
		if e != nil {
			elems = append(elems, e)
		}
	}
	for _, e := range c.sparse {
		elems = append(elems, e)
	}
	slices.SortFunc(elems, func(a, b *element) int { return cmp.Compare(a.value, b.value) })

	c.verdicts = make([]verdict, len(elems))
	var ps []int32
	for i, e := range elems {
		v := verdict{e: e, known: e.addOK, lastPresent: -1, lastAbsent: -1}
		if len(e.present) > 0 {
			if first := c.reads[e.present[0]].comp; v.known < 0 || first < v.known {
				v.known = first
			}
		}
		ps = ps[:0]
		for _, rid := range e.present {
			ps = append(ps, pos[rid])
		}
		slices.Sort(ps) // nearly sorted already: completion order is close to invocation order
		if len(ps) > 0 {
			v.lastPresent = int(ps[len(ps)-1])
		}
		v.lastAbsent = c.lastAbsent(e, ps)
		c.decide(&v)
		c.verdicts[i] = v
	}
}

// lastAbsent finds the position of the last read, in invocation order,
// that completed after e's broadcast was invoked and did not hold e, or -1.
// ps are the positions of the reads that held e, ascending; all of them
// completed after e's broadcast was invoked.
//
// Reads invoked after the broadcast all count, and they are the positions
// from hi on: if the reads holding e fill the top of that range, the answer
// is just below them, found by binary search. Below hi only reads still
// running when the broadcast was invoked count; the max-tree finds them,
// latest first, and each read that held e is stepped over.
func (c *checker) lastAbsent(e *element, ps []int32) int {
	n := len(c.byInv)
	hi := sort.Search(n, func(p int) bool { return c.readAt(p).inv > e.invoke })
	// top is how many of the last positions n-1, n-2, ... are in ps; since
	// ps is strictly increasing, ps[len-1-j] == n-1-j holds for a prefix of j.
	top := sort.Search(len(ps), func(j int) bool { return int(ps[len(ps)-1-j]) != n-1-j })
	if p := n - 1 - top; p >= hi {
		return p
	}
	// The run of reads holding e may reach below hi; walk on from its end.
	next := len(ps) - 1 - top // the latest read holding e not yet stepped over
	for k := n - top; ; {
		p := c.tree.lastAbove(k, e.invoke)
		if p < 0 {
			return -1
		}
		if next >= 0 && int(ps[next]) == p {
			next--
			k = p
			continue
		}
		return p
	}
}

// decide applies set-full's outcome and latency rules to v.
func (c *checker) decide(v *verdict) {
	switch {
	case v.lastPresent >= 0 && v.lastAbsent < v.lastPresent:
		v.outcome = stable
		from := time.Duration(0)
		if v.lastAbsent >= 0 {
			from = c.h[c.readAt(v.lastAbsent).inv].Time + 1
		}
		v.latency = c.latency(from, v.known)
	case v.known >= 0 && v.lastAbsent >= 0 && v.lastPresent < v.lastAbsent && v.known < c.readAt(v.lastAbsent).inv:
		v.outcome = lost
		from := time.Duration(0)
		if v.lastPresent >= 0 {
			from = c.h[c.readAt(v.lastPresent).inv].Time + 1
		}
		v.latency = c.latency(from, v.known)
	default:
		v.outcome = neverRead
	}
}

// latency is Jepsen's (max 0 (- t known-time)) in whole ms.
func (c *checker) latency(t time.Duration, known int) int64 {
	d := t - c.h[known].Time
	if d < 0 {
		return 0
	}
	return int64(d / time.Millisecond)
}

func (c *checker) readAt(p int) read { return c.reads[c.byInv[p]] }

func (c *checker) result() workload.Result {
	var stableLat, lostLat []float64
	var lostVals, neverVals, staleVals []int64
	var stale []verdict
	stableCount := 0
	for _, v := range c.verdicts {
		switch v.outcome {
		case stable:
			stableCount++
			stableLat = append(stableLat, float64(v.latency))
			if v.latency > 0 {
				stale = append(stale, v)
				staleVals = append(staleVals, v.e.value)
			}
		case lost:
			lostLat = append(lostLat, float64(v.latency))
			lostVals = append(lostVals, v.e.value)
			c.reportLost(v)
		case neverRead:
			neverVals = append(neverVals, v.e.value)
		}
	}
	for _, d := range c.dupOrder {
		c.reportRepeat(d)
	}
	for _, s := range c.unexpOrder {
		c.reportStray(s)
	}

	// Jepsen's worst-stale: highest latency first, ties to the higher value.
	worst := slices.Clone(stale)
	slices.SortStableFunc(worst, func(a, b verdict) int {
		return cmp.Or(cmp.Compare(b.latency, a.latency), cmp.Compare(b.e.value, a.e.value))
	})
	worst = worst[:min(len(worst), MaxWorstStale)]
	worstStale := make([]StaleValue, len(worst))
	for i, v := range worst {
		worstStale[i] = StaleValue{Value: v.e.value, LatencyMS: v.latency, KnownOp: v.known, LastAbsentOp: -1}
		if v.lastAbsent >= 0 {
			r := c.readAt(v.lastAbsent)
			worstStale[i].LastAbsentOp, worstStale[i].LastAbsentNode = r.inv, r.node
		}
	}

	res := workload.Result{
		Anomalies:     c.col.Anomalies(),
		StableLatency: workload.NewQuantiles(stableLat),
		Metrics: map[string]any{
			"attempt_count":    len(c.verdicts),
			"stable_count":     stableCount,
			"lost_count":       len(lostVals),
			"lost":             bounded(lostVals),
			"never_read_count": len(neverVals),
			"never_read":       bounded(neverVals),
			"stale_count":      len(stale),
			"stale":            bounded(staleVals),
			"worst_stale":      worstStale,
			"duplicated_count": len(c.dupOrder),
			"unexpected_count": len(c.unexpOrder),
			"read_count":       len(c.reads),
		},
	}
	if q := workload.NewQuantiles(lostLat); q != nil {
		res.Metrics["lost_latencies"] = q
	}
	switch {
	case stableCount == 0:
		res.Validity = workload.Unknown
	default:
		res.Validity = workload.Valid
	}
	res.MaelstromValidity = res.Validity
	if len(res.Anomalies) > 0 {
		res.Validity = workload.Invalid
		if workload.MarkStrict(c.set.Workload, res.Anomalies) {
			res.MaelstromValidity = workload.Invalid
		}
	}
	if len(stale) > 0 {
		res.Notes = append(res.Notes, workload.Anomaly{
			Kind: NoteStale,
			Message: fmt.Sprintf("%d of %d stable values were stale: a read that began after the value was known still missed it, for up to %d ms. "+
				"An eventually consistent %s is allowed this; it does not fail the run.", len(stale), stableCount, worst[0].latency, c.set.Workload),
		})
		for _, v := range worst {
			if v.lastAbsent < 0 {
				// Only a known time below zero gets here: set-full counts
				// from time 0 when nothing missed the value.
				res.Notes = append(res.Notes, workload.Anomaly{
					Kind:    NoteStale,
					Message: fmt.Sprintf("value %d %s, before the run began, so it counts as %d ms stale though no read missed it", v.e.value, c.knownPhrase(v), v.latency),
					Ops:     []int{v.known},
				})
				continue
			}
			r := c.readAt(v.lastAbsent)
			res.Notes = append(res.Notes, workload.Anomaly{
				Kind:    NoteStale,
				Message: fmt.Sprintf("value %d %s, but a read on %s (op %d) that began %d ms later still missed it", v.e.value, c.knownPhrase(v), nodeName(r.node), r.inv, v.latency),
				Ops:     []int{v.known, r.inv},
			})
		}
	}
	if len(neverVals) > 0 {
		res.Notes = append(res.Notes, workload.Anomaly{
			Kind: NoteNeverRead,
			Message: fmt.Sprintf("%d %s values were never read: no read that could tell whether they arrived (values %s). "+
				"Usually %ss that failed or timed out; this does not fail the run.", len(neverVals), c.set.Added, listInts(neverVals, 10), c.set.Add),
		})
	}
	return res
}

// knownPhrase says how a value became known: "was acknowledged by n3 at op
// 40 (t=1.2s)" or "was first seen in a read on n1 (op 51) that completed at
// t=1.3s". Reads are named by their invocation throughout, as set-full
// orders them.
func (c *checker) knownPhrase(v verdict) string {
	at := c.h[v.known].Time.Round(time.Millisecond)
	if v.known == v.e.addOK {
		return fmt.Sprintf("was acknowledged by %s at op %d (t=%s)", nodeName(v.e.node), v.known, at)
	}
	return fmt.Sprintf("was first seen in a read on %s (op %d) that completed at t=%s", nodeName(c.nodeOf(v.known)), c.pairs[v.known], at)
}

// reportLost describes a lost value: how it became known, where it was
// last seen, and the reads after that which missed it.
func (c *checker) reportLost(v verdict) {
	if c.col.Full(KindLost) {
		c.col.Add(workload.Anomaly{Kind: KindLost, Ops: []int{v.known}})
		return
	}
	// The reads after last-present that count for this value; by the
	// choice of last-present none of them held it. Those invoked after the
	// broadcast are a run of positions; the few still running when it was
	// invoked are found with the tree.
	n := len(c.byInv)
	hi := sort.Search(n, func(p int) bool { return c.readAt(p).inv > v.e.invoke })
	var missing []int
	nodes := map[string]bool{}
	for p := n - 1; p >= max(hi, v.lastPresent+1); p-- {
		r := c.readAt(p)
		missing = append(missing, r.inv)
		nodes[nodeName(r.node)] = true
	}
	for k := hi; ; {
		p := c.tree.lastAbove(k, v.e.invoke)
		if p <= v.lastPresent { // also p < 0
			break
		}
		r := c.readAt(p)
		missing = append(missing, r.inv)
		nodes[nodeName(r.node)] = true
		k = p
	}
	slices.Reverse(missing)
	var sb strings.Builder
	fmt.Fprintf(&sb, "value %d %s", v.e.value, c.knownPhrase(v))
	switch {
	case v.lastPresent >= 0 && c.readAt(v.lastPresent).comp == v.known:
		sb.WriteString(", but") // the read that first saw it was also the last
	case v.lastPresent >= 0:
		r := c.readAt(v.lastPresent)
		fmt.Fprintf(&sb, " and was last seen in a read on %s (op %d), but", nodeName(r.node), r.inv)
	default:
		sb.WriteString(" but no read ever had it:")
	}
	reads := "the last read"
	if len(missing) > 1 {
		reads = fmt.Sprintf("the last %d reads", len(missing))
	}
	fmt.Fprintf(&sb, " %s, on %s, did not have it (%s)", reads, joinNodes(nodes), listOps(missing, 6))
	ops := append([]int{v.known}, missing[:min(len(missing), maxOps)]...)
	c.col.Add(workload.Anomaly{Kind: KindLost, Message: sb.String(), Ops: ops})
}

func (c *checker) reportRepeat(d *repeat) {
	var msg string
	if d.reads == 1 {
		msg = fmt.Sprintf("value %d appeared %d times in one read on %s (op %d); a read returns a set", d.value, d.most, joinNodes(d.nodes), d.ops[0])
	} else {
		msg = fmt.Sprintf("value %d appeared more than once (up to %d times) in each of %d reads, on %s (%s); a read returns a set",
			d.value, d.most, d.reads, joinNodes(d.nodes), listOps(d.ops, 6))
	}
	c.col.Add(workload.Anomaly{Kind: KindDuplicate, Message: msg, Ops: d.ops})
}

func (c *checker) reportStray(s *stray) {
	reads := "a read"
	if s.reads > 1 {
		reads = fmt.Sprintf("%d reads", s.reads)
	}
	msg := fmt.Sprintf("value %d was returned by %s, on %s (%s), but no client ever %s it", s.value, reads, joinNodes(s.nodes), listOps(s.ops, 6), c.set.Added)
	ops := s.ops
	if e := c.element(s.value); e != nil {
		msg = fmt.Sprintf("value %d was returned by %s, on %s (%s), that completed before any client %s it (op %d)", s.value, reads, joinNodes(s.nodes), listOps(s.ops, 6), c.set.Added, e.first)
		ops = append(slices.Clone(ops), e.first)
	}
	c.col.Add(workload.Anomaly{Kind: KindUnexpected, Message: msg, Ops: ops})
}

func nodeName(n string) string {
	if n == "" {
		return "an unnamed node"
	}
	return n
}

// joinNodes writes a node set as "n0", "n0 and n2", "n0, n2 and n4".
func joinNodes(set map[string]bool) string {
	nodes := make([]string, 0, len(set))
	for n := range set {
		nodes = append(nodes, nodeName(n))
	}
	slices.Sort(nodes)
	nodes = slices.Compact(nodes)
	if len(nodes) <= 1 {
		return strings.Join(nodes, "")
	}
	return strings.Join(nodes[:len(nodes)-1], ", ") + " and " + nodes[len(nodes)-1]
}

// listOps writes "op 5" or "ops 5, 8, 9, ..." showing at most n.
func listOps(ops []int, n int) string {
	if len(ops) == 1 {
		return fmt.Sprintf("op %d", ops[0])
	}
	parts := make([]string, 0, n+1)
	for _, op := range ops[:min(len(ops), n)] {
		parts = append(parts, fmt.Sprint(op))
	}
	if len(ops) > n {
		parts = append(parts, "...")
	}
	return "ops " + strings.Join(parts, ", ")
}

// listInts writes values as "3, 7, 12, ..." showing at most n.
func listInts(vals []int64, n int) string {
	parts := make([]string, 0, n+1)
	for _, v := range vals[:min(len(vals), n)] {
		parts = append(parts, fmt.Sprint(v))
	}
	if len(vals) > n {
		parts = append(parts, "...")
	}
	return strings.Join(parts, ", ")
}

// bounded returns at most MaxListed of vals (already in increasing order),
// never nil, so that JSON shows [] rather than null.
func bounded(vals []int64) []int64 {
	if vals == nil {
		return []int64{}
	}
	return vals[:min(len(vals), MaxListed)]
}

// maxTree is a segment tree of maxima over a fixed slice of indexes.
type maxTree struct {
	size int
	max  []int
}

func newMaxTree(vals []int) maxTree {
	size := 1
	for size < len(vals) {
		size *= 2
	}
	t := maxTree{size: size, max: make([]int, 2*size)}
	for i := range t.max {
		t.max[i] = -1
	}
	copy(t.max[size:], vals)
	for i := size - 1; i >= 1; i-- {
		t.max[i] = max(t.max[2*i], t.max[2*i+1])
	}
	return t
}

// lastAbove returns the largest position p < k whose value exceeds s, or -1.
// It descends once along the boundary at k and once into the subtree that
// holds the answer, so it costs O(log n).
func (t maxTree) lastAbove(k, s int) int {
	return t.search(1, 0, t.size, k, s)
}

func (t maxTree) search(node, lo, hi, k, s int) int {
	if lo >= k || t.max[node] <= s {
		return -1
	}
	if hi-lo == 1 {
		return lo
	}
	mid := (lo + hi) / 2
	if p := t.search(2*node+1, mid, hi, k, s); p >= 0 {
		return p
	}
	return t.search(2*node, lo, mid, k, s)
}
