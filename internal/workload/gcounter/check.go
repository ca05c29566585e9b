package gcounter

import (
	"cmp"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/evidence"
)

// Anomaly kinds Check reports.
const (
	// KindWrongFinalRead is Maelstrom's rule: a final ok read outside the
	// acceptable set.
	KindWrongFinalRead = "wrong-final-read"
	// KindReadExceedsAdds is ours: an ok read larger than every add invoked
	// before it completed could make it.
	KindReadExceedsAdds = "read-exceeds-adds"
	// KindNegativeRead is ours: a grow-only counter starting at 0 is never
	// negative.
	KindNegativeRead = "negative-read"
	// KindReadBelowAdds is ours, pn-counter's lower bound: an ok read below
	// the sum of the negative deltas invoked before it completed.
	KindReadBelowAdds = "read-below-adds"
	// KindMalformedOp is an operation whose value is not what the client
	// records (a delta or read value that is not an integer, a negative
	// delta, a delta too large to sum safely).
	KindMalformedOp = "malformed-op"
	// KindMalformedHistory is a history whose operations do not pair up.
	KindMalformedHistory = "malformed-history"
)

// kindsDoc says what each kind means, for Kinds.
//
//go:embed kinds.md
var kindsDoc string

// maxSpans bounds the acceptable set's size. Deltas of 0..4, as generated,
// keep it to a handful of ranges; only hand-made histories with many large,
// distinct indefinite deltas could fragment it further, and then the set
// is widened to its hull (a lenient check, never a false failure) and a
// note says so.
const maxSpans = 1000

// maxDelta bounds deltas so that sums of any history fit in an int64.
const maxDelta = 1 << 32

// Check judges a g-counter history.
//
// Maelstrom's rule (pn_counter.clj): every final ok read must lie in the
// acceptable set, the sums of all ok adds plus any subset of the info adds
// (adds that never completed count as info; failed adds did not happen).
// Like Maelstrom we build the set as merged closed integer ranges:
// starting from {definite sum}, each info add of delta d turns the set S
// into S ∪ (S + d).
//
// Our rules, sound for any correct counter: an ok read is never negative,
// and never exceeds the sum of the adds (ok, info or unfinished) invoked
// before the read completed.
//
// Our rules are strict (workload.StrictRules): Maelstrom, looking only at
// the final reads, would pass a run that breaks only them.
//
// Valid when no rule is broken and at least one final read succeeded;
// Unknown when no final read succeeded (Maelstrom passes such a run, but it
// has checked nothing).
func Check(h history.History) workload.Result {
	c := checker{name: Name, h: h}
	c.run()
	return c.result()
}

// CheckPN judges a pn-counter history by Check's rules with deltas of
// either sign: Maelstrom's g-counter is its pn-counter, checker and all,
// with the negative adds filtered out of the generator (g_counter.clj).
// The bounds on an ok read become the sum of the negative deltas and the
// sum of the positive deltas of the adds invoked before it completed
// (read-below-adds and read-exceeds-adds).
func CheckPN(h history.History) workload.Result {
	c := checker{name: "pn-counter", decrements: true, h: h}
	c.run()
	return c.result()
}

type checker struct {
	name       string // the workload, for StrictRules
	decrements bool   // deltas may be negative: pn-counter
	h          history.History
	notes      []workload.Anomaly
	definite   int64
	indefinite []int64
	finalReads []int64
	acceptable spanSet
	approx     bool
	ev         evidence.Collector
}

// MaxPerKind bounds how many anomalies of one kind a result lists; the
// metric anomaly_counts has the full counts. A broken counter can be wrong
// on every read of a long run, and the first few cases tell the story.
const MaxPerKind = evidence.DefaultLimit

func (c *checker) add(kind string, ops []int, format string, args ...any) {
	if c.ev.Full(kind) {
		c.ev.Add(workload.Anomaly{Kind: kind, Ops: ops})
		return
	}
	c.ev.Add(workload.Anomaly{Kind: kind, Message: fmt.Sprintf(format, args...), Ops: ops})
}

