package txn

import (
	"fmt"
	"slices"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/txngraph"
)

// status is how a transaction ended (txngraph.Status).
type status = txngraph.Status

const (
	stOK   = txngraph.StOK   // committed, reads known
	stFail = txngraph.StFail // definitely did not happen (aborted)
	stInfo = txngraph.StInfo // unknown: may or may not have happened
	stOpen = txngraph.StOpen // never completed (an interrupted run): like info
)

// txn is one transaction of the history.
type txn struct {
	num  int // T number, from 1, in invocation order
	inv  int // index of the invocation
	done int // index of the completion, or -1
	st   status
	// mops are the completed micro-ops of an ok transaction, the
	// requested ones otherwise (reads then carry no value).
	mops []mop
	// committed: in the dependency graph. Ok transactions always; an
	// indeterminate one when the models claimed imply it (see
	// decideCommits).
	committed bool
	inferred  bool // committed only by inference
	// parsed: the invocation value could be read at all.
	parsed bool
}

// op is the history index that shows the transaction's outcome.
func (t *txn) op() int {
	if t.done >= 0 {
		return t.done
	}
	return t.inv
}

// dupWriter marks a value written more than once.
const dupWriter = -2

// value is one version: a value written to a key.
type value struct {
	key    int32 // dense key index
	val    int64
	writer int32 // txn index, or dupWriter when written more than once
	pos    int32 // position of the write among the writer's micro-ops
	final  bool  // the writer's last write of the key
	// seen is the index of the first completion of another ok transaction
	// that read this value, seenBy that transaction; -1 when unread.
	seen, seenBy int32
}

// keyInfo gathers what the checker knows about one key.
type keyInfo struct {
	key int64
	// writers are the transactions that wrote the key, each once, with
	// the position of their first write of it.
	writers []writerRec
	// nilReaders read the initial nil.
	nilReaders []int32
	// untrusted: the inferred version order of the key is cyclic, so no
	// order inferred for it is used.
	untrusted bool
}

type writerRec struct{ t, pos int32 }

// read is an ok transaction's read of a value another transaction wrote.
type read struct{ v, t int32 }

// fact is an inferred order between two values of one key: from < to.
type fact struct {
	from, to int32
	kind     uint8 // rsWFR or rsOrder
	t        int32 // the transaction whose micro-ops show it
}

// anomalyCase is one instance of an anomaly, before it becomes a
// workload.Anomaly.
type anomalyCase struct {
	msg string
	// render builds msg when it is needed: cycles are many and costly to
	// describe, and only a few are shown.
	render func() string
	ops    []int
	size   int // for ordering: smaller cycles first
}

// checker holds one analysis.
type checker struct {
	h      history.History
	pol    policy
	txns   []txn
	values []value
	vindex map[kv]int32
	keys   []keyInfo
	kindex map[int64]int32
	reads  []read
	facts  []fact
	// unreadableWrites: some invocation could not be parsed, so a read of
	// an unknown value may have been of one of its writes.
	unreadableWrites bool
	cases            map[string][]anomalyCase
	reasons          txngraph.Reasons[reason]
	// factWhy[i] is the reason of facts[i]; timeline the keys' events.
	factWhy  []int32
	timeline [][]event
	metrics  map[string]any
}

type kv struct{ key, val int64 }

// Check judges a txn-rw-register history against the consistency models
// named (Maelstrom's --consistency-models; DefaultModel when none). See
// the package documentation for what it infers and why that is sound.
//
// The result is invalid when the history shows an anomaly one of the
// models forbids; other anomalies become notes. It is valid when nothing
// forbidden was found and every model is read committed or weaker, and
// unknown otherwise: for stronger models the checker reports what it finds
// but cannot show that nothing else is there.
func Check(h history.History, modelNames []string) workload.Result {
	pol, pairs, stop := txngraph.Begin(h, modelNames, forbidden)
	if stop != nil {
		return *stop
	}
	c := &checker{
		h:       h,
		pol:     pol,
		vindex:  map[kv]int32{},
		kindex:  map[int64]int32{},
		cases:   map[string][]anomalyCase{},
		metrics: map[string]any{},
	}
	c.collect(pairs)
	c.indexWrites()
	c.scanReads()
	c.decideCommits()
	c.checkVersions()
	c.findCycles()
	return c.result()
}

