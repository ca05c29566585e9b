package service

import (
	"encoding/json"
	"math/rand/v2"
	"sync"
)

// SeqKVWindow is how many recent states seq-kv keeps, as Maelstrom's
// 32-slot ring buffer does.
const SeqKVWindow = 32

// seqKV is Maelstrom's seq-kv, a sequentially consistent store.
//
// States are numbered 0 (empty), 1, 2, ...; the newest is last. A request
// from caller c runs against a state j drawn uniformly from [lo, last],
// where lo is the state c last observed (never older than the window). If
// the request would leave state j unchanged (every read, a failing cas, a
// write of the value already there), it is answered from state j and c now
// stands at j: a stale answer, but never older than what c saw before. If
// it would change state j, it is instead applied to the newest state,
// which yields state last+1, and c stands there: mutations are totally
// ordered and none is lost, and a caller always reads its own writes.
//
// Maelstrom keeps whole maps in a ring buffer; we keep, per key, the
// versions written within the window, which gives the same states at a
// cost proportional to what changed. One deliberate difference: Maelstrom
// indexes its ring modulo its length, so a caller that fell more than 32
// states behind reads an arbitrary state of the window and may go
// backwards; we raise such a caller to the oldest state kept, preserving
// the per-caller monotonicity seq-kv promises.
type seqKV struct {
	mu      sync.Mutex
	last    int64
	clients map[string]int64
	keys    map[string]*versions
}

// versions is one key's values over the window, oldest first: the value in
// state j is the last one written at or before j. The KV API cannot delete,
// so a key absent from state j is one first written after j.
type versions struct {
	key value
	at  []int64
	val []value
}

// NewSeqKV returns an empty seq-kv.
func NewSeqKV() Service {
	return &seqKV{clients: map[string]int64{}, keys: map[string]*versions{}}
}

func (s *seqKV) ID() string { return SeqKV }

// lookup returns key's value in state j.
func (s *seqKV) lookup(key string, j int64) (value, bool) {
	vs := s.keys[key]
	if vs == nil {
		return value{}, false
	}
	for i := len(vs.at) - 1; i >= 0; i-- {
		if vs.at[i] <= j {
			return vs.val[i], true
		}
	}
	return value{}, false
}

func (s *seqKV) Handle(src string, body json.RawMessage, rnd *rand.Rand) json.RawMessage {
	return serve(&s.mu, body, func(req request) json.RawMessage { return s.handle(src, req, rnd) })
}

// handle is Handle for a request that parsed, with s.mu held.
func (s *seqKV) handle(src string, req request, rnd *rand.Rand) json.RawMessage {
	lo := max(s.clients[src], s.last-(SeqKVWindow-1), 0)
	j := lo + rnd.Int64N(s.last-lo+1)
	cur, exists := s.lookup(req.key.canon, j)
	r, store, ok := evalKV(req, cur, exists, true)
	if !ok {
		return nil
	}
	if store == nil || (exists && store.canon == cur.canon) {
		s.clients[src] = j
		return r.encode(req)
	}
	// The request changes state j: run it on the newest state instead. As in
	// Maelstrom, this makes a new state even if, on the newest state, the
	// request turns out to change nothing (a cas whose from is now stale).
	cur, exists = s.lookup(req.key.canon, s.last)
	r, store, _ = evalKV(req, cur, exists, true)
	s.last++
	if store != nil {
		s.put(req.key, *store)
	}
	s.clients[src] = s.last
	return r.encode(req)
}

// put records v as key's value from state last on, dropping versions that
// no state in the window can see any more.
func (s *seqKV) put(key, v value) {
	vs := s.keys[key.canon]
	if vs == nil {
		vs = &versions{key: key}
		s.keys[key.canon] = vs
	}
	vs.at = append(vs.at, s.last)
	vs.val = append(vs.val, v)
	oldest := s.last - (SeqKVWindow - 1)
	// Keep the newest version at or before oldest (it is that state's value)
	// and everything after it.
	keep := 0
	for i := len(vs.at) - 1; i >= 0; i-- {
		if vs.at[i] <= oldest {
			keep = i
			break
		}
	}
	if keep > 0 {
		vs.at = append(vs.at[:0], vs.at[keep:]...)
		vs.val = append(vs.val[:0], vs.val[keep:]...)
	}
}
