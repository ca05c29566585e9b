package datomic

import (
	"context"
	"encoding/json"
	"maps"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// wholeTree keeps the whole database in the root: a JSON object from each
// key (as a string, JSON's only kind of object key) to its list.
type wholeTree struct {
	kv *maelstrom.KV
}

// attempt reads the database, applies txn to a copy and swaps the root
// from the old database to the new one. A transaction that only reads
// needs no swap: the root it read was current at the moment lin-kv
// answered, which lies within the transaction's lifetime.
func (w wholeTree) attempt(ctx context.Context, txn []Op) ([]Op, error) {
	raw, err := readRoot(ctx, w.kv)
	if err != nil {
		return nil, err
	}
	db := map[int][]int{}
	if raw != nil {
		if err := json.Unmarshal(raw, &db); err != nil {
			return nil, maelstrom.NewRPCError(maelstrom.Abort, "the root is not a database: "+err.Error())
		}
	}
	done, writes, err := apply(txn, func(k int) ([]int, error) { return db[k], nil })
	if err != nil || len(writes) == 0 {
		return done, err
	}
	next := maps.Clone(db)
	for _, w := range writes {
		next[w.key] = w.list
	}
	return done, swapRoot(ctx, w.kv, raw, next)
}
