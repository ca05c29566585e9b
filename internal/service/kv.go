package service

import (
	"encoding/json"
	"math/rand/v2"
	"sync"
)

// Service ids, as nodes address them.
const (
	LinKV  = "lin-kv"
	SeqKV  = "seq-kv"
	LWWKV  = "lww-kv"
	LinTSO = "lin-tso"
)

// IDs lists the service ids in a fixed order.
func IDs() []string { return []string{LinKV, LinTSO, LWWKV, SeqKV} }

// New returns a fresh instance of the service with the given id.
func New(id string) (Service, bool) {
	switch id {
	case LinKV:
		return NewLinKV(), true
	case SeqKV:
		return NewSeqKV(), true
	case LWWKV:
		return NewLWWKV(), true
	case LinTSO:
		return NewLinTSO(), true
	}
	return nil, false
}

// All returns fresh instances of every service, in IDs order: the set
// Maelstrom starts for every run.
func All() []Service {
	var all []Service
	for _, id := range IDs() {
		s, _ := New(id)
		all = append(all, s)
	}
	return all
}

// entry is one key's value in a store.
type entry struct {
	key value
	val value
}

// linKV is Maelstrom's lin-kv: one map, each request applied atomically in
// arrival order, which is linearizable by construction.
type linKV struct {
	mu sync.Mutex
	m  map[string]entry
}

// NewLinKV returns an empty lin-kv.
func NewLinKV() Service { return &linKV{m: map[string]entry{}} }

func (s *linKV) ID() string { return LinKV }

func (s *linKV) Handle(src string, body json.RawMessage, rnd *rand.Rand) json.RawMessage {
	return serve(&s.mu, body, func(req request) json.RawMessage {
		cur, exists := s.m[req.key.canon]
		r, store, ok := evalKV(req, cur.val, exists, true)
		if !ok {
			return nil
		}
		if store != nil {
			s.m[req.key.canon] = entry{key: req.key, val: *store}
		}
		return r.encode(req)
	})
}

// linTSO is Maelstrom's lin-tso: a timestamp oracle handing out 0, 1, 2, ...
type linTSO struct {
	mu   sync.Mutex
	next int64
}

// NewLinTSO returns a timestamp oracle whose first timestamp is 0.
func NewLinTSO() Service { return &linTSO{} }

func (s *linTSO) ID() string { return LinTSO }

func (s *linTSO) Handle(src string, body json.RawMessage, rnd *rand.Rand) json.RawMessage {
	return serve(&s.mu, body, func(req request) json.RawMessage {
		if req.typ != "ts" {
			return nil
		}
		ts := s.next
		s.next++
		return reply{"type": "ts_ok", "ts": ts}.encode(req)
	})
}
