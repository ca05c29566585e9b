package txn

import (
	"fmt"
	"slices"
	"strings"

	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/evidence"
)

// maxShown bounds how many cases of one kind a result lists (the smallest
// first); the rest are counted in the metrics and in the last shown case.
const maxShown = 8

// result turns the cases into a verdict.
func (c *checker) result() workload.Result {
	res := workload.Result{Metrics: c.metrics}
	ev := evidence.Collector{Limit: maxShown}
	for _, kind := range kindOrder {
		cases := c.cases[kind]
		slices.SortStableFunc(cases, func(a, b anomalyCase) int {
			if a.size != b.size {
				return a.size - b.size
			}
			return firstOp(a) - firstOp(b)
		})
		for _, a := range cases {
			an := workload.Anomaly{Kind: kind, Message: a.msg, Ops: a.ops}
			if a.render != nil && !ev.Full(kind) {
				an.Message = a.render()
			}
			ev.Add(an)
		}
	}
	kept := ev.Kept()
	for i, an := range kept {
		if more := ev.Dropped(an.Kind); more > 0 && (i == len(kept)-1 || kept[i+1].Kind != an.Kind) {
			an.Message += fmt.Sprintf(" (%d more %s cases not shown)", more, an.Kind)
		}
		if c.pol.Failing[an.Kind] {
			res.Anomalies = append(res.Anomalies, an)
		} else {
			an.Message += fmt.Sprintf(" [allowed by %s]", c.pol.Names())
			res.Notes = append(res.Notes, an)
		}
	}
	counts := ev.Counts()
	var ok, fail, info int
	for i := range c.txns {
		switch c.txns[i].st {
		case stOK:
			ok++
		case stFail:
			fail++
		default:
			info++
		}
	}
	for _, m := range c.pol.Models {
		if m.Level < 3 {
			continue
		}
		res.Notes = append(res.Notes, workload.Anomaly{Kind: "unchecked", Message: fmt.Sprintf(
			"%s forbids more than read committed does. Of that, this checker looks for %s and fails the run on any it finds; finding none, it calls the run valid, as Elle (Maelstrom's checker) does, though that is no proof of %s: %s",
			m.Name, strings.Join(strong[m.Name].adds, ", "), m.Name, strong[m.Name].unchecked)})
	}
	untrusted := 0
	for i := range c.keys {
		if c.keys[i].untrusted {
			untrusted++
		}
	}
	c.metrics["txns"] = map[string]int{"ok": ok, "fail": fail, "info": info}
	c.metrics["keys"] = len(c.keys)
	c.metrics["values"] = len(c.values)
	c.metrics["external_reads"] = len(c.reads)
	var wfr, order, seen int
	for _, f := range c.facts {
		if f.kind == rsWFR {
			wfr++
		} else {
			order++
		}
	}
	for i := range c.values {
		if c.values[i].seen >= 0 {
			seen++
		}
	}
	c.metrics["inferred"] = map[string]int{
		"writes_follow_reads": wfr, "write_order": order, "values_read_before_later_writers": seen, "untrusted_keys": untrusted,
	}
	if counts != nil {
		c.metrics["anomaly_counts"] = counts
	}
	var lax workload.Validity
	switch {
	case ok == 0:
		lax = workload.Unknown
		res.Notes = append(res.Notes, workload.Anomaly{Kind: "no-transactions", Message: "no transaction completed ok, so there is nothing to judge"})
	default:
		lax = workload.Valid
	}
	res.Validity, res.MaelstromValidity = lax, lax
	if len(res.Anomalies) > 0 {
		res.Validity = workload.Invalid
		if workload.MarkStrict("txn-rw-register", res.Anomalies) {
			res.MaelstromValidity = workload.Invalid
		}
	}
	return res
}

func firstOp(a anomalyCase) int {
	if len(a.ops) == 0 {
		return -1
	}
	return a.ops[0]
}