// collect turns the history into transactions.
func (c *checker) collect(pairs []int) {
	recs := txngraph.Collect(c.h, pairs, parseTxn, matchReply, func(a txngraph.Case) {
		c.add(txngraph.KindMalformed, anomalyCase{msg: a.Msg, ops: a.Ops})
		if len(a.Ops) == 1 && c.h[a.Ops[0]].Type == history.Invoke {
			c.unreadableWrites = true
		}
	})
	c.txns = make([]txn, len(recs))
	for i, r := range recs {
		c.txns[i] = txn{num: r.Num, inv: r.Inv, done: r.Done, st: r.St, mops: r.Mops, parsed: r.Parsed}
	}
}

func (c *checker) keyIndex(k int64) int32 {
	if i, ok := c.kindex[k]; ok {
		return i
	}
	i := int32(len(c.keys))
	c.kindex[k] = i
	c.keys = append(c.keys, keyInfo{key: k})
	return i
}

// indexWrites records every write of every transaction, whatever its
// outcome: a value is "written" if any request carried it.
func (c *checker) indexWrites() {
	dups := map[int32][]int32{}
	lastKeyWriter := map[int32]int32{} // key -> last txn recorded as its writer
	seen := map[int64]bool{}
	writes := 0
	for i := range c.txns {
		writes += len(c.txns[i].mops)
	}
	c.vindex = make(map[kv]int32, writes/2)
	c.values = make([]value, 0, writes/2)
	for ti := range c.txns {
		t := &c.txns[ti]
		for p, m := range t.mops {
			if !m.isWrite() {
				continue
			}
			k := c.keyIndex(m.key)
			if w, ok := lastKeyWriter[k]; !ok || w != int32(ti) {
				lastKeyWriter[k] = int32(ti)
				c.keys[k].writers = append(c.keys[k].writers, writerRec{int32(ti), int32(p)})
			}
			id, ok := c.vindex[kv{m.key, m.value}]
			if !ok {
				c.vindex[kv{m.key, m.value}] = int32(len(c.values))
				c.values = append(c.values, value{key: k, val: m.value, writer: int32(ti), pos: int32(p), seen: -1, seenBy: -1})
				continue
			}
			v := &c.values[id]
			if v.writer != dupWriter {
				dups[id] = append(dups[id], v.writer)
				v.writer = dupWriter
			}
			dups[id] = append(dups[id], int32(ti))
		}
		// Mark each key's last write as final.
		clear(seen)
		for p := len(t.mops) - 1; p >= 0; p-- {
			m := t.mops[p]
			if !m.isWrite() || seen[m.key] {
				continue
			}
			seen[m.key] = true
			if id := c.vindex[kv{m.key, m.value}]; c.values[id].writer == int32(ti) {
				c.values[id].final = true
			}
		}
	}
	ids := make([]int32, 0, len(dups))
	for id := range dups {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		ops, s := c.labels(dups[id], " and ")
		c.add(KindDuplicate, anomalyCase{
			msg: fmt.Sprintf("%s was written more than once, by %s; values must be unique per key, so reads of it are ignored", c.kv(id), s),
			ops: ops,
		})
	}
}

