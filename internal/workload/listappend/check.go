package listappend

import (
	_ "embed"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/txngraph"
)

// Anomaly kinds of list-append's own, as they appear in results, in
// Elle's names; the others (malformed-txn, garbage-read, future-read,
// internal, G1a, G1b and the cycles) are txngraph's.
const (
	// KindDuplicate: a read that holds one element twice.
	KindDuplicate = "duplicate-elements"
	// KindIncompatible: two reads of a key, neither a prefix of the other.
	KindIncompatible = "incompatible-order"
	// KindDirtyUpdate: a committed append came right after a failed one in
	// a key's order, building on state that was rolled back.
	KindDirtyUpdate = "dirty-update"
)

// kindsDoc says what each kind means, for Kinds.
//
//go:embed kinds.md
var kindsDoc string

// kindOrder is the order in which results list kinds.
var kindOrder = []string{
	txngraph.KindMalformed, txngraph.KindGarbage, KindDuplicate, KindIncompatible, txngraph.KindFutureRead,
	txngraph.KindG0, txngraph.KindG1a, txngraph.KindG1b, KindDirtyUpdate, txngraph.KindG1c, txngraph.KindInternal, txngraph.KindLostUpdate,
	txngraph.KindGSingle, txngraph.KindG2,
	txngraph.KindG0RT, txngraph.KindG1cRT, txngraph.KindGSingleRT, txngraph.KindG2RT,
}

// forbidden is Elle's consistency-model table (elle
// src/elle/consistency_model.clj) among the kinds this checker reports:
// read uncommitted (PL-1) forbids G0 and duplicate elements; read
// committed (PL-2) G1, which incompatible orders, dirty updates and future
// reads imply; the stronger models add internal consistency and the
// anti-dependency cycles; strict serializability the realtime cycles.
// Malformed transactions and garbage reads fail every model: Elle cannot
// analyse such a history at all.
var forbidden = txngraph.Forbidden{
	Uncommitted: []string{txngraph.KindMalformed, txngraph.KindGarbage, KindDuplicate, txngraph.KindG0},
	Committed:   []string{KindIncompatible, txngraph.KindFutureRead, txngraph.KindG1a, txngraph.KindG1b, KindDirtyUpdate, txngraph.KindG1c},
	Stronger: func(m txngraph.Model) []string {
		switch m.Name {
		case "repeatable-read":
			return []string{txngraph.KindGSingle, txngraph.KindG2, txngraph.KindLostUpdate}
		case "snapshot-isolation":
			return []string{txngraph.KindInternal, txngraph.KindGSingle, txngraph.KindLostUpdate}
		}
		ks := []string{txngraph.KindInternal, txngraph.KindGSingle, txngraph.KindG2, txngraph.KindLostUpdate}
		if m.Realtime {
			ks = append(ks, txngraph.KindG0RT, txngraph.KindG1cRT, txngraph.KindGSingleRT, txngraph.KindG2RT)
		}
		return ks
	},
}

func newPolicy(names []string) (txngraph.Policy, error) { return txngraph.NewPolicy(names, forbidden) }

// status is how a transaction ended (txngraph.Status).
type status = txngraph.Status

const (
	stOK   = txngraph.StOK
	stFail = txngraph.StFail
	stInfo = txngraph.StInfo
	stOpen = txngraph.StOpen
)

// txn is one transaction of the history.
type txn struct {
	txngraph.Record[mop]
	// committed: in the dependency graph. Ok transactions, and
	// indeterminate ones some read saw an element of.
	committed bool
}

// dupWriter marks an element appended more than once.
const dupWriter = -2

// elem is one appended element.
type elem struct {
	key     int32
	val     int64
	writer  int32 // txn index, or dupWriter
	pos     int32 // position of the append among the writer's micro-ops
	final   bool  // the writer's last append to the key
	inOrder bool  // the key's version order holds it
}

// keyInfo gathers what the checker knows about one key.
type keyInfo struct {
	key int64
	// order is the key's version order, the elements of its longest read
	// (reads[longest]; longest is -1 when no ok transaction read the key).
	order   []int32
	longest int32
	// untrusted: two reads of the key are incompatible, so its order
	// gives no edges.
	untrusted bool
}

// read is an ok transaction's read of a key that the version order can
// use: every element known and appended once, none twice in the list.
type read struct {
	t, key int32
	p      int32   // the micro-op's position
	list   []int64 // the elements read
}

type kv struct{ key, val int64 }

