package txncommitted_test

import (
	"fmt"
	"testing"
	"testing/synctest"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"

	"github.com/glomers/glomers/solutions/soltest"
	"github.com/glomers/glomers/solutions/txncommitted"
)

// start runs the solution until the test ends; t.Context is cancelled
// before cleanups run, so the retry loop is gone when the node stops.
func start(t *testing.T, id string, ids ...string) *soltest.Node {
	n := soltest.Start(t, func(n *maelstrom.Node) { txncommitted.Start(t.Context(), n) })
	n.Init(id, ids...)
	return n
}

func TestTxnCommitted(t *testing.T) {
	// A transaction reads its own writes from its buffer.
	t.Run("own writes", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := start(t, "n0", "n0")
			reply := n.Call("c1", `{"type":"txn","msg_id":1,"txn":[["r",1,null],["w",1,1],["r",1,null],["w",1,2],["r",1,null]]}`)
			soltest.AssertBody(t, reply, `{"type":"txn_ok","in_reply_to":1,"txn":[["r",1,null],["w",1,1],["r",1,1],["w",1,2],["r",1,2]]}`)
		})
	})

	// Adya G1b (intermediate read): a peer must never see 1, which the
	// writer overwrote before committing. Only the final value travels,
	// once per key, in the order the keys were first written.
	t.Run("replicate final values only", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := start(t, "n0", "n0", "n1")
			n.Call("c1", `{"type":"txn","msg_id":1,"txn":[["w",3,1],["w",2,1],["w",3,2]]}`)
			soltest.AssertBody(t, n.Recv(), `{"type":"replicate","txns":[{"id":"n0-1","clock":1,"writes":[[3,2],[2,1]]}]}`)
		})
	})

	// A transaction that only reads has nothing to replicate: the next
	// message is the second transaction's.
	t.Run("read-only sends nothing", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := start(t, "n0", "n0", "n1")
			n.Call("c1", `{"type":"txn","msg_id":1,"txn":[["r",1,null]]}`)
			n.Call("c1", `{"type":"txn","msg_id":2,"txn":[["w",1,1]]}`)
			soltest.AssertBody(t, n.Recv(), `{"type":"replicate","txns":[{"id":"n0-2","clock":2,"writes":[[1,1]]}]}`)
		})
	})

	// A replicated transaction is installed in one step: concurrent
	// readers of keys 1 and 2, which each replicated transaction writes
	// with one value, never see one key updated and not the other.
	t.Run("replicated transactions are atomic", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := start(t, "n0", "n0", "n1")
			const txns = 100
			for i := 1; i <= txns; i++ {
				n.Send("n1", fmt.Sprintf(`{"type":"replicate","txns":[{"id":"n1-%d","clock":%d,"writes":[[1,%d],[2,%d]]}]}`, i, i, i, i))
				n.Send("c1", fmt.Sprintf(`{"type":"txn","msg_id":%d,"txn":[["r",1,null],["r",2,null]]}`, i))
			}
			for range 2 * txns {
				body := soltest.Body(t, n.Recv())
				if body["type"] != "txn_ok" {
					continue
				}
				ops := body["txn"].([]any)
				if r1, r2 := ops[0].([]any)[2], ops[1].([]any)[2]; r1 != r2 {
					t.Errorf("read key 1 = %v and key 2 = %v: a replicated transaction was seen half applied", r1, r2)
				}
			}
		})
	})

	// The same last-writer-wins rule as step 6b: the higher version wins
	// whatever the arrival order.
	t.Run("arrival order does not matter", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := start(t, "n0", "n0", "n1", "n2")
			n.Send("n2", `{"type":"replicate","txns":[{"id":"n2-1","clock":4,"writes":[[1,20]]}]}`)
			n.Recv()
			n.Send("n1", `{"type":"replicate","txns":[{"id":"n1-1","clock":4,"writes":[[1,10]]}]}`)
			n.Recv()
			reply := n.Call("c1", `{"type":"txn","msg_id":1,"txn":[["r",1,null]]}`)
			soltest.AssertBody(t, reply, `{"type":"txn_ok","in_reply_to":1,"txn":[["r",1,20]]}`)
		})
	})
}
