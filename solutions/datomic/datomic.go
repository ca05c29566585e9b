// Package datomic is the reference solution to step 7c, "Datomic-Style
// Transactions", after chapter 5 of Maelstrom's own tutorial: transactions
// of list appends and reads, strict serializable, on nodes that keep
// nothing of their own but a cache and share only lin-kv, a linearizable
// key-value store.
//
// The lesson is that one linearizable compare-and-swap is enough for
// arbitrary transactions. The database is an immutable value; a single
// lin-kv key, the root, names the current one. A transaction reads the
// root, computes a new database from it without touching the old one, and
// swaps the root from the value it read to the new one. A swap that
// succeeds is the moment the transaction happens; one that fails means
// another transaction happened first and nothing of this one is visible,
// so it runs again from the new root.
//
// Two layouts of the database are here. wholeTree keeps every list in the
// root itself: two round trips to lin-kv per transaction, but three of
// the four messages carry the whole database. thunkTree, the one Register
// uses, keeps each list under its own key, written once and never
// changed, and the root holds only which key holds which list: more
// messages, fewer bytes, and a list a node has seen once need never be
// read again.
package datomic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// rootKey is the lin-kv key that names the current database.
const rootKey = "root"

// txnTimeout bounds one client transaction, retries included. Past it a
// transaction that lost every race gives up with txn-conflict, which
// tells the client it did not happen.
const txnTimeout = time.Second

// Op is one micro-operation, a JSON array [f, key, value]: ["append", 1,
// 6] appends 6 to key 1's list, ["r", 1, null] asks for that list and
// ["r", 1, [3, 6]] is the answer.
type Op struct {
	F   string
	Key int
	// Elem is an append's value.
	Elem int
	// List is a read's answer; nil (JSON null) before the read, and for a
	// key nobody appended to.
	List []int
}

// UnmarshalJSON reads the [f, key, value] array.
func (o *Op) UnmarshalJSON(b []byte) error {
	var a []json.RawMessage
	if err := json.Unmarshal(b, &a); err != nil || len(a) != 3 {
		return fmt.Errorf("micro-op %s is not [f, key, value]", b)
	}
	if err := json.Unmarshal(a[0], &o.F); err != nil || (o.F != "r" && o.F != "append") {
		return fmt.Errorf("micro-op %s: function is not \"r\" or \"append\"", b)
	}
	if err := json.Unmarshal(a[1], &o.Key); err != nil {
		return fmt.Errorf("micro-op %s: key is not an integer", b)
	}
	if o.F == "append" {
		if err := json.Unmarshal(a[2], &o.Elem); err != nil {
			return fmt.Errorf("micro-op %s: appended value is not an integer", b)
		}
	}
	return nil
}

// MarshalJSON writes the [f, key, value] array.
func (o Op) MarshalJSON() ([]byte, error) {
	if o.F == "append" {
		return json.Marshal([]any{o.F, o.Key, o.Elem})
	}
	return json.Marshal([]any{o.F, o.Key, o.List})
}

// A layout is one way of keeping the database in lin-kv. attempt runs a
// transaction once, against the root as it is when attempt reads it, and
// returns errConflict when another transaction changed the root first.
type layout interface {
	attempt(ctx context.Context, txn []Op) ([]Op, error)
}

// errConflict is a lost compare-and-swap of the root: the attempt changed
// nothing anybody can see.
var errConflict = errors.New("the root changed since it was read")

// Register installs the txn handler on n, with each list in lin-kv under
// a key of its own.
func Register(n *maelstrom.Node) {
	register(n, newThunkTree(n, maelstrom.NewLinKV(n)))
}

// RegisterWholeTree installs the txn handler on n with the whole database
// in the root: the chapter's first version, kept so that its cost can be
// measured against Register's.
func RegisterWholeTree(n *maelstrom.Node) {
	register(n, wholeTree{kv: maelstrom.NewLinKV(n)})
}