// checker holds one analysis.
type checker struct {
	h      history.History
	pol    txngraph.Policy
	txns   []txn
	elems  []elem
	eindex map[kv]int32
	keys   []keyInfo
	kindex map[int64]int32
	reads  []read
	// unreadable: some invocation could not be parsed, so an element
	// nobody seems to have appended may be one of its.
	unreadable bool
	cases      map[string][]txngraph.Case
	reasons    txngraph.Reasons[reason]
	metrics    map[string]any
}

// Check judges a txn-list-append history against the consistency models
// named (Maelstrom's --consistency-models; strict-serializable when
// none). See the package documentation for what it infers.
func Check(h history.History, modelNames []string) workload.Result {
	pol, pairs, stop := txngraph.Begin(h, modelNames, forbidden)
	if stop != nil {
		return *stop
	}
	c := &checker{h: h, pol: pol, kindex: map[int64]int32{}, cases: map[string][]txngraph.Case{}, metrics: map[string]any{}}
	c.collect(pairs)
	c.indexAppends()
	c.scanReads()
	c.versionOrders()
	c.dirtyUpdates()
	c.findCycles()
	return c.result()
}

func (c *checker) add(kind string, a txngraph.Case) { c.cases[kind] = append(c.cases[kind], a) }

// collect turns the history into transactions.
func (c *checker) collect(pairs []int) {
	recs := txngraph.Collect(c.h, pairs, parseTxn, matchReply, func(a txngraph.Case) {
		c.add(txngraph.KindMalformed, a)
		if len(a.Ops) == 1 && c.h[a.Ops[0]].Type == history.Invoke {
			c.unreadable = true
		}
	})
	c.txns = make([]txn, len(recs))
	for i, r := range recs {
		c.txns[i] = txn{Record: r, committed: r.St == stOK}
	}
}

func (c *checker) keyIndex(k int64) int32 {
	if i, ok := c.kindex[k]; ok {
		return i
	}
	i := int32(len(c.keys))
	c.kindex[k] = i
	c.keys = append(c.keys, keyInfo{key: k, longest: -1})
	return i
}

// indexAppends records every append of every transaction, whatever its
// outcome: an element is "appended" if any request carried it.
func (c *checker) indexAppends() {
	dups := map[int32][]int32{}
	last := map[int64]int32{}
	n := 0
	for i := range c.txns {
		n += len(c.txns[i].Mops)
	}
	c.elems = make([]elem, 0, n/2+1)
	c.eindex = make(map[kv]int32, n/2+1)
	for ti := range c.txns {
		t := &c.txns[ti]
		clear(last)
		for p, m := range t.Mops {
			if !m.isAppend() {
				continue
			}
			k := c.keyIndex(m.key)
			id, ok := c.eindex[kv{m.key, m.val}]
			if !ok {
				id = int32(len(c.elems))
				c.eindex[kv{m.key, m.val}] = id
				c.elems = append(c.elems, elem{key: k, val: m.val, writer: int32(ti), pos: int32(p)})
			} else {
				e := &c.elems[id]
				if e.writer != dupWriter {
					dups[id] = append(dups[id], e.writer)
					e.writer = dupWriter
				}
				dups[id] = append(dups[id], int32(ti))
				continue
			}
			last[m.key] = id
		}
		for _, id := range last {
			c.elems[id].final = true
		}
	}
	for _, id := range slices.Sorted(maps.Keys(dups)) {
		ops, s := c.labels(dups[id], " and ")
		c.add(txngraph.KindMalformed, txngraph.Case{
			Msg: fmt.Sprintf("%d was appended to key %d more than once, by %s; elements must be unique per key, so reads of it are not used",
				c.elems[id].val, c.keys[c.elems[id].key].key, s),
			Ops: ops,
		})
	}
}

