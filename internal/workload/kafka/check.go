package kafka

import (
	"cmp"
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/evidence"
)

// Anomaly kinds the checker reports. All but KindCommitRegression make a
// history invalid, as Maelstrom's checker does for its own kinds.
const (
	// KindInconsistentOffsets: one offset of a key holds two messages.
	KindInconsistentOffsets = "inconsistent-offsets"
	// KindDuplicate: one message sits at two offsets of a key.
	KindDuplicate = "duplicate"
	// KindLostWrite: an acknowledged message that no ok poll returned,
	// although ok polls returned messages further along its key's log.
	KindLostWrite = "lost-write"
	// KindPollSkip: a client's next poll of a key started past messages
	// known to follow where its previous poll ended.
	KindPollSkip = "poll-skip"
	// KindNonmonotonicPoll: a client's next poll of a key started at or
	// before where its previous poll ended.
	KindNonmonotonicPoll = "nonmonotonic-poll"
	// KindIntPollSkip: one poll jumped over known messages of a key.
	KindIntPollSkip = "int-poll-skip"
	// KindIntNonmonotonicPoll: one poll went backwards or repeated itself
	// within a key.
	KindIntNonmonotonicPoll = "int-nonmonotonic-poll"
	// KindNonmonotonicSend: a client's sends to a key landed at offsets
	// that did not increase.
	KindNonmonotonicSend = "nonmonotonic-send"
	// KindG1a: an ok poll returned a message whose send failed (aborted
	// read).
	KindG1a = "G1a"
	// KindUnseen: acknowledged messages that no ok poll ever returned, not
	// even in the final phase.
	KindUnseen = "unseen"
	// KindUnknownMessage: a poll returned a message no client ever sent to
	// that key. (Jepsen's checker throws on these.)
	KindUnknownMessage = "unknown-message"
	// KindCommitRegression is ours: list_committed_offsets returned, for a
	// key, less than an offset whose commit was acknowledged before the
	// list began. A note unless CheckOptions.StrictCommits.
	KindCommitRegression = "committed-offset-regression"
	// KindMalformedOp: an operation whose value does not have the shape
	// the client records.
	KindMalformedOp = "malformed-op"
	// KindMalformedHistory: operations that do not pair up.
	KindMalformedHistory = "malformed-history"
)

// kindsDoc says what each kind means, for Kinds.
//
//go:embed kinds.md
var kindsDoc string

// MaxPerKind bounds how many anomalies of one kind a result lists; the
// metric anomaly_counts has the full counts.
const MaxPerKind = evidence.DefaultLimit

// CheckOptions tune Check; the zero value is Maelstrom's checker.
type CheckOptions struct {
	// StrictCommits makes committed-offset regressions fail the history.
	// Off by default: neither Maelstrom nor the Fly.io challenge says that
	// committed offsets must only grow (Kafka itself lets a consumer commit
	// a lower offset), and nodes that keep the last commit per key pass
	// Maelstrom; the regression is then reported as a note.
	StrictCommits bool
}

// Check judges a kafka history; see the package documentation for the
// rules.
func Check(h history.History, opts CheckOptions) workload.Result {
	c := &checker{CheckOptions: opts, h: h, keyIDs: map[string]int32{}, strictOnly: map[string]int{}}
	pairs := c.pair()
	c.parse(pairs)
	c.buildLogs()
	c.checkOps()
	c.checkCommits()
	c.checkLost()
	c.checkUnseen()
	return c.result()
}

type checker struct {
	CheckOptions
	h  history.History
	ev evidence.Collector
	// strictOnly counts the anomalies of each kind that real Maelstrom
	// would not report.
	strictOnly map[string]int

	keyIDs map[string]int32
	keys   []*keyState
	recs   []*rec // completed operations, in completion order

	sendsOK, pollsOK int
	unseen           int // acknowledged messages no ok poll returned
	infoCauses       map[string]bool
}

// keyState is everything known about one key's log.
type keyState struct {
	name   string
	msgIDs map[string]int32
	msgs   []msgState
	log    map[int64]*slot // offset -> slot
	sorted []*slot         // by offset; slot.index is the position here
}