// scanReads walks the micro-ops of every ok transaction: it checks each
// read against the transaction's own earlier micro-ops (internal), finds
// where its value came from (garbage, future, aborted and intermediate
// reads), and gathers the reads and the writes-follow-reads orders the
// dependency graph is built from.
func (c *checker) scanReads() {
	type state struct {
		known, nil bool
		val        int64
		write      bool // set by the transaction's own write
	}
	st := map[int64]state{}
	nextWrite := []int32{}
	after := map[int64]int32{}
	lastWrite := map[int64]int32{}
	type luKey struct {
		key int64
		nil bool
		val int64
	}
	lost := map[luKey][]int32{}
	var luOrder []luKey
	extRead := map[int64]state{}
	nilReaderStamp := map[int32]int32{}
	// dirtyStamp marks, per value, the last transaction (plus one) whose
	// aborted or intermediate read of it was reported: a transaction that
	// reads the same dirty value twice is one case, not two.
	dirtyStamp := map[int32]int32{}

	for ti := range c.txns {
		t := &c.txns[ti]
		if !t.parsed {
			continue
		}
		// Write order within any transaction that may have happened:
		// a write takes its place after the same transaction's earlier
		// writes of the key.
		clear(lastWrite)
		for _, m := range t.mops {
			if !m.isWrite() {
				continue
			}
			id := c.vindex[kv{m.key, m.value}]
			if c.values[id].writer != int32(ti) {
				continue // a duplicate: unusable
			}
			if prev, ok := lastWrite[m.key]; ok {
				c.facts = append(c.facts, fact{from: prev, to: id, kind: rsOrder, t: int32(ti)})
			}
			lastWrite[m.key] = id
		}
		if t.st != stOK {
			continue
		}
		// nextWrite[p]: position of the first write of p's key after p.
		nextWrite = slices.Grow(nextWrite[:0], len(t.mops))[:len(t.mops)]
		clear(after)
		for p := len(t.mops) - 1; p >= 0; p-- {
			m := t.mops[p]
			if w, ok := after[m.key]; ok {
				nextWrite[p] = w
			} else {
				nextWrite[p] = -1
			}
			if m.isWrite() {
				after[m.key] = int32(p)
			}
		}
		clear(st)
		clear(extRead)
		internal := false
		for p, m := range t.mops {
			if m.isWrite() {
				if s, ok := extRead[m.key]; ok && s.known {
					k := luKey{m.key, s.nil, s.val}
					if len(lost[k]) == 0 || lost[k][len(lost[k])-1] != int32(ti) {
						if len(lost[k]) == 0 {
							luOrder = append(luOrder, k)
						}
						lost[k] = append(lost[k], int32(ti))
					}
				}
				if _, ok := extRead[m.key]; !ok {
					extRead[m.key] = state{} // first access is a write
				}
				st[m.key] = state{known: true, val: m.value, write: true}
				continue
			}
			if _, ok := extRead[m.key]; !ok {
				extRead[m.key] = state{known: true, nil: m.nil, val: m.value}
			}
			if s, ok := st[m.key]; ok && !internal && (s.nil != m.nil || (!m.nil && s.val != m.value)) {
				internal = true
				c.internalCase(int32(ti), p, s.write, s.nil, s.val)
			}
			st[m.key] = state{known: true, nil: m.nil, val: m.value}
			k := c.keyIndex(m.key)
			if m.nil {
				if nilReaderStamp[k] != int32(ti)+1 {
					nilReaderStamp[k] = int32(ti) + 1
					c.keys[k].nilReaders = append(c.keys[k].nilReaders, int32(ti))
				}
				continue
			}
			id, ok := c.vindex[kv{m.key, m.value}]
			if !ok {
				if !c.unreadableWrites {
					c.add(txngraph.KindGarbage, anomalyCase{
						msg: fmt.Sprintf("%s read key %d = %d, a value no transaction wrote", c.label(int32(ti)), m.key, m.value),
						ops: []int{t.op()},
					})
				}
				continue
			}
			v := &c.values[id]
			if v.writer == dupWriter {
				continue
			}
			w := v.writer
			wt := &c.txns[w]
			if w == int32(ti) {
				if v.pos > int32(p) {
					c.add(txngraph.KindFutureRead, anomalyCase{
						msg: fmt.Sprintf("%s read %s before writing that value itself, later in the same transaction", c.label(int32(ti)), c.kv(id)),
						ops: []int{t.op()},
					})
				}
				continue
			}
			if wt.inv > t.done {
				c.add(txngraph.KindFutureRead, anomalyCase{
					msg: fmt.Sprintf("%s read %s, but the only transaction that wrote it, %s, was invoked (op %d) after the read had completed",
						c.label(int32(ti)), c.kv(id), c.label(w), wt.inv),
					ops: []int{t.op(), wt.inv},
				})
				continue
			}
			dirty := wt.st == stFail || !v.final
			if dirty && dirtyStamp[int32(id)] == int32(ti)+1 {
				dirty = false // reported for this transaction already
			} else if dirty {
				dirtyStamp[int32(id)] = int32(ti) + 1
			}
			switch {
			case !dirty:
			case wt.st == stFail:
				c.add(txngraph.KindG1a, anomalyCase{
					msg: fmt.Sprintf("%s read %s, which %s wrote, but %s failed (%s): an aborted read",
						c.label(int32(ti)), c.kv(id), c.label(w), tName(wt), c.errText(wt)),
					ops: []int{wt.op(), t.op()},
				})
			case !v.final:
				c.add(txngraph.KindG1b, anomalyCase{
					msg: fmt.Sprintf("%s read %s, an intermediate write of %s, which overwrote it later in the same transaction: an intermediate read",
						c.label(int32(ti)), c.kv(id), c.label(w)),
					ops: []int{wt.op(), t.op()},
				})
			}
			c.reads = append(c.reads, read{v: id, t: int32(ti)})
			if v.seen < 0 || int32(t.done) < v.seen {
				v.seen, v.seenBy = int32(t.done), int32(ti)
			}
			if nw := nextWrite[p]; nw >= 0 {
				wm := t.mops[nw]
				if to := c.vindex[kv{wm.key, wm.value}]; c.values[to].writer == int32(ti) {
					c.facts = append(c.facts, fact{from: id, to: to, kind: rsWFR, t: int32(ti)})
				}
			}
		}
	}
	for _, k := range luOrder {
		ts := lost[k]
		if len(ts) < 2 {
			continue
		}
		ops, s := c.labels(ts, ", ")
		read := fmt.Sprintf("key %d = %d", k.key, k.val)
		if k.nil {
			read = fmt.Sprintf("key %d = nil", k.key)
		}
		c.add(txngraph.KindLostUpdate, anomalyCase{
			msg: fmt.Sprintf("%s all read %s and then wrote key %d: all but one of those updates is lost", s, read, k.key),
			ops: ops,
		})
	}
}