// scanReads walks the micro-ops of every ok transaction: it checks each
// read against the transaction's own earlier micro-ops (internal,
// future-read), its elements (garbage, duplicates, aborted and
// intermediate reads), and keeps the reads the version orders are built
// from.
func (c *checker) scanReads() {
	// Lost updates (Elle's lost-update-cases): the transactions that read
	// a version of a key before anything else they did to it, and then
	// appended to it, by key and version read.
	type version struct {
		key, last int64
		n         int
	}
	lost := map[version][]int32{}
	var lostOrder []version
	lostRead := map[version][]int64{}
	seen := map[int64]int{}
	for ti := range c.txns {
		t := &c.txns[ti]
		if t.St != stOK {
			continue
		}
		internal := false
		for p, m := range t.Mops {
			// Transactions are short: the earlier micro-ops on the key are
			// found by scanning.
			firstAccess, lastRead, firstAppend := -1, -1, -1
			for q := range p {
				if o := t.Mops[q]; o.key == m.key {
					if firstAccess < 0 {
						firstAccess = q
					}
					if o.isRead() {
						lastRead = q
					} else if firstAppend < 0 {
						firstAppend = q
					}
				}
			}
			if m.isAppend() {
				if firstAppend < 0 && firstAccess >= 0 {
					r := t.Mops[firstAccess].list
					v := version{key: m.key, n: len(r)}
					if len(r) > 0 {
						v.last = r[len(r)-1]
					}
					if len(lost[v]) == 0 {
						lostOrder = append(lostOrder, v)
						lostRead[v] = r
					}
					lost[v] = append(lost[v], int32(ti))
				}
				continue
			}
			// What the transaction should see: the list it last read (or,
			// having only appended so far, any list), followed by its
			// appends to the key since.
			if (lastRead >= 0 || firstAppend >= 0) && !internal {
				var before []int64
				suffix, from := true, firstAppend
				if lastRead >= 0 {
					before, suffix, from = t.Mops[lastRead].list, false, lastRead+1
				}
				if !fits(before, suffix, t.Mops[from:p], m) {
					internal = true
					want := slices.Clone(before)
					for _, a := range t.Mops[from:p] {
						if a.isAppend() && a.key == m.key {
							want = append(want, a.val)
						}
					}
					c.internalCase(int32(ti), p, want, suffix)
				}
			}
			if c.checkRead(int32(ti), p, m, seen) {
				c.reads = append(c.reads, read{t: int32(ti), key: c.keyIndex(m.key), p: int32(p), list: m.list})
			}
		}
	}
	for _, v := range lostOrder {
		if ts := lost[v]; len(ts) > 1 {
			ops, names := c.labels(ts, ", ")
			c.add(txngraph.KindLostUpdate, txngraph.Case{
				Msg: fmt.Sprintf("%s all read key %d = %s and then appended to it: each built on a state the others changed, so all but one of those updates is lost", names, v.key, showList(lostRead[v])),
				Ops: ops,
			})
		}
	}
}

// fits says whether read r's list is what its transaction expected: a
// list it read before (or, with suffix, any list), followed by its
// appends to the key among since.
func fits(before []int64, suffix bool, since []mop, r mop) bool {
	got := r.list
	n := 0
	for _, a := range since {
		if a.isAppend() && a.key == r.key {
			n++
		}
	}
	if len(got) < n || (!suffix && len(got) != len(before)+n) {
		return false
	}
	if !suffix && !slices.Equal(got[:len(before)], before) {
		return false
	}
	i := len(got) - n
	for _, a := range since {
		if a.isAppend() && a.key == r.key {
			if got[i] != a.val {
				return false
			}
			i++
		}
	}
	return true
}

// checkRead reports what is wrong with one read's elements and says
// whether the read can serve the version order.
func (c *checker) checkRead(ti int32, p int, m mop, seen map[int64]int) bool {
	t := &c.txns[ti]
	usable := true
	if len(m.list) > 32 {
		clear(seen)
	}
	var failed []string
	var failedOps []int
	for i, v := range m.list {
		j, dup := -1, false
		if len(m.list) > 32 {
			j, dup = seen[v]
			seen[v] = i
		} else if k := slices.Index(m.list[:i], v); k >= 0 {
			j, dup = k, true
		}
		if dup {
			c.add(KindDuplicate, txngraph.Case{
				Msg: fmt.Sprintf("%s read key %d = %s, which holds %d twice (positions %d and %d); each element is appended once",
					c.label(ti), m.key, showList(m.list), v, j, i),
				Ops: []int{t.Op()},
			})
			return false
		}
		id, ok := c.eindex[kv{m.key, v}]
		if !ok {
			if !c.unreadable {
				c.add(txngraph.KindGarbage, txngraph.Case{
					Msg: fmt.Sprintf("%s read key %d = %s, but no transaction appended %d to key %d", c.label(ti), m.key, showList(m.list), v, m.key),
					Ops: []int{t.Op()},
				})
			}
			return false
		}
		e := &c.elems[id]
		if e.writer == dupWriter {
			usable = false
			continue
		}
		if e.writer == ti {
			if e.pos > int32(p) {
				c.add(txngraph.KindFutureRead, txngraph.Case{
					Msg: fmt.Sprintf("%s read key %d = %s, which holds %d, an element it appends only later, at micro-op %d",
						c.label(ti), m.key, showList(m.list), v, e.pos),
					Ops: []int{t.Op()},
				})
			}
			continue
		}
		switch w := &c.txns[e.writer]; w.St {
		case stFail:
			failed = append(failed, fmt.Sprintf("%d by %s", v, c.label(e.writer)))
			failedOps = append(failedOps, w.Op())
		case stInfo, stOpen:
			w.committed = true // a read saw its append: it took effect
		}
	}
	if len(failed) > 0 {
		c.add(txngraph.KindG1a, txngraph.Case{
			Msg: fmt.Sprintf("%s read key %d = %s, which holds elements appended by transactions that failed: %s; an aborted read",
				c.label(ti), m.key, showList(m.list), strings.Join(failed, ", ")),
			Ops: append(failedOps, t.Op()),
		})
	}
	if n := len(m.list); n > 0 && usable {
		e := &c.elems[c.eindex[kv{m.key, m.list[n-1]}]]
		if e.writer != ti && !e.final {
			c.add(txngraph.KindG1b, txngraph.Case{
				Msg: fmt.Sprintf("%s read key %d = %s, ending with %d, which %s appended before appending again to key %d: an intermediate read",
					c.label(ti), m.key, showList(m.list), e.val, c.label(e.writer), m.key),
				Ops: []int{c.txns[e.writer].Op(), t.Op()},
			})
		}
	}
	return usable
}