type msgState struct {
	text     string       // for messages
	sent     bool         // some send carried it, whatever its outcome
	writer   int          // completion (or unfinished invocation) of its send, -1
	wtype    history.Type // the writer's outcome; ok preferred
	failedBy int          // a failed send of it, -1
	okReadBy int          // the first ok poll that returned it, -1
	first    int32        // first and last log positions, -1
	last     int32
	flagged  bool // unknown-message reported
}

// slot is one occupied offset of a key: the messages seen there and the
// first op that saw each.
type slot struct {
	offset int64
	index  int32
	msgs   []int32
	seenBy []int
}

// rec is one completed operation, decoded.
type rec struct {
	inv, comp int
	f         string
	typ       history.Type
	process   int
	// send
	key       int32
	msg       int32
	offset    int64
	hasOffset bool
	// poll
	reads  []keyReads
	commit []keyOffset
	// assign
	keys      []int32
	seek      bool
	committed map[int32]int64
}

type keyReads struct {
	key   int32
	pairs []pairRec
}

type pairRec struct {
	offset int64
	msg    int32
}

type keyOffset struct {
	key    int32
	offset int64
}

func (c *checker) add(kind string, ops []int, format string, args ...any) {
	c.addStrict(false, kind, ops, format, args...)
}

// addStrict adds an anomaly that, when strict, real Maelstrom would not
// report (workload.StrictRules).
func (c *checker) addStrict(strict bool, kind string, ops []int, format string, args ...any) {
	if strict {
		c.strictOnly[kind]++
	}
	a := workload.Anomaly{Kind: kind, Ops: ops, Strict: strict}
	if !c.ev.Full(kind) {
		a.Message = fmt.Sprintf(format, args...)
	}
	c.ev.Add(a)
}

// noted reports whether anomalies of kind are notes rather than failures.
func (c *checker) noted(kind string) bool {
	return kind == KindCommitRegression && !c.StrictCommits
}

func (c *checker) key(name string) int32 {
	if id, ok := c.keyIDs[name]; ok {
		return id
	}
	id := int32(len(c.keys))
	c.keyIDs[name] = id
	c.keys = append(c.keys, &keyState{name: name, msgIDs: map[string]int32{}, log: map[int64]*slot{}})
	return id
}

// msg interns a message of key k; ok is false when raw is not JSON.
func (c *checker) msg(k int32, raw json.RawMessage) (int32, bool) {
	id, err := msgKey(raw)
	if err != nil {
		return 0, false
	}
	ks := c.keys[k]
	if m, ok := ks.msgIDs[id]; ok {
		return m, true
	}
	m := int32(len(ks.msgs))
	ks.msgIDs[id] = m
	text := id
	if len(text) > 40 {
		text = text[:40] + "..."
	}
	ks.msgs = append(ks.msgs, msgState{text: text, writer: -1, failedBy: -1, okReadBy: -1, first: -1, last: -1})
	return m, true
}