func (c *checker) internalCase(ti int32, p int, byWrite, wasNil bool, was int64) {
	t := &c.txns[ti]
	m := t.mops[p]
	prev := fmt.Sprintf("%d", was)
	if wasNil {
		prev = "nil"
	}
	got := fmt.Sprintf("%d", m.value)
	if m.nil {
		got = "nil"
	}
	how := "read"
	if byWrite {
		how = "wrote"
	}
	c.add(txngraph.KindInternal, anomalyCase{
		msg: fmt.Sprintf("%s %s key %d = %s and later read key %d = %s (micro-op %d)", c.label(ti), how, m.key, prev, m.key, got, p),
		ops: []int{t.op()},
	})
}

// decideCommits puts transactions in the dependency graph. Ok ones are
// committed. An indeterminate transaction whose write another committed
// transaction read must have committed if the store is read committed or
// stronger, since otherwise that read is an aborted read (G1a); under read
// uncommitted nothing is known, and it stays out.
func (c *checker) decideCommits() {
	for i := range c.txns {
		c.txns[i].committed = c.txns[i].st == stOK
	}
	if c.pol.Level < 2 {
		return
	}
	for _, r := range c.reads {
		w := &c.txns[c.values[r.v].writer]
		if !w.committed && (w.st == stInfo || w.st == stOpen) {
			w.committed, w.inferred = true, true
		}
	}
}

func (c *checker) add(kind string, a anomalyCase) {
	c.cases[kind] = append(c.cases[kind], a)
}

func tName(t *txn) string { return fmt.Sprintf("T%d", t.num) }

func (c *checker) errText(t *txn) string {
	if t.done >= 0 && c.h[t.done].Error != "" {
		return c.h[t.done].Error
	}
	return "no reason given"
}

// label names a transaction with the op that shows its outcome.
func (c *checker) label(ti int32) string {
	t := &c.txns[ti]
	inferred := ""
	if t.inferred {
		inferred = "indeterminate, so committed since its write was read"
	}
	return txngraph.Label(t.num, t.op(), t.st, inferred)
}

// labels names transactions, joined by sep, with the ops that show them.
func (c *checker) labels(ts []int32, sep string) (ops []int, s string) {
	return txngraph.Labels(ts, sep, func(t int32) int { return c.txns[t].op() }, c.label)
}

// kv names a value.
func (c *checker) kv(id int32) string {
	v := &c.values[id]
	return fmt.Sprintf("key %d = %d", c.keys[v.key].key, v.val)
}
