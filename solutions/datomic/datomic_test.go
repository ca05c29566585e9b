package datomic_test

import (
	"fmt"
	"testing"
	"testing/synctest"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"

	"github.com/glomers/glomers/solutions/datomic"
	"github.com/glomers/glomers/solutions/soltest"
)

// kv plays lin-kv: it takes the node's next message, checks that it is
// the request want (the body without msg_id, as fmt prints a map), and
// answers with reply, a JSON object without in_reply_to.
func kv(t *testing.T, n *soltest.Node, want, reply string) {
	t.Helper()
	m := n.Recv()
	if m.Dest != "lin-kv" {
		t.Fatalf("sent to %s, want lin-kv: %s", m.Dest, m.Body)
	}
	body := soltest.Body(t, m)
	id := body["msg_id"]
	delete(body, "msg_id")
	if got := fmt.Sprint(body); got != want {
		t.Fatalf("request %s, want %s", got, want)
	}
	n.Send("lin-kv", fmt.Sprintf(`{"in_reply_to":%v,%s`, id, reply[1:]))
}

const noRoot = `{"type":"error","code":20,"text":"key does not exist"}`

// The whole database in the root: one read, one swap. The first
// transaction finds no root and creates it; reads see the transaction's
// own appends.
func TestWholeTree(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := soltest.Start(t, datomic.RegisterWholeTree)
		n.Init("n0", "n0", "n1")
		n.Send("c1", `{"type":"txn","msg_id":1,"txn":[["r",1,null],["append",1,5],["append",1,6],["r",1,null],["r",2,null]]}`)
		kv(t, n, "map[key:root type:read]", noRoot)
		kv(t, n, "map[create_if_not_exists:true from:<nil> key:root to:map[1:[5 6]] type:cas]", `{"type":"cas_ok"}`)
		soltest.AssertBody(t, n.Recv(), `{"type":"txn_ok","in_reply_to":1,"txn":[["r",1,null],["append",1,5],["append",1,6],["r",1,[5,6]],["r",2,null]]}`)

		n.Send("c1", `{"type":"txn","msg_id":2,"txn":[["append",2,7]]}`)
		kv(t, n, "map[key:root type:read]", `{"type":"read_ok","value":{"1":[5,6]}}`)
		kv(t, n, "map[create_if_not_exists:true from:map[1:[5 6]] key:root to:map[1:[5 6] 2:[7]] type:cas]", `{"type":"cas_ok"}`)
		soltest.AssertBody(t, n.Recv(), `{"type":"txn_ok","in_reply_to":2,"txn":[["append",2,7]]}`)

		// A transaction that only reads swaps nothing.
		n.Send("c1", `{"type":"txn","msg_id":3,"txn":[["r",2,null],["r",1,null]]}`)
		kv(t, n, "map[key:root type:read]", `{"type":"read_ok","value":{"1":[5,6],"2":[7]}}`)
		soltest.AssertBody(t, n.Recv(), `{"type":"txn_ok","in_reply_to":3,"txn":[["r",2,[7]],["r",1,[5,6]]]}`)
	})
}

// The reference: lists under ids of their own. A lost swap runs the
// transaction again from the new root, reads included, and the lists it
// already read come from the cache; the list it wrote under n0-1 is left
// behind, unnamed.
func TestThunksRetryALostSwap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := soltest.Start(t, datomic.Register)
		n.Init("n0", "n0", "n1")
		n.Send("c1", `{"type":"txn","msg_id":1,"txn":[["append",1,6],["r",2,null]]}`)
		kv(t, n, "map[key:root type:read]", `{"type":"read_ok","value":{"1":"n1-1"}}`)
		kv(t, n, "map[key:n1-1 type:read]", `{"type":"read_ok","value":[5]}`)
		kv(t, n, "map[key:n0-1 type:write value:[5 6]]", `{"type":"write_ok"}`)
		kv(t, n, "map[create_if_not_exists:true from:map[1:n1-1] key:root to:map[1:n0-1] type:cas]", `{"type":"error","code":22,"text":"current value is not"}`)
		// n1 appended to key 2 in between.
		kv(t, n, "map[key:root type:read]", `{"type":"read_ok","value":{"1":"n1-1","2":"n1-2"}}`)
		kv(t, n, "map[key:n1-2 type:read]", `{"type":"read_ok","value":[9]}`)
		kv(t, n, "map[key:n0-2 type:write value:[5 6]]", `{"type":"write_ok"}`)
		kv(t, n, "map[create_if_not_exists:true from:map[1:n1-1 2:n1-2] key:root to:map[1:n0-2 2:n1-2] type:cas]", `{"type":"cas_ok"}`)
		soltest.AssertBody(t, n.Recv(), `{"type":"txn_ok","in_reply_to":1,"txn":[["append",1,6],["r",2,[9]]]}`)
	})
}

