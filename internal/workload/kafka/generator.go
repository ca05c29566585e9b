package kafka

import (
	"encoding/json"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// generator is the main phase: Jepsen's kafka generator with Maelstrom's
// options (txn? false, crash-clients? true, sub-via #{:assign}).
type generator struct {
	settings
	active  []int       // the active keys, Elle's key pool
	next    map[int]int // next message per key, from 1
	pending *txn        // drawn but not yet issued: an assign went first

	crashGap  time.Duration // mean gap between crash ops
	nextCrash time.Duration

	// Jepsen's poll-unseen: highest offsets acknowledged by sends and
	// returned by polls, for keys with sends no poll has returned yet.
	sent, polled map[int]int64
	seen         *offsetTracker
}

// txn is one length-1 Elle transaction: a send of msg to key, or a poll
// (whose key only matters to the assign that may precede it).
type txn struct {
	send bool
	key  int
	msg  int
}

func newGenerator(opts workload.Options, seen *offsetTracker) *generator {
	s := settingsOf(opts)
	g := &generator{
		settings: s,
		next:     map[int]int{},
		crashGap: time.Duration(CrashInterval / float64(s.concurrency) * float64(time.Second)),
		sent:     map[int]int64{},
		polled:   map[int]int64{},
		seen:     seen,
	}
	for k := range s.keyCount {
		g.active = append(g.active, k)
	}
	return g
}

// Next issues, in order of precedence: a crash when one is due (Jepsen
// staggers crashes at crashGap on average, the first at once), an assign
// with probability 1/64 before the next transaction, or the transaction.
func (g *generator) Next(_ int, now time.Duration, rnd *rand.Rand) (workload.Invocation, bool) {
	if now >= g.nextCrash {
		g.nextCrash = now + time.Duration(rnd.Float64()*2*float64(g.crashGap))
		return workload.Invocation{F: "crash"}, true
	}
	if g.pending == nil {
		t := g.draw(rnd)
		g.pending = &t
	}
	if rnd.Float64() < AssignProbability {
		keys := []int{g.pending.key}
		// Poll-unseen: a third of assigns also cover every key with sends
		// that no poll has returned yet.
		if len(g.sent) > 0 && rnd.IntN(3) == 0 {
			for _, k := range slices.Sorted(maps.Keys(g.sent)) {
				if k != g.pending.key {
					keys = append(keys, k)
				}
			}
		}
		return workload.Invocation{F: "assign", Value: history.Value(AssignValue{Keys: keyNames(keys)})}, true
	}
	t := *g.pending
	g.pending = nil
	if t.send {
		return workload.Invocation{F: "send", Value: history.Value(SendValue{Key: strconv.Itoa(t.key), Msg: history.Value(t.msg)})}, true
	}
	return workload.Invocation{F: "poll"}, true
}

// draw is Elle's wr-txns with one micro-operation: a read or a write, on a
// key from the exponential distribution; a key that has had maxWrites
// writes is replaced by a fresh one and the draw repeated.
func (g *generator) draw(rnd *rand.Rand) txn {
	for {
		send := rnd.IntN(2) == 1
		i := workload.ExpIndex(len(g.active), rnd)
		k := g.active[i]
		if !send {
			return txn{key: k}
		}
		v := g.next[k]
		if v == 0 {
			v = 1
		}
		if v > g.maxWrites {
			g.active[i] = slices.Max(g.active) + 1
			delete(g.next, k)
			continue
		}
		g.next[k] = v + 1
		return txn{send: true, key: k, msg: v}
	}
}

// Update follows acknowledged offsets: for the final generator's targets,
// and for poll-unseen.
func (g *generator) Update(_ int, inv workload.Invocation, c workload.Completion) {
	if c.Type != history.OK {
		return
	}
	touched := map[int]bool{}
	switch inv.F {
	case "send":
		var v SendValue
		if json.Unmarshal(c.Value, &v) != nil || v.Offset == nil {
			return
		}
		if k, err := strconv.Atoi(v.Key); err == nil {
			g.sent[k] = max(g.sent[k], *v.Offset)
			g.seen.observe(k, *v.Offset)
			touched[k] = true
		}
	case "poll":
		var v PollValue
		if json.Unmarshal(c.Value, &v) != nil {
			return
		}
		for key, pairs := range v.Msgs {
			k, err := strconv.Atoi(key)
			if err != nil {
				continue
			}
			top := int64(-1)
			for _, p := range pairs {
				top = max(top, p.Offset)
			}
			if old, ok := g.polled[k]; !ok || top > old {
				g.polled[k] = top
			}
			// A key an ok poll returned empty is tracked too, at -1, as
			// Jepsen's track-key-offsets does: the final phase then assigns
			// it, and any final poll that returns it is done with it.
			g.seen.observe(k, top)
			touched[k] = true
		}
	}
	for k := range touched {
		sent, ok := g.sent[k]
		if !ok {
			sent = -1
		}
		polled, ok := g.polled[k]
		if !ok {
			polled = -1
		}
		if polled >= sent {
			delete(g.sent, k)
			delete(g.polled, k)
		}
	}
}

// finalGenerator is Jepsen's final-polls, one copy per thread: crash (for a
// fresh client), assign every key seen with seek-to-beginning, then poll
// every 0..0.4 s until this thread's polls have reached, for every key,
// the highest offset the main phase saw acknowledged. The harness bounds
// the phase (Maelstrom: 10 s).
//
// One difference: when a final poll ends in info, the harness gives the
// thread a new client with no assignment; we assign again, where Jepsen
// would keep polling nothing until the time limit.
type finalGenerator struct {
	seen    *offsetTracker
	target  map[int]int64 // taken at the first Next: the main phase is over
	threads map[int]*finalThread
}

type finalStage int

const (
	stageCrash finalStage = iota
	stageAssign
	stagePoll
)

type finalThread struct {
	stage   finalStage
	polls   int
	waiting map[string]int64 // key -> offset still to reach
}

func (g *finalGenerator) Next(thread int, _ time.Duration, rnd *rand.Rand) (workload.Invocation, bool) {
	if g.target == nil {
		g.target = g.seen.snapshot()
	}
	t := g.threads[thread]
	if t == nil {
		t = &finalThread{waiting: map[string]int64{}}
		for k, off := range g.target {
			t.waiting[strconv.Itoa(k)] = off
		}
		g.threads[thread] = t
	}
	if len(t.waiting) == 0 {
		return workload.Invocation{}, false
	}
	switch t.stage {
	case stageCrash:
		return workload.Invocation{F: "crash", Final: true}, true
	case stageAssign:
		keys := slices.Sorted(maps.Keys(g.target))
		return workload.Invocation{F: "assign", Value: history.Value(AssignValue{Keys: keyNames(keys), SeekToBeginning: true}), Final: true}, true
	}
	inv := workload.Invocation{F: "poll", Final: true}
	if t.polls > 0 {
		inv.Delay = time.Duration(rnd.Float64() * float64(400*time.Millisecond))
	}
	t.polls++
	return inv, true
}

func (g *finalGenerator) Update(thread int, inv workload.Invocation, c workload.Completion) {
	t := g.threads[thread]
	if t == nil {
		return
	}
	switch inv.F {
	case "crash":
		t.stage = stageAssign
	case "assign":
		if c.Type == history.OK {
			t.stage, t.polls = stagePoll, 0
		}
	case "poll":
		switch c.Type {
		case history.Info:
			t.stage = stageAssign
		case history.OK:
			var v PollValue
			if json.Unmarshal(c.Value, &v) != nil {
				return
			}
			for key, pairs := range v.Msgs {
				target, ok := t.waiting[key]
				if !ok {
					continue
				}
				top := int64(-1)
				for _, p := range pairs {
					top = max(top, p.Offset)
				}
				if top >= target { // Jepsen's FinalPolls: -1 for an empty list
					delete(t.waiting, key)
				}
			}
		}
	}
}

func keyNames(keys []int) []string {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = strconv.Itoa(k)
	}
	return names
}
