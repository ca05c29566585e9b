package listappend

import (
	"fmt"

	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/txngraph"
)

// result turns the cases into a verdict, with the checker's figures.
func (c *checker) result() workload.Result {
	tally := txngraph.Tally(len(c.txns), func(i int) status { return c.txns[i].St })
	var untrusted, ordered int
	for i := range c.keys {
		if c.keys[i].untrusted {
			untrusted++
		}
		ordered += len(c.keys[i].order)
	}
	c.metrics["txns"] = tally
	c.metrics["keys"] = len(c.keys)
	c.metrics["elements"] = len(c.elems)
	c.metrics["elements_ordered"] = ordered
	c.metrics["reads"] = len(c.reads)
	c.metrics["incompatible_keys"] = untrusted
	var extra []workload.Anomaly
	for _, m := range c.pol.Models {
		if m.Level >= 3 {
			extra = append(extra, workload.Anomaly{Kind: "unchecked", Message: fmt.Sprintf(
				"%s forbids more than this checker looks for: it finds cycles only among the dependencies the version orders show (appends no read saw are placed after every element read), so a valid verdict is no proof, as with Elle (Maelstrom's checker)", m.Name)})
		}
	}
	return txngraph.Verdict(Name, c.cases, kindOrder, c.pol, tally["ok"], extra, c.metrics)
}