// A transaction that only reads swaps nothing, and lists already seen are
// not read again: n0-1, the list this node wrote, is in its cache.
func TestThunksReadOnly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := soltest.Start(t, datomic.Register)
		n.Init("n0", "n0", "n1")
		n.Send("c1", `{"type":"txn","msg_id":1,"txn":[["append",1,6]]}`)
		kv(t, n, "map[key:root type:read]", noRoot)
		kv(t, n, "map[key:n0-1 type:write value:[6]]", `{"type":"write_ok"}`)
		kv(t, n, "map[create_if_not_exists:true from:<nil> key:root to:map[1:n0-1] type:cas]", `{"type":"cas_ok"}`)
		soltest.AssertBody(t, n.Recv(), `{"type":"txn_ok","in_reply_to":1,"txn":[["append",1,6]]}`)

		n.Send("c1", `{"type":"txn","msg_id":2,"txn":[["r",1,null],["r",3,null]]}`)
		kv(t, n, "map[key:root type:read]", `{"type":"read_ok","value":{"1":"n0-1"}}`)
		soltest.AssertBody(t, n.Recv(), `{"type":"txn_ok","in_reply_to":2,"txn":[["r",1,[6]],["r",3,null]]}`)
	})
}

// A cached list is shared by every transaction that reads it; an append
// must copy it. Here two transactions on one node start from the same
// cached list, [1 2 3 4 5], which JSON decoding gave room to grow. Were
// the second to append in place, its 7 would overwrite the 6 in the
// first's list, which the node keeps as n0-1 in its cache, and the
// second's retry would build on [1 2 3 4 5 7].
func TestThunksDoNotChangeCachedLists(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := soltest.Start(t, datomic.Register)
		n.Init("n0", "n0", "n1")
		n.Send("c1", `{"type":"txn","msg_id":1,"txn":[["append",1,6]]}`)
		kv(t, n, "map[key:root type:read]", `{"type":"read_ok","value":{"1":"n1-1"}}`)
		kv(t, n, "map[key:n1-1 type:read]", `{"type":"read_ok","value":[1,2,3,4,5]}`)
		w1 := n.Recv() // the first's write of n0-1, answered below
		n.Send("c2", `{"type":"txn","msg_id":1,"txn":[["append",1,7]]}`)
		kv(t, n, "map[key:root type:read]", `{"type":"read_ok","value":{"1":"n1-1"}}`)
		kv(t, n, "map[key:n0-2 type:write value:[1 2 3 4 5 7]]", `{"type":"write_ok"}`)
		c2 := n.Recv() // the second's swap, answered below
		n.Send("lin-kv", fmt.Sprintf(`{"type":"write_ok","in_reply_to":%v}`, soltest.Body(t, w1)["msg_id"]))
		kv(t, n, "map[create_if_not_exists:true from:map[1:n1-1] key:root to:map[1:n0-1] type:cas]", `{"type":"cas_ok"}`)
		soltest.AssertBody(t, n.Recv(), `{"type":"txn_ok","in_reply_to":1,"txn":[["append",1,6]]}`)
		n.Send("lin-kv", fmt.Sprintf(`{"type":"error","code":22,"text":"changed","in_reply_to":%v}`, soltest.Body(t, c2)["msg_id"]))
		kv(t, n, "map[key:root type:read]", `{"type":"read_ok","value":{"1":"n0-1"}}`)
		kv(t, n, "map[key:n0-3 type:write value:[1 2 3 4 5 6 7]]", `{"type":"write_ok"}`)
		kv(t, n, "map[create_if_not_exists:true from:map[1:n0-1] key:root to:map[1:n0-3] type:cas]", `{"type":"cas_ok"}`)
		soltest.AssertBody(t, n.Recv(), `{"type":"txn_ok","in_reply_to":1,"txn":[["append",1,7]]}`)
	})
}