func (c *checker) observe(k int32, offset int64, m int32, op int) {
	ks := c.keys[k]
	s := ks.log[offset]
	if s == nil {
		s = &slot{offset: offset}
		ks.log[offset] = s
	}
	if !slices.Contains(s.msgs, m) {
		s.msgs = append(s.msgs, m)
		s.seenBy = append(s.seenBy, op)
	}
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

// parse decodes every operation, interns keys and messages, records who
// sent and who read each message, and fills the logs.
func (c *checker) parse(pairs []int) {
	c.infoCauses = map[string]bool{}
	for i, op := range c.h {
		j := pairs[i]
		if op.Type == history.Invoke {
			if j < 0 && op.F == "send" {
				// Never completed: it may have happened, like an info.
				var v SendValue
				if json.Unmarshal(op.Value, &v) == nil && len(v.Msg) > 0 {
					k := c.key(v.Key)
					if m, ok := c.msg(k, v.Msg); ok {
						c.wrote(k, m, i, history.Info)
					}
				}
			}
			continue
		}
		if j < 0 {
			continue // an unpaired completion, already reported
		}
		r := &rec{inv: j, comp: i, f: op.F, typ: op.Type, process: op.Process}
		if op.Type == history.Info && (op.F == "send" || op.F == "poll") {
			c.infoCauses[op.Error] = true
		}
		ok := true
		switch op.F {
		case "send":
			ok = c.parseSend(r)
		case "poll":
			ok = c.parsePoll(r)
		case "assign":
			ok = c.parseAssign(r)
		case "crash":
			continue
		default:
			c.add(KindMalformedOp, []int{j, i}, "op %d is %q, which the kafka workload never issues", i, op.F)
			continue
		}
		if ok {
			c.recs = append(c.recs, r)
		}
	}
}

func (c *checker) wrote(k int32, m int32, op int, t history.Type) {
	ms := &c.keys[k].msgs[m]
	ms.sent = true
	switch t {
	case history.OK:
		if ms.wtype != history.OK {
			ms.writer, ms.wtype = op, t
		}
	case history.Info:
		if ms.writer < 0 {
			ms.writer, ms.wtype = op, t
		}
	case history.Fail:
		if ms.failedBy < 0 {
			ms.failedBy = op
		}
	}
}

func (c *checker) malformed(r *rec, format string, args ...any) bool {
	c.add(KindMalformedOp, []int{r.inv, r.comp}, "%s op %d: "+format, append([]any{r.f, r.comp}, args...)...)
	return false
}

func (c *checker) parseSend(r *rec) bool {
	var v SendValue
	if err := json.Unmarshal(c.h[r.inv].Value, &v); err != nil || len(v.Msg) == 0 {
		return c.malformed(r, "invocation value %s is not {key, msg}", short(c.h[r.inv].Value))
	}
	r.key = c.key(v.Key)
	m, ok := c.msg(r.key, v.Msg)
	if !ok {
		return c.malformed(r, "msg %s is not JSON", short(v.Msg))
	}
	r.msg = m
	if r.typ == history.OK {
		var done SendValue
		if err := json.Unmarshal(c.h[r.comp].Value, &done); err != nil || done.Offset == nil {
			return c.malformed(r, "ok value %s has no integer offset", short(c.h[r.comp].Value))
		}
		if done.Key != v.Key {
			return c.malformed(r, "completed for key %q, invoked for key %q", done.Key, v.Key)
		}
		r.offset, r.hasOffset = *done.Offset, true
		c.observe(r.key, r.offset, r.msg, r.comp)
		c.sendsOK++
	}
	c.wrote(r.key, r.msg, r.comp, r.typ)
	return true
}

func (c *checker) parsePoll(r *rec) bool {
	raw := c.h[r.comp].Value
	if len(raw) == 0 || string(raw) == "null" {
		if r.typ == history.OK {
			return c.malformed(r, "ok poll has no value")
		}
		return true
	}
	// PollValue without Offsets, which the checker does not need and which
	// a final poll repeats for every key.
	var v struct {
		Msgs   map[string][]Pair `json:"msgs"`
		Commit map[string]int64  `json:"commit"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return c.malformed(r, "value %s: %v", short(raw), err)
	}
	for _, name := range slices.Sorted(maps.Keys(v.Msgs)) {
		k := c.key(name)
		kr := keyReads{key: k, pairs: make([]pairRec, 0, len(v.Msgs[name]))}
		for _, p := range v.Msgs[name] {
			m, ok := c.msg(k, p.Msg)
			if !ok {
				return c.malformed(r, "msg %s of key %q is not JSON", short(p.Msg), name)
			}
			kr.pairs = append(kr.pairs, pairRec{p.Offset, m})
			c.observe(k, p.Offset, m, r.comp)
			if ms := &c.keys[k].msgs[m]; r.typ == history.OK && ms.okReadBy < 0 {
				ms.okReadBy = r.comp
			}
		}
		r.reads = append(r.reads, kr)
	}
	if r.typ == history.OK {
		c.pollsOK++
		for _, name := range slices.Sorted(maps.Keys(v.Commit)) {
			r.commit = append(r.commit, keyOffset{c.key(name), v.Commit[name]})
		}
	}
	return true
}

func (c *checker) parseAssign(r *rec) bool {
	var v AssignValue
	if err := json.Unmarshal(c.h[r.inv].Value, &v); err != nil {
		return c.malformed(r, "invocation value %s is not {keys}", short(c.h[r.inv].Value))
	}
	for _, name := range v.Keys {
		r.keys = append(r.keys, c.key(name))
	}
	r.seek = v.SeekToBeginning
	if r.typ == history.OK && !r.seek {
		var done AssignValue
		if err := json.Unmarshal(c.h[r.comp].Value, &done); err != nil {
			return c.malformed(r, "ok value %s is not {keys, committed}", short(c.h[r.comp].Value))
		}
		r.committed = map[int32]int64{}
		for name, off := range done.Committed {
			r.committed[c.key(name)] = off
		}
	}
	return true
}

// buildLogs orders each key's occupied offsets (its version order, in
// Jepsen's terms: polls of any outcome and ok sends, the only sends whose
// offset is known) and reports offsets holding two messages and messages
// at two offsets.
func (c *checker) buildLogs() {
	for _, ks := range c.keys {
		ks.sorted = slices.SortedFunc(maps.Values(ks.log), func(a, b *slot) int { return cmp.Compare(a.offset, b.offset) })
		dups := false
		for i, s := range ks.sorted {
			s.index = int32(i)
			for _, m := range s.msgs {
				ms := &ks.msgs[m]
				if ms.first < 0 {
					ms.first = s.index
				} else {
					dups = true
				}
				ms.last = s.index
			}
			if len(s.msgs) > 1 {
				var parts []string
				for n, m := range s.msgs {
					parts = append(parts, fmt.Sprintf("%s (seen at op %d)", ks.msgs[m].text, s.seenBy[n]))
				}
				c.add(KindInconsistentOffsets, sortedOps(slices.Clone(s.seenBy)...),
					"offset %d of key %q holds %d different messages: %s", s.offset, ks.name, len(s.msgs), strings.Join(parts, ", "))
			}
		}
		if !dups {
			continue
		}
		where := map[int32][]string{}
		ops := map[int32][]int{}
		for _, s := range ks.sorted {
			for n, m := range s.msgs {
				if ks.msgs[m].first != ks.msgs[m].last {
					where[m] = append(where[m], fmt.Sprintf("%d (op %d)", s.offset, s.seenBy[n]))
					ops[m] = append(ops[m], s.seenBy[n])
				}
			}
		}
		for _, m := range slices.Sorted(maps.Keys(where)) {
			c.add(KindDuplicate, sortedOps(ops[m]...),
				"message %s appears in key %q at %d offsets: %s", ks.msgs[m].text, ks.name, len(where[m]), strings.Join(where[m], ", "))
		}
	}
}

// index is the log position of an offset of key k (always known for
// offsets that polls or ok sends reported).
func (c *checker) index(k int32, offset int64) int32 {
	if s := c.keys[k].log[offset]; s != nil {
		return s.index
	}
	return -1
}

type readMark struct {
	op     int
	index  int32
	offset int64
	// failedOp is the latest poll since op that returned messages of the
	// key but did not complete ok (its commit failed), or 0.
	failedOp int
	// empty: the client's latest ok poll of the key returned an empty
	// list. Jepsen then forgets where the client was (its last read is
	// nothing), so a skip or reversal found across it is the course's.
	empty   bool
	emptyOp int
}

type sendMark struct {
	op     int
	index  int32 // -1 when unknown
	msg    int32
	offset int64 // meaningful when index is known from an ok send
	ok     bool
}

type procState struct {
	lastRead map[int32]readMark
	lastSend map[int32]sendMark
}

// checkOps walks completions in order: aborted and unknown reads, skips
// and reversals within a poll, between a client's polls and between its
// sends. As in Jepsen, which Maelstrom runs, an assign keeps a client's
// tracking only for the keys it still has, and only ok polls move it: a
// poll whose commit failed is a failed (or indeterminate) op, whose
// messages Maelstrom never records, although the client's position moved
// past them, so the next poll may well show a poll-skip. A key an ok poll
// returned with an empty list makes Jepsen forget the client's position;
// the checker keeps it, and a skip or reversal it finds across the empty
// list is a strict finding.
func (c *checker) checkOps() {
	procs := map[int]*procState{}
	for _, r := range c.recs {
		p := procs[r.process]
		if p == nil {
			p = &procState{lastRead: map[int32]readMark{}, lastSend: map[int32]sendMark{}}
			procs[r.process] = p
		}
		switch r.f {
		case "assign":
			if r.typ == history.OK || r.typ == history.Info {
				keep := map[int32]bool{}
				for _, k := range r.keys {
					keep[k] = true
				}
				maps.DeleteFunc(p.lastRead, func(k int32, _ readMark) bool { return !keep[k] })
				maps.DeleteFunc(p.lastSend, func(k int32, _ sendMark) bool { return !keep[k] })
			}
		case "poll":
			for _, kr := range r.reads {
				c.checkPoll(r, p, kr)
			}
		case "send":
			if r.typ == history.Fail {
				continue
			}
			c.checkSend(r, p)
		}
	}
}

func (c *checker) checkPoll(r *rec, p *procState, kr keyReads) {
	ks := c.keys[kr.key]
	for n, pr := range kr.pairs {
		ms := &ks.msgs[pr.msg]
		if !ms.sent && !ms.flagged {
			ms.flagged = true
			c.add(KindUnknownMessage, []int{r.comp}, "poll op %d returned message %s at offset %d of key %q, but no client ever sent that message to that key",
				r.comp, ms.text, pr.offset, ks.name)
		}
		if r.typ == history.OK && ms.failedBy >= 0 {
			c.add(KindG1a, sortedOps(ms.failedBy, r.comp), "poll op %d returned message %s at offset %d of key %q, but its send failed definitely (op %d: %s)",
				r.comp, ms.text, pr.offset, ks.name, ms.failedBy, c.h[ms.failedBy].Error)
		}
		if n == 0 {
			continue
		}
		prev := kr.pairs[n-1]
		i1, i2 := c.index(kr.key, prev.offset), c.index(kr.key, pr.offset)
		switch delta := i2 - i1; {
		case delta > 1:
			c.add(KindIntPollSkip, []int{r.comp}, "poll op %d returned offsets %d then %d of key %q, skipping %s",
				r.comp, prev.offset, pr.offset, ks.name, c.describeRange(kr.key, i1, i2))
		case delta < 1:
			c.add(KindIntNonmonotonicPoll, []int{r.comp}, "poll op %d returned offset %d then offset %d of key %q: offsets within a poll must increase",
				r.comp, prev.offset, pr.offset, ks.name)
		}
	}
	if r.typ != history.OK {
		// Maelstrom records no messages for it.
		if prev, ok := p.lastRead[kr.key]; ok && len(kr.pairs) > 0 {
			prev.failedOp = r.comp
			p.lastRead[kr.key] = prev
		}
		return
	}
	if len(kr.pairs) == 0 {
		if prev, ok := p.lastRead[kr.key]; ok && !prev.empty {
			prev.empty, prev.emptyOp = true, r.comp
			p.lastRead[kr.key] = prev
		}
		return
	}
	first, last := kr.pairs[0], kr.pairs[len(kr.pairs)-1]
	if prev, ok := p.lastRead[kr.key]; ok {
		i := c.index(kr.key, first.offset)
		across := ""
		if prev.failedOp > 0 {
			across = fmt.Sprintf(" (poll op %d returned messages of the key in between but completed %s: %s; Maelstrom records no messages for such a poll, though the client moved past them)",
				prev.failedOp, c.h[prev.failedOp].Type, c.h[prev.failedOp].Error)
		}
		if prev.empty {
			across = fmt.Sprintf(" (across op %d, which returned an empty list for the key: Jepsen's checker forgets the position there)", prev.emptyOp)
		}
		switch delta := i - prev.index; {
		case delta > 1:
			c.addStrict(prev.empty, KindPollSkip, []int{prev.op, r.comp}, "process %d polled key %q up to offset %d (op %d), then its next poll started at offset %d (op %d), skipping %s%s",
				r.process, ks.name, prev.offset, prev.op, first.offset, r.comp, c.describeRange(kr.key, prev.index, i), across)
		case delta < 1:
			c.addStrict(prev.empty, KindNonmonotonicPoll, []int{prev.op, r.comp}, "process %d polled key %q up to offset %d (op %d), then its next poll started back at offset %d (op %d)%s",
				r.process, ks.name, prev.offset, prev.op, first.offset, r.comp, across)
		}
	}
	p.lastRead[kr.key] = readMark{op: r.comp, index: c.index(kr.key, last.offset), offset: last.offset}
}

func (c *checker) checkSend(r *rec, p *procState) {
	ks := c.keys[r.key]
	mark := sendMark{op: r.comp, index: -1, msg: r.msg, offset: r.offset, ok: r.hasOffset}
	if r.hasOffset {
		mark.index = c.index(r.key, r.offset)
	} else {
		mark.index = ks.msgs[r.msg].first // an info send some poll saw, if any
	}
	if prev, ok := p.lastSend[r.key]; ok && prev.index >= 0 && mark.index >= 0 && mark.index <= prev.index {
		c.add(KindNonmonotonicSend, []int{prev.op, r.comp}, "process %d sent message %s to key %q, which landed at %s (op %d), then sent message %s, which landed at %s (op %d): a client's sends must land at increasing offsets",
			r.process, ks.msgs[prev.msg].text, ks.name, c.describeAt(r.key, prev), prev.op, ks.msgs[r.msg].text, c.describeAt(r.key, mark), r.comp)
	}
	p.lastSend[r.key] = mark
}

func (c *checker) describeAt(k int32, m sendMark) string {
	if m.ok {
		return fmt.Sprintf("offset %d", m.offset)
	}
	return fmt.Sprintf("offset %d (as polled)", c.keys[k].sorted[m.index].offset)
}

// describeRange lists the messages strictly between log positions i1 and
// i2 of key k: "message 7 at offset 6 and 1 more".
func (c *checker) describeRange(k int32, i1, i2 int32) string {
	ks := c.keys[k]
	var parts []string
	for i := i1 + 1; i < i2 && len(parts) < 5; i++ {
		s := ks.sorted[i]
		parts = append(parts, fmt.Sprintf("message %s at offset %d", ks.msgs[s.msgs[0]].text, s.offset))
	}
	text := strings.Join(parts, ", ")
	if n := int(i2-i1-1) - len(parts); n > 0 {
		text += fmt.Sprintf(" and %d more", n)
	}
	return text + " known to exist"
}

// checkCommits is ours: at each list_committed_offsets (an assign without
// seek-to-beginning), every key must come back at or above the highest
// offset whose commit was acknowledged (an ok poll completed) before the
// assign was invoked. A key left out of the reply counts as lower.
func (c *checker) checkCommits() {
	type event struct {
		at  int
		rec *rec
	}
	var events []event
	for _, r := range c.recs {
		switch {
		case r.f == "poll" && len(r.commit) > 0:
			events = append(events, event{r.comp, r})
		case r.f == "assign" && r.typ == history.OK && !r.seek:
			events = append(events, event{r.inv, r}, event{r.comp, r})
		}
	}
	slices.SortFunc(events, func(a, b event) int { return cmp.Compare(a.at, b.at) })
	type acked struct {
		offset int64
		op     int
	}
	high := map[int32]acked{}
	before := map[*rec]map[int32]acked{}
	for _, e := range events {
		r := e.rec
		switch {
		case r.f == "poll":
			for _, ko := range r.commit {
				if a, ok := high[ko.key]; !ok || ko.offset > a.offset {
					high[ko.key] = acked{ko.offset, r.comp}
				}
			}
		case e.at == r.inv:
			snap := map[int32]acked{}
			for _, k := range r.keys {
				if a, ok := high[k]; ok {
					snap[k] = a
				}
			}
			before[r] = snap
		default:
			for _, k := range r.keys {
				a, ok := before[r][k]
				if !ok {
					continue
				}
				got, listed := r.committed[k]
				switch {
				case !listed:
					c.add(KindCommitRegression, []int{a.op, r.inv, r.comp}, "list_committed_offsets at op %d (process %d) left out key %q, but a commit of offset %d for it had been acknowledged at op %d, before the list began",
						r.comp, r.process, c.keys[k].name, a.offset, a.op)
				case got < a.offset:
					c.add(KindCommitRegression, []int{a.op, r.inv, r.comp}, "list_committed_offsets at op %d (process %d) returned offset %d for key %q, but a commit of offset %d for it had been acknowledged at op %d, before the list began",
						r.comp, r.process, got, c.keys[k].name, a.offset, a.op)
				}
			}
		}
	}
}

// checkLost is Jepsen's lost-write rule: for each key, the highest first
// position of any message an ok poll returned bounds what must have been
// read; any message whose last position is at or below that bound, sent by
// an ok send, and returned by no ok poll, is lost.
func (c *checker) checkLost() {
	for _, ks := range c.keys {
		bound, boundOp := int32(-1), -1
		for _, ms := range ks.msgs {
			if ms.okReadBy >= 0 && ms.first > bound {
				bound, boundOp = ms.first, ms.okReadBy
			}
		}
		if bound < 0 {
			continue
		}
		for _, ms := range ks.msgs {
			if ms.okReadBy >= 0 || ms.wtype != history.OK || ms.last < 0 || ms.last > bound {
				continue
			}
			c.add(KindLostWrite, sortedOps(ms.writer, boundOp), "message %s was acknowledged at offset %d of key %q (send op %d), but no ok poll returned it, although poll op %d returned offset %d further along that log",
				ms.text, ks.sorted[ms.last].offset, ks.name, ms.writer, boundOp, ks.sorted[bound].offset)
		}
	}
}

// checkUnseen is Maelstrom's unseen rule: every acknowledged send must be
// returned by some ok poll by the end of the history.
func (c *checker) checkUnseen() {
	for _, ks := range c.keys {
		var texts []string
		var ops []int
		n := 0
		for _, ms := range ks.msgs {
			if ms.wtype != history.OK || ms.okReadBy >= 0 {
				continue
			}
			n++
			if len(ops) < 32 {
				texts = append(texts, fmt.Sprintf("%s (op %d)", ms.text, ms.writer))
				ops = append(ops, ms.writer)
			}
		}
		if n == 0 {
			continue
		}
		c.unseen += n
		list := strings.Join(texts, ", ")
		if n > len(texts) {
			list += fmt.Sprintf(" and %d more", n-len(texts))
		}
		slices.Sort(ops)
		c.add(KindUnseen, ops, "key %q: %s acknowledged but never returned by any ok poll, even after the final polls: %s",
			ks.name, plural(n, "message was", "messages were"), list)
	}
}

func (c *checker) result() workload.Result {
	order := func(a, b workload.Anomaly) int {
		return cmp.Or(cmp.Compare(kindRank(a.Kind), kindRank(b.Kind)), cmp.Compare(lastOp(a), lastOp(b)))
	}
	var anomalies, notes []workload.Anomaly
	for _, a := range c.ev.Kept() {
		if c.noted(a.Kind) {
			notes = append(notes, a)
		} else {
			anomalies = append(anomalies, a)
		}
	}
	slices.SortStableFunc(anomalies, order)
	slices.SortStableFunc(notes, order)
	anomalies, notes = c.ev.Summarize(anomalies), c.ev.Summarize(notes)
	r := workload.Result{Validity: workload.Valid, Anomalies: anomalies}
	if c.sendsOK == 0 {
		r.Validity = workload.Unknown
		notes = append(notes, workload.Anomaly{Kind: "no-acknowledged-sends", Message: "no send was acknowledged, so there was nothing to check"})
	}
	r.MaelstromValidity = r.Validity
	counts := c.ev.Counts()
	for kind, n := range counts {
		if c.noted(kind) {
			continue // a note
		}
		if n > c.strictOnly[kind] {
			r.MaelstromValidity = workload.Invalid
		}
	}
	if len(anomalies) > 0 {
		r.Validity = workload.Invalid
	}
	r.Notes = notes
	causes := slices.Sorted(maps.Keys(c.infoCauses))
	if causes == nil {
		causes = []string{}
	}
	r.Metrics = map[string]any{
		"sends_ok":        c.sendsOK,
		"polls_ok":        c.pollsOK,
		"keys":            len(c.keys),
		"unseen_count":    c.unseen,
		"lost_count":      counts[KindLostWrite],
		"info_txn_causes": causes,
	}
	if counts != nil {
		r.Metrics["anomaly_counts"] = counts
	}
	return r
}

// kindOrder is the order results list anomalies in: broken input first,
// then what the node got wrong about the log itself, then what clients
// saw, then what was never seen.
var kindOrder = []string{
	KindMalformedHistory, KindMalformedOp, KindUnknownMessage,
	KindInconsistentOffsets, KindDuplicate, KindG1a, KindLostWrite,
	KindPollSkip, KindNonmonotonicPoll, KindIntPollSkip, KindIntNonmonotonicPoll,
	KindNonmonotonicSend, KindUnseen, KindCommitRegression,
}

func kindRank(kind string) int {
	if i := slices.Index(kindOrder, kind); i >= 0 {
		return i
	}
	return len(kindOrder)
}

func lastOp(a workload.Anomaly) int {
	if len(a.Ops) == 0 {
		return -1
	}
	return a.Ops[len(a.Ops)-1]
}

func sortedOps(ops ...int) []int {
	slices.Sort(ops)
	return slices.Compact(ops)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
