package txn

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// A simulated store runs generated transactions from concurrent clients
// and records the history a harness would, and also the ground truth a
// checker never sees: when each write took effect, which transactions
// committed, which write each read returned. Checker tests use it as an
// oracle: every cycle the checker reports must exist in the truth.

type simMode int

const (
	// simSerial runs each transaction at one instant between its
	// invocation and its completion: strictly serializable.
	simSerial simMode = iota
	// simInterleaved runs one micro-op at a time on a single register
	// store, writes in place: dirty reads and dirty writes, aborts rolled
	// back in place. Anything can happen.
	simInterleaved
	// simReplicated runs each transaction at once on its client's
	// replica and sends its writes to the other replica later, like a
	// Fly.io 6b solution: read committed, not serializable.
	simReplicated
	// simWriteBehind reads at once but applies a transaction's writes up
	// to twenty steps later, often after acknowledging it: the store for
	// which "a finished transaction's writes precede later ones" is false.
	simWriteBehind
)

func (m simMode) String() string {
	return [...]string{"serial", "interleaved", "replicated", "write-behind"}[m]
}

type simConfig struct {
	mode         simMode
	clients      int
	txns         int
	failP, infoP float64
	opts         workload.Options
	seed         uint64
}

// fate is decided when a transaction is invoked.
type fate int

const (
	fateOK         fate = iota
	fateAbort           // runs, then rolls back and fails (interleaved), or fails unrun
	fateFailUnrun       // fails without running
	fateInfoCommit      // runs and commits; the reply is lost
	fateInfoDrop        // never runs; the reply is lost
)

type simTxn struct {
	id      int
	req     []mop
	res     []mop
	fate    fate
	pos     int
	replica int
	undo    []undo
	invIdx  int
	doneIdx int
	ran     bool // executed (at least in part)
	process int
}

type undo struct {
	key  int64
	old  int64
	had  bool
	mine int64
}

type pendingWrite struct {
	at   int
	t    *simTxn
	mops []mop
	rep  int
}

type sim struct {
	cfg     simConfig
	rnd     *rand.Rand
	gen     *generator
	b       history.Builder
	step    int
	stores  []map[int64]int64
	pending []pendingWrite
	clients []*simTxn // running transaction per client, nil when idle
	procs   []int
	txns    []*simTxn
	// truth
	perf      map[kv]int // first step a write took effect
	writer    map[kv]*simTxn
	committed map[*simTxn]bool
	wroteAt   map[int64][]perfRec // per key, in order of effect
}

type perfRec struct {
	step int
	t    *simTxn
}

func runSim(cfg simConfig) *sim {
	s := &sim{
		cfg:       cfg,
		rnd:       rand.New(rand.NewPCG(cfg.seed, uint64(cfg.mode))),
		gen:       newGenerator(cfg.opts),
		clients:   make([]*simTxn, cfg.clients),
		procs:     make([]int, cfg.clients),
		perf:      map[kv]int{},
		writer:    map[kv]*simTxn{},
		committed: map[*simTxn]bool{},
		wroteAt:   map[int64][]perfRec{},
	}
	for i := range s.procs {
		s.procs[i] = i
	}
	replicas := 1
	if cfg.mode == simReplicated {
		replicas = 2
	}
	for range replicas {
		s.stores = append(s.stores, map[int64]int64{})
	}
	started := 0
	for started < cfg.txns || s.busy() {
		s.step++
		s.deliver()
		c := s.rnd.IntN(cfg.clients)
		t := s.clients[c]
		switch {
		case t == nil && started < cfg.txns:
			started++
			s.start(c)
		case t != nil:
			s.advance(c, t)
		}
	}
	for len(s.pending) > 0 {
		s.step++
		s.deliver()
	}
	return s
}

func (s *sim) busy() bool {
	for _, t := range s.clients {
		if t != nil {
			return true
		}
	}
	return false
}

func (s *sim) record(op history.Op) int {
	op.Time = time.Duration(s.step) * time.Millisecond
	op.F = "txn"
	return s.b.Add(op)
}

func (s *sim) start(c int) {
	inv, _ := s.gen.Next(c, 0, s.rnd)
	req, _ := parseTxn(inv.Value)
	t := &simTxn{id: len(s.txns), req: req, replica: c % len(s.stores), process: s.procs[c], doneIdx: -1}
	switch r := s.rnd.Float64(); {
	case r < s.cfg.failP/2:
		t.fate = fateAbort
	case r < s.cfg.failP:
		t.fate = fateFailUnrun
	case r < s.cfg.failP+s.cfg.infoP/2:
		t.fate = fateInfoCommit
	case r < s.cfg.failP+s.cfg.infoP:
		t.fate = fateInfoDrop
	}
	if s.cfg.mode != simInterleaved && t.fate == fateAbort {
		t.fate = fateFailUnrun
	}
	s.txns = append(s.txns, t)
	s.clients[c] = t
	t.invIdx = s.record(history.Op{Type: history.Invoke, Process: t.process, Value: inv.Value})
	if s.cfg.mode != simInterleaved && (t.fate == fateOK || t.fate == fateInfoCommit) {
		s.runAtomically(t)
	}
}

// effect records a write taking effect for the first time.
func (s *sim) effect(t *simTxn, k, v int64) {
	key := kv{k, v}
	if _, ok := s.perf[key]; !ok {
		s.perf[key] = s.step
		s.wroteAt[k] = append(s.wroteAt[k], perfRec{s.step, t})
	}
}

