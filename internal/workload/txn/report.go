package txn

import (
	"fmt"
	"strings"

	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/txngraph"
)

// result turns the cases into a verdict.
func (c *checker) result() workload.Result {
	cases := make(map[string][]txngraph.Case, len(c.cases))
	for kind, cs := range c.cases {
		for _, a := range cs {
			cases[kind] = append(cases[kind], txngraph.Case{Msg: a.msg, Render: a.render, Ops: a.ops, Size: a.size})
		}
	}
	tally := txngraph.Tally(len(c.txns), func(i int) status { return c.txns[i].st })
	var unchecked []workload.Anomaly
	for _, m := range c.pol.Models {
		if m.Level < 3 {
			continue
		}
		unchecked = append(unchecked, workload.Anomaly{Kind: "unchecked", Message: fmt.Sprintf(
			"%s forbids more than read committed does. Of that, this checker looks for %s and fails the run on any it finds; finding none, it calls the run valid, as Elle (Maelstrom's checker) does, though that is no proof of %s: %s",
			m.Name, strings.Join(strong[m.Name].adds, ", "), m.Name, strong[m.Name].unchecked)})
	}
	untrusted := 0
	for i := range c.keys {
		if c.keys[i].untrusted {
			untrusted++
		}
	}
	c.metrics["txns"] = tally
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
	return txngraph.Verdict(Name, cases, kindOrder, c.pol, tally["ok"], unchecked, c.metrics)
}
