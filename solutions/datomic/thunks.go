package datomic

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// thunkTree keeps each list in lin-kv under a key of its own, a thunk id
// ("n0-7") used once: a list is written under a fresh id and never
// changed. The root is a JSON object from each key (as a string) to the
// id of its current list. A transaction writes the lists it changed under
// new ids, then swaps the root; until the swap, nobody knows the new ids,
// so a lost swap leaves only garbage nobody will read.
type thunkTree struct {
	n    *maelstrom.Node
	kv   *maelstrom.KV
	next atomic.Int64 // the last id's number

	// cache holds every list this node has read or written, by id. A
	// thunk never changes, so a cached copy can never be stale.
	mu    sync.Mutex
	cache map[string][]int
}

func newThunkTree(n *maelstrom.Node, kv *maelstrom.KV) *thunkTree {
	return &thunkTree{n: n, kv: kv, cache: map[string][]int{}}
}

// attempt reads the root, the lists txn needs, applies txn, writes the
// changed lists under new ids and swaps the root. As in wholeTree, a
// transaction that only reads needs no swap.
func (t *thunkTree) attempt(ctx context.Context, txn []Op) ([]Op, error) {
	raw, err := readRoot(ctx, t.kv)
	if err != nil {
		return nil, err
	}
	ids := map[int]string{}
	if raw != nil {
		if err := json.Unmarshal(raw, &ids); err != nil {
			return nil, maelstrom.NewRPCError(maelstrom.Abort, "the root is not a map of ids: "+err.Error())
		}
	}
	done, writes, err := apply(txn, func(k int) ([]int, error) {
		id, ok := ids[k]
		if !ok {
			return nil, nil
		}
		return t.load(ctx, id)
	})
	if err != nil || len(writes) == 0 {
		return done, err
	}
	next := maps.Clone(ids)
	for _, w := range writes {
		id := fmt.Sprintf("%s-%d", t.n.ID(), t.next.Add(1))
		if err := t.save(ctx, id, w.list); err != nil {
			return nil, err
		}
		next[w.key] = id
	}
	return done, swapRoot(ctx, t.kv, raw, next)
}

// load returns the list stored under id, from the cache if it is there.
func (t *thunkTree) load(ctx context.Context, id string) ([]int, error) {
	t.mu.Lock()
	l, ok := t.cache[id]
	t.mu.Unlock()
	if ok {
		return l, nil
	}
	if err := t.kv.ReadInto(ctx, id, &l); err != nil {
		return nil, unavailable("read list "+id, err)
	}
	t.mu.Lock()
	t.cache[id] = l
	t.mu.Unlock()
	return l, nil
}

// save writes list under id, which nobody has used before, and caches it.
// lin-kv is linearizable, so once the write is acknowledged every node
// that reads the id finds the list.
func (t *thunkTree) save(ctx context.Context, id string, list []int) error {
	if err := t.kv.Write(ctx, id, list); err != nil {
		return unavailable("write list "+id, err)
	}
	t.mu.Lock()
	t.cache[id] = list
	t.mu.Unlock()
	return nil
}