func (c *checker) run() {
	pairs := c.pair()
	var finals []finalRead
	upper := int64(0) // sum of positive deltas of adds invoked so far that did not fail
	lower := int64(0) // sum of their negative deltas
	for i, op := range c.h {
		switch {
		case op.F == "add" && op.Type == history.Invoke:
			delta, ok := intValue(op.Value)
			if !ok || (delta < 0 && !c.decrements) || delta > maxDelta || delta < -maxDelta {
				what := "is not an integer"
				if ok && delta < 0 && !c.decrements {
					what = "is negative: a grow-only counter only adds"
				} else if ok {
					what = "is too large"
				}
				c.add(KindMalformedOp, []int{i}, "add at op %d has delta %s, which %s", i, describe(op.Value), what)
				continue
			}
			outcome := history.Info // never completed: may have happened
			if j := pairs[i]; j >= 0 {
				outcome = c.h[j].Type
			}
			switch outcome {
			case history.OK:
				c.definite += delta
			case history.Fail:
				continue
			default:
				c.indefinite = append(c.indefinite, delta)
			}
			if delta > 0 {
				upper += delta
			} else {
				lower += delta
			}
		case op.F == "read" && op.Type == history.OK:
			v, ok := intValue(op.Value)
			if !ok {
				c.add(KindMalformedOp, []int{i}, "read at op %d returned %s, which is not an integer", i, describe(op.Value))
				continue
			}
			inv := pairs[i]
			ops := []int{i}
			if inv >= 0 {
				ops = []int{inv, i}
			}
			switch {
			case v < lower && c.decrements:
				c.add(KindReadBelowAdds, ops, "read at op %d (process %d) returned %d, below %d, the sum of the negative adds invoked before it completed", i, op.Process, v, lower)
			case v < lower:
				c.add(KindNegativeRead, ops, "read at op %d (process %d) returned %d, but the counter starts at 0 and only grows", i, op.Process, v)
			case v > upper && c.decrements:
				c.add(KindReadExceedsAdds, ops, "read at op %d (process %d) returned %d, above %d, the sum of the positive adds invoked before it completed", i, op.Process, v, upper)
			case v > upper:
				c.add(KindReadExceedsAdds, ops, "read at op %d (process %d) returned %d, but the adds invoked before it completed total only %d", i, op.Process, v, upper)
			}
			if op.Final || (inv >= 0 && c.h[inv].Final) {
				c.finalReads = append(c.finalReads, v)
				finals = append(finals, finalRead{ops, op.Process, v})
			}
		}
	}
	c.acceptable = spanSet{{c.definite, c.definite}}
	for _, d := range c.indefinite {
		if d == 0 {
			continue
		}
		c.acceptable = c.acceptable.unionShifted(d)
		if len(c.acceptable) > maxSpans {
			c.acceptable = spanSet{{c.acceptable[0].lo, c.acceptable[len(c.acceptable)-1].hi}}
			c.approx = true
		}
	}
	for _, f := range finals {
		if !c.acceptable.contains(f.v) {
			unknown := ", and no add of unknown outcome"
			if n := len(c.indefinite); n > 0 {
				unknown = ", plus any subset of " + plural(n, "indefinite add")
			}
			invoked := ""
			if len(f.ops) > 1 {
				invoked = fmt.Sprintf("; the read began at op %d", f.ops[0])
			}
			c.add(KindWrongFinalRead, f.ops, "final read at op %d (process %d) returned %d, but the counter can only be %s: %d from acknowledged adds%s%s",
				f.ops[len(f.ops)-1], f.process, f.v, c.acceptable, c.definite, unknown, invoked)
		}
	}
}

// finalRead is an ok final read, checked once the acceptable set is known.
type finalRead struct {
	ops     []int
	process int
	v       int64
}

// pair links invocations and completions, never giving up: problems become
// malformed-history anomalies and the ops involved stay unpaired.
func (c *checker) pair() []int {
	pairs, problems := c.h.PairTolerant()
	for _, p := range problems {
		c.add(KindMalformedHistory, p.Ops, "%s", p.Message)
	}
	return pairs
}