func (c *checker) internalCase(ti int32, p int, want []int64, suffix bool) {
	t := &c.txns[ti]
	m := t.Mops[p]
	exp := showList(want) + ": what it had read before, with its own appends since"
	if suffix {
		exp = "a list ending with " + strings.Trim(showList(want), "[]") + ", its own appends"
	}
	c.add(txngraph.KindInternal, txngraph.Case{
		Msg: fmt.Sprintf("%s read key %d = %s at micro-op %d, but expected %s", c.label(ti), m.key, showList(m.list), p, exp),
		Ops: []int{t.Op()},
	})
}

// versionOrders takes each key's longest read as its version order and
// checks that every other read of the key is a prefix of it.
func (c *checker) versionOrders() {
	for i, r := range c.reads {
		k := &c.keys[r.key]
		if k.longest < 0 || len(r.list) > len(c.reads[k.longest].list) {
			k.longest = int32(i)
		}
	}
	reported := map[int32]bool{}
	for _, r := range c.reads {
		k := &c.keys[r.key]
		long := c.reads[k.longest]
		if len(r.list) <= len(long.list) && slices.Equal(r.list, long.list[:len(r.list)]) {
			continue
		}
		k.untrusted = true
		if reported[r.key] {
			continue
		}
		reported[r.key] = true
		c.add(KindIncompatible, txngraph.Case{
			Msg: fmt.Sprintf("key %d: %s read %s and %s read %s; neither is a prefix of the other, so no single order of appends explains both, and the key's order is not used",
				k.key, c.label(r.t), showList(r.list), c.label(long.t), showList(long.list)),
			Ops: []int{c.txns[r.t].Op(), c.txns[long.t].Op()},
		})
	}
	for ki := range c.keys {
		k := &c.keys[ki]
		if k.longest < 0 || k.untrusted {
			continue
		}
		list := c.reads[k.longest].list
		k.order = make([]int32, len(list))
		for i, v := range list {
			id := c.eindex[kv{k.key, v}]
			k.order[i] = id
			c.elems[id].inOrder = true
		}
	}
}

// dirtyUpdates walks each key's order for a committed append that came
// after a failed one, Elle's dirty update: the committed transaction
// built on state that was rolled back.
func (c *checker) dirtyUpdates() {
	for ki := range c.keys {
		k := &c.keys[ki]
		failed := int32(-1) // the last failed appender since a committed one
		for _, id := range k.order {
			w := c.elems[id].writer
			switch c.txns[w].St {
			case stFail:
				failed = id
			case stOK:
				if failed >= 0 {
					fw := c.elems[failed].writer
					c.add(KindDirtyUpdate, txngraph.Case{
						Msg: fmt.Sprintf("key %d: %s appended %d after %d, which %s appended but failed: it built on state that was rolled back",
							k.key, c.label(w), c.elems[id].val, c.elems[failed].val, c.label(fw)),
						Ops: []int{c.txns[fw].Op(), c.txns[w].Op()},
					})
				}
				failed = -1
			}
		}
	}
}

// label names a transaction with the op that shows its outcome.
func (c *checker) label(ti int32) string {
	t := &c.txns[ti]
	inferred := ""
	if t.St != stOK && t.committed {
		inferred = "indeterminate, so committed since its append was read"
	}
	return txngraph.Label(t.Num, t.Op(), t.St, inferred)
}

// labels names transactions, joined by sep, with the ops that show them.
func (c *checker) labels(ts []int32, sep string) (ops []int, s string) {
	return txngraph.Labels(ts, sep, func(t int32) int { return c.txns[t].Op() }, c.label)
}

func showList(l []int64) string {
	if l == nil {
		return "null"
	}
	return strings.ReplaceAll(fmt.Sprint(l), " ", ", ")
}