func (s *sim) runAtomically(t *simTxn) {
	t.ran = true
	store := s.stores[t.replica]
	own := map[int64]int64{}
	var writes []mop
	for _, m := range t.req {
		if m.isWrite() {
			s.writer[kv{m.key, m.value}] = t
			t.res = append(t.res, m)
			switch s.cfg.mode {
			case simWriteBehind:
				own[m.key] = m.value
				writes = append(writes, m)
			default:
				store[m.key] = m.value
				s.effect(t, m.key, m.value)
				writes = append(writes, m)
			}
			continue
		}
		r := m
		if v, ok := own[m.key]; ok {
			r.value, r.nil = v, false
		} else if v, ok := store[m.key]; ok {
			r.value, r.nil = v, false
		}
		t.res = append(t.res, r)
	}
	switch s.cfg.mode {
	case simWriteBehind:
		s.pending = append(s.pending, pendingWrite{at: s.step + 1 + s.rnd.IntN(20), t: t, mops: writes, rep: 0})
	case simReplicated:
		s.pending = append(s.pending, pendingWrite{at: s.step + 1 + s.rnd.IntN(20), t: t, mops: writes, rep: 1 - t.replica})
	}
	s.committed[t] = true
}

// deliver applies delayed writes that are due, each batch at once.
func (s *sim) deliver() {
	slices.SortStableFunc(s.pending, func(a, b pendingWrite) int { return a.at - b.at })
	n := 0
	for _, p := range s.pending {
		if p.at > s.step {
			break
		}
		for _, m := range p.mops {
			s.stores[p.rep][m.key] = m.value
			s.effect(p.t, m.key, m.value)
		}
		n++
	}
	s.pending = s.pending[n:]
}

// advance runs one more micro-op (interleaved) or completes.
func (s *sim) advance(c int, t *simTxn) {
	if s.cfg.mode == simInterleaved && (t.fate == fateOK || t.fate == fateInfoCommit || t.fate == fateAbort) && t.pos < len(t.req) {
		t.ran = true
		m := t.req[t.pos]
		t.pos++
		store := s.stores[0]
		if m.isWrite() {
			old, had := store[m.key]
			t.undo = append(t.undo, undo{key: m.key, old: old, had: had, mine: m.value})
			store[m.key] = m.value
			s.writer[kv{m.key, m.value}] = t
			s.effect(t, m.key, m.value)
			t.res = append(t.res, m)
			return
		}
		r := m
		if v, ok := store[m.key]; ok {
			r.value, r.nil = v, false
		}
		t.res = append(t.res, r)
		return
	}
	s.clients[c] = nil
	switch t.fate {
	case fateOK:
		if s.cfg.mode == simInterleaved {
			s.committed[t] = true
		}
		t.doneIdx = s.record(history.Op{Type: history.OK, Process: t.process, Value: encodeTxn(t.res)})
	case fateAbort, fateFailUnrun:
		if t.fate == fateAbort {
			store := s.stores[0]
			for i := len(t.undo) - 1; i >= 0; i-- {
				u := t.undo[i]
				if store[u.key] == u.mine {
					if u.had {
						store[u.key] = u.old
					} else {
						delete(store, u.key)
					}
				}
			}
		}
		t.doneIdx = s.record(history.Op{Type: history.Fail, Process: t.process, Value: encodeTxn(t.req), Error: "txn-conflict: simulated"})
	default:
		if t.fate == fateInfoCommit && s.cfg.mode == simInterleaved {
			s.committed[t] = true
		}
		t.doneIdx = s.record(history.Op{Type: history.Info, Process: t.process, Value: encodeTxn(t.req), Error: "timeout"})
		s.procs[c] += s.cfg.clients
	}
}

// Truth graph edge kinds, as in the checker.
const (
	truthWW = 1 << iota
	truthWR
	truthRW
)

// truth is the real dependency graph of committed transactions, with
// "precedes" meaning "took effect earlier".
type truth struct {
	byOp map[int]*simTxn // completion (or invocation) op -> txn
	adj  map[*simTxn]map[*simTxn]int
}

func (s *sim) truth() *truth {
	tr := &truth{byOp: map[int]*simTxn{}, adj: map[*simTxn]map[*simTxn]int{}}
	link := func(a, b *simTxn, kind int) {
		if a == b || !s.committed[a] || !s.committed[b] {
			return
		}
		if tr.adj[a] == nil {
			tr.adj[a] = map[*simTxn]int{}
		}
		tr.adj[a][b] |= kind
	}
	for _, t := range s.txns {
		if t.doneIdx >= 0 {
			tr.byOp[t.doneIdx] = t
		}
		tr.byOp[t.invIdx] = t
	}
	// ww: any write of a before any write of b to the same key.
	for _, recs := range s.wroteAt {
		for i := range recs {
			for j := i + 1; j < len(recs); j++ {
				link(recs[i].t, recs[j].t, truthWW)
			}
		}
	}
	for _, t := range s.txns {
		if t.fate != fateOK || t.doneIdx < 0 || !t.ran {
			continue
		}
		for _, m := range t.res {
			if !m.isRead() {
				continue
			}
			if m.nil {
				for _, r := range s.wroteAt[m.key] {
					link(t, r.t, truthRW)
				}
				continue
			}
			w := s.writer[kv{m.key, m.value}]
			link(w, t, truthWR)
			at := s.perf[kv{m.key, m.value}]
			for _, r := range s.wroteAt[m.key] {
				if r.step > at {
					link(t, r.t, truthRW)
				}
			}
		}
	}
	return tr
}

// reaches reports whether b can be reached from a along edges of the
// given kinds.
func (tr *truth) reaches(a, b *simTxn, kinds int) bool {
	seen := map[*simTxn]bool{a: true}
	queue := []*simTxn{a}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for y, k := range tr.adj[x] {
			if k&kinds == 0 || seen[y] {
				continue
			}
			if y == b {
				return true
			}
			seen[y] = true
			queue = append(queue, y)
		}
	}
	return false
}
