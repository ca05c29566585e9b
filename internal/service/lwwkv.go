package service

import (
	"encoding/json"
	"math/rand/v2"
	"sync"
)

// LWWReplicas is the number of replicas lww-kv simulates: 2 in Maelstrom's
// code (its services.md says 5).
const LWWReplicas = 2

// lwwKV is Maelstrom's lww-kv, an eventually consistent store that is
// meant to be hard to use: independent replicas, each with a Lamport clock
// and last-write-wins values.
//
// Every request first merges one random replica into another random one
// (possibly itself): the destination's clock becomes the larger clock, and
// for each key the value with the larger timestamp wins, the source's on a
// tie. The request then runs on a third random replica. A successful write
// or cas stamps the value with that replica's clock and advances it. Reads
// may therefore miss recent writes or find a key missing, and writes may
// be overwritten by ones that look newer. cas ignores
// create_if_not_exists: a missing key is always error 20.
//
// Deliberate difference: Maelstrom computes the merge and then, through a
// shadowed binding, applies the request to the unmerged replicas, so its
// replicas never converge. We keep the merge its docstring and services.md
// describe, so a node that retries eventually sees other replicas' writes.
type lwwKV struct {
	mu       sync.Mutex
	replicas [LWWReplicas]*lwwReplica
}

type lwwReplica struct {
	clock int64
	m     map[string]lwwEntry
}

type lwwEntry struct {
	entry
	ts int64
}

// NewLWWKV returns an lww-kv whose replicas are all empty.
func NewLWWKV() Service {
	s := &lwwKV{}
	for i := range s.replicas {
		s.replicas[i] = &lwwReplica{m: map[string]lwwEntry{}}
	}
	return s
}

func (s *lwwKV) ID() string { return LWWKV }

func (s *lwwKV) Handle(src string, body json.RawMessage, rnd *rand.Rand) json.RawMessage {
	return serve(&s.mu, body, func(req request) json.RawMessage { return s.handle(req, rnd) })
}

// handle is Handle for a request that parsed, with s.mu held.
func (s *lwwKV) handle(req request, rnd *rand.Rand) json.RawMessage {
	if _, _, ok := evalKV(req, null, false, false); !ok {
		return nil // unknown type: no reply, and no merge either
	}
	from, to := rnd.IntN(LWWReplicas), rnd.IntN(LWWReplicas)
	if from != to {
		s.replicas[to].merge(s.replicas[from])
	}
	rep := s.replicas[rnd.IntN(LWWReplicas)]
	cur, exists := rep.m[req.key.canon]
	r, store, _ := evalKV(req, cur.val, exists, false)
	if store != nil {
		rep.m[req.key.canon] = lwwEntry{entry: entry{key: req.key, val: *store}, ts: rep.clock}
		rep.clock++
	}
	return r.encode(req)
}

// merge folds src into r: the larger clock, and per key the later value,
// src's on a tie.
func (r *lwwReplica) merge(src *lwwReplica) {
	r.clock = max(r.clock, src.clock)
	for k, e := range src.m {
		if mine, ok := r.m[k]; !ok || e.ts >= mine.ts {
			r.m[k] = e
		}
	}
}