// A swap whose answer never comes may have happened: the client must get
// an indefinite error (crash), never a definite one, and certainly not a
// retry, which could append twice. A failure before the swap is definite.
func TestOutcomes(t *testing.T) {
	t.Run("swap unanswered", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := soltest.Start(t, datomic.Register)
			n.Init("n0", "n0", "n1")
			n.Send("c1", `{"type":"txn","msg_id":1,"txn":[["append",1,6]]}`)
			kv(t, n, "map[key:root type:read]", noRoot)
			kv(t, n, "map[key:n0-1 type:write value:[6]]", `{"type":"write_ok"}`)
			if m := n.Recv(); m.Type() != "cas" {
				t.Fatalf("sent %s, want the swap", m.Body)
			}
			reply := soltest.Body(t, n.Recv())
			if !isError(reply, maelstrom.Crash) {
				t.Fatalf("reply %v, want error code %d (crash: outcome unknown)", reply, maelstrom.Crash)
			}
		})
	})
	t.Run("root unreadable", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := soltest.Start(t, datomic.Register)
			n.Init("n0", "n0", "n1")
			n.Send("c1", `{"type":"txn","msg_id":1,"txn":[["append",1,6]]}`)
			kv(t, n, "map[key:root type:read]", `{"type":"error","code":11,"text":"busy"}`)
			reply := soltest.Body(t, n.Recv())
			if !isError(reply, maelstrom.TemporarilyUnavailable) {
				t.Fatalf("reply %v, want error code %d (the transaction did not happen)", reply, maelstrom.TemporarilyUnavailable)
			}
		})
	})
	t.Run("every race lost", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := soltest.Start(t, datomic.RegisterWholeTree)
			n.Init("n0", "n0", "n1")
			n.Send("c1", `{"type":"txn","msg_id":1,"txn":[["append",1,6]]}`)
			for i := 0; ; i++ {
				m := n.Recv()
				body := soltest.Body(t, m)
				if m.Dest == "c1" {
					if !isError(body, maelstrom.TxnConflict) {
						t.Fatalf("reply %v, want error code %d (txn-conflict)", body, maelstrom.TxnConflict)
					}
					if i < 4 {
						t.Fatalf("gave up after %d messages, want a few retries first", i)
					}
					return
				}
				// Every read finds a newer root, and every swap fails.
				switch body["type"] {
				case "read":
					n.Send("lin-kv", fmt.Sprintf(`{"type":"read_ok","in_reply_to":%v,"value":{"2":[%d]}}`, body["msg_id"], i))
				case "cas":
					n.Send("lin-kv", fmt.Sprintf(`{"type":"error","code":22,"text":"changed","in_reply_to":%v}`, body["msg_id"]))
				default:
					t.Fatalf("sent %v", body)
				}
			}
		})
	})
}

// Bad input is answered, not ignored.
func TestMalformed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := soltest.Start(t, datomic.Register)
		n.Init("n0", "n0")
		reply := soltest.Body(t, n.Call("c1", `{"type":"txn","msg_id":1,"txn":[["w",1,2]]}`))
		if !isError(reply, maelstrom.MalformedRequest) {
			t.Fatalf("reply %v, want malformed-request", reply)
		}
	})
}

// isError says whether body is an error reply with the given code.
func isError(body map[string]any, code int) bool {
	return body["type"] == "error" && fmt.Sprint(body["code"]) == fmt.Sprint(code)
}