func (c *checker) result() workload.Result {
	anomalies := c.ev.Kept()
	sortAnomalies(anomalies)
	anomalies = c.ev.Summarize(anomalies)
	r := workload.Result{Validity: workload.Valid, Anomalies: anomalies}
	switch {
	case len(anomalies) > 0:
		r.Validity = workload.Invalid
		if !workload.MarkStrict(c.name, anomalies) {
			r.MaelstromValidity = workload.Valid
			if len(c.finalReads) == 0 {
				r.MaelstromValidity = workload.Unknown
			}
		}
	case len(c.finalReads) == 0:
		r.Validity = workload.Unknown
		c.notes = append(c.notes, workload.Anomaly{Kind: "no-final-reads", Message: "no final read succeeded, so the final values could not be checked"})
	}
	if c.approx {
		c.notes = append(c.notes, workload.Anomaly{Kind: "acceptable-set-approximated", Message: fmt.Sprintf("the indefinite adds allow more than %d separate totals; the check used their hull %s instead", maxSpans, c.acceptable)})
	}
	r.Notes = c.notes
	ranges := make([][2]int64, len(c.acceptable))
	for i, s := range c.acceptable {
		ranges[i] = [2]int64{s.lo, s.hi}
	}
	finals := c.finalReads
	if finals == nil {
		finals = []int64{}
	}
	r.Metrics = map[string]any{
		"final_reads":     finals,
		"acceptable":      ranges,
		"definite_sum":    c.definite,
		"indefinite_adds": len(c.indefinite),
	}
	if counts := c.ev.Counts(); counts != nil {
		r.Metrics["anomaly_counts"] = counts
	}
	return r
}

// sortAnomalies orders anomalies by their last op, kinds stable within.
func sortAnomalies(as []workload.Anomaly) {
	last := func(a workload.Anomaly) int {
		if len(a.Ops) == 0 {
			return -1
		}
		return a.Ops[len(a.Ops)-1]
	}
	slices.SortStableFunc(as, func(a, b workload.Anomaly) int { return cmp.Compare(last(a), last(b)) })
}

// intValue decodes a JSON integer (not 1.0, not null).
func intValue(raw json.RawMessage) (int64, bool) {
	var v int64
	if len(raw) == 0 || string(raw) == "null" || json.Unmarshal(raw, &v) != nil {
		return 0, false
	}
	return v, true
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func describe(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "nothing"
	}
	s := string(raw)
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return s
}

// span is a closed range of integers.
type span struct{ lo, hi int64 }

// spanSet is a set of integers as sorted, disjoint, non-adjacent spans:
// Jepsen's TreeRangeSet for this one use.
type spanSet []span

// unionShifted returns s ∪ (s + d), merging as it goes.
func (s spanSet) unionShifted(d int64) spanSet {
	out := make(spanSet, 0, 2*len(s))
	push := func(x span) {
		if n := len(out); n > 0 && x.lo <= out[n-1].hi+1 {
			out[n-1].hi = max(out[n-1].hi, x.hi)
			return
		}
		out = append(out, x)
	}
	i, j := 0, 0
	for i < len(s) || j < len(s) {
		a := span{}
		if j >= len(s) || (i < len(s) && s[i].lo <= s[j].lo+d) {
			a = s[i]
			i++
		} else {
			a = span{s[j].lo + d, s[j].hi + d}
			j++
		}
		push(a)
	}
	return out
}

func (s spanSet) contains(v int64) bool {
	lo, hi := 0, len(s)
	for lo < hi {
		m := (lo + hi) / 2
		switch {
		case v < s[m].lo:
			hi = m
		case v > s[m].hi:
			lo = m + 1
		default:
			return true
		}
	}
	return false
}

// String renders the set for messages: "60..63", "7, 9..12".
func (s spanSet) String() string {
	var parts []string
	for i, x := range s {
		if i == 6 {
			parts = append(parts, fmt.Sprintf("... (%d ranges in all)", len(s)))
			break
		}
		if x.lo == x.hi {
			parts = append(parts, fmt.Sprint(x.lo))
		} else {
			parts = append(parts, fmt.Sprintf("%d..%d", x.lo, x.hi))
		}
	}
	return strings.Join(parts, ", ")
}
