// Package evidence gathers a checker's anomalies so that a badly broken node
// yields a readable report: the first few anomalies of each kind are kept in
// full, the rest are counted in one summary of that kind. A node that drops
// every message would otherwise produce one anomaly per operation.
//
// It is pure bookkeeping: no I/O, no clocks.
package evidence

import (
	"fmt"
	"maps"

	"github.com/glomers/glomers/internal/workload"
)

// DefaultLimit is how many anomalies of one kind a Collector keeps in full
// unless told otherwise.
const DefaultLimit = 20

// maxSummaryOps bounds the operations a summary lists.
const maxSummaryOps = 50

// Collector keeps anomalies in the order they were added, up to Limit of
// each kind. The zero value keeps DefaultLimit of each kind.
type Collector struct {
	// Limit is how many anomalies of one kind are kept in full; 0 means
	// DefaultLimit.
	Limit int

	list    []workload.Anomaly
	kept    map[string]int
	dropped map[string]*summary
}

type summary struct {
	count  int
	strict int // of count, how many were Strict (a rule real Maelstrom lacks)
	ops    []int
}

// Add records a. Past the limit for a.Kind, only its first op is kept.
func (c *Collector) Add(a workload.Anomaly) {
	if c.kept == nil {
		c.kept = make(map[string]int)
		c.dropped = make(map[string]*summary)
	}
	limit := c.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	if c.kept[a.Kind] < limit {
		c.kept[a.Kind]++
		c.list = append(c.list, a)
		return
	}
	s := c.dropped[a.Kind]
	if s == nil {
		s = &summary{}
		c.dropped[a.Kind] = s
	}
	s.count++
	if a.Strict {
		s.strict++
	}
	if len(a.Ops) > 0 && len(s.ops) < maxSummaryOps {
		s.ops = append(s.ops, a.Ops[0])
	}
}

// Full reports whether the collector keeps no more anomalies of kind in
// full, so a checker can skip composing a detailed message nobody will
// read.
func (c *Collector) Full(kind string) bool {
	limit := c.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	return c.kept[kind] >= limit
}

// Len is the number of anomalies added, kept or not.
func (c *Collector) Len() int {
	n := len(c.list)
	for _, s := range c.dropped {
		n += s.count
	}
	return n
}

// Anomalies returns the kept anomalies, each overflowing kind's summary
// after that kind's last one (Summarize), or nil when none were added.
func (c *Collector) Anomalies() []workload.Anomaly {
	if len(c.list) == 0 {
		return nil
	}
	return c.Summarize(c.Kept())
}

// summary is the entry that stands for the anomalies of kind counted but
// not kept: a report counts it as More anomalies, so a verdict line says
// how many there were, not how many were listed. Where some of them were
// Strict and some not, it is two entries, one of each, since a run's
// Maelstrom verdict depends on whether any anomaly is not Strict.
func (c *Collector) summary(kind string) []workload.Anomaly {
	s := c.dropped[kind]
	entry := func(n int, strict bool) workload.Anomaly {
		return workload.Anomaly{
			Kind:    kind,
			Message: fmt.Sprintf("%d more %s anomalies like the ones above, not listed one by one", n, kind),
			Ops:     s.ops,
			Strict:  strict,
			More:    n,
		}
	}
	switch s.strict {
	case 0:
		return []workload.Anomaly{entry(s.count, false)}
	case s.count:
		return []workload.Anomaly{entry(s.count, true)}
	}
	return []workload.Anomaly{entry(s.count-s.strict, false), entry(s.strict, true)}
}

// Summarize returns list with each overflowing kind's summary inserted
// after that kind's last entry in list; kinds that list does not hold get
// none. A checker that sorts its kept anomalies, or splits them into
// anomalies and notes, calls it on each list it made from Kept, so that
// every list counts all of its kinds' anomalies; Anomalies is Summarize
// of Kept.
func (c *Collector) Summarize(list []workload.Anomaly) []workload.Anomaly {
	if len(c.dropped) == 0 {
		return list
	}
	last := map[string]int{}
	for i, a := range list {
		if c.dropped[a.Kind] != nil {
			last[a.Kind] = i
		}
	}
	if len(last) == 0 {
		return list
	}
	out := make([]workload.Anomaly, 0, len(list)+len(last))
	for i, a := range list {
		out = append(out, a)
		if j, ok := last[a.Kind]; ok && j == i {
			out = append(out, c.summary(a.Kind)...)
		}
	}
	return out
}

// Kept returns the anomalies kept in full, in the order they were added,
// without the summaries; a checker that sorts or splits its findings
// itself (into anomalies and notes) starts from these and passes each
// list it makes to Summarize.
func (c *Collector) Kept() []workload.Anomaly {
	return append([]workload.Anomaly(nil), c.list...)
}

// Dropped is how many anomalies of kind were counted but not kept.
func (c *Collector) Dropped(kind string) int {
	if s := c.dropped[kind]; s != nil {
		return s.count
	}
	return 0
}

// Counts returns how many anomalies of each kind were added, kept or not,
// or nil when none were: the metric anomaly_counts.
func (c *Collector) Counts() map[string]int {
	if len(c.kept) == 0 {
		return nil
	}
	counts := maps.Clone(c.kept)
	for kind, s := range c.dropped {
		counts[kind] += s.count
	}
	return counts
}