// register installs the txn handler, which runs each transaction on db
// within txnTimeout, retries included.
func register(n *maelstrom.Node, db layout) {
	n.Handle("txn", func(msg maelstrom.Message) error {
		var req struct {
			Txn []Op `json:"txn"`
		}
		if err := json.Unmarshal(msg.Body, &req); err != nil {
			return maelstrom.NewRPCError(maelstrom.MalformedRequest, err.Error())
		}
		ctx, cancel := context.WithTimeout(context.Background(), txnTimeout)
		defer cancel()
		done, err := transact(ctx, db, req.Txn)
		if err != nil {
			return err
		}
		return n.Reply(msg, map[string]any{"type": "txn_ok", "txn": done})
	})
}

// transact runs txn until one attempt commits. A lost swap is retried
// from the start, reads included: the old attempt's reads came from a
// database that is no longer current, and nothing of it was installed.
// A short random pause first lets the racing transactions spread out.
func transact(ctx context.Context, db layout, txn []Op) ([]Op, error) {
	for {
		done, err := db.attempt(ctx, txn)
		if !errors.Is(err, errConflict) {
			return done, err
		}
		select {
		case <-ctx.Done():
			return nil, maelstrom.NewRPCError(maelstrom.TxnConflict, "lost every race for the root")
		case <-time.After(rand.N(5 * time.Millisecond)):
		}
	}
}

// write is a key's new list after a transaction.
type write struct {
	key  int
	list []int
}

// apply runs txn against one database, which it reads through get, and
// returns the completed transaction and the new list of every key it
// appended to, in the order of their first append. It changes nothing:
// lists from get are shared with other transactions, so an append copies.
func apply(txn []Op, get func(key int) ([]int, error)) ([]Op, []write, error) {
	lists := map[int][]int{} // every key this transaction has read or written
	var written []int
	list := func(key int) ([]int, error) {
		if l, ok := lists[key]; ok {
			return l, nil
		}
		l, err := get(key)
		lists[key] = l
		return l, err
	}
	done := make([]Op, len(txn))
	for i, op := range txn {
		l, err := list(op.Key)
		if err != nil {
			return nil, nil, err
		}
		switch op.F {
		case "r":
			op.List = l
		case "append":
			if !slices.Contains(written, op.Key) {
				written = append(written, op.Key)
			}
			// Clip makes append copy rather than write into a shared array.
			lists[op.Key] = append(slices.Clip(l), op.Elem)
		}
		done[i] = op
	}
	writes := make([]write, len(written))
	for i, k := range written {
		writes[i] = write{k, lists[k]}
	}
	return done, writes, nil
}

// readRoot returns the root's value as lin-kv holds it, or nil when no
// transaction has written anything yet.
func readRoot(ctx context.Context, kv *maelstrom.KV) (json.RawMessage, error) {
	var root json.RawMessage
	err := kv.ReadInto(ctx, rootKey, &root)
	if maelstrom.ErrorCode(err) == maelstrom.KeyDoesNotExist {
		return nil, nil
	}
	if err != nil {
		return nil, unavailable("read the root", err)
	}
	return root, nil
}

// swapRoot installs to as the root if the root still holds from, exactly
// as read (nil: no root yet). This is the commit. A swap whose answer
// never came may or may not have happened, so the client must hear "maybe"
// rather than "no".
func swapRoot(ctx context.Context, kv *maelstrom.KV, from json.RawMessage, to any) error {
	err := kv.CompareAndSwap(ctx, rootKey, from, to, true)
	switch {
	case err == nil:
		return nil
	case maelstrom.ErrorCode(err) == maelstrom.PreconditionFailed:
		return errConflict
	default:
		return maelstrom.NewRPCError(maelstrom.Crash, "swap of the root, outcome unknown: "+err.Error())
	}
}

// unavailable is a failure before the commit: the transaction did not
// happen, and the client may be told so.
func unavailable(what string, err error) error {
	return maelstrom.NewRPCError(maelstrom.TemporarilyUnavailable, fmt.Sprintf("could not %s: %v", what, err))
}
