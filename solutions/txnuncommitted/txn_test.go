package txnuncommitted_test

import (
	"testing"
	"testing/synctest"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"

	"github.com/glomers/glomers/solutions/soltest"
	"github.com/glomers/glomers/solutions/txnuncommitted"
)

// start runs the solution until the test ends; t.Context is cancelled
// before cleanups run, so the retry loop is gone when the node stops.
func start(t *testing.T, id string, ids ...string) *soltest.Node {
	n := soltest.Start(t, func(n *maelstrom.Node) { txnuncommitted.Start(t.Context(), n) })
	n.Init(id, ids...)
	return n
}

func TestTxnUncommitted(t *testing.T) {
	// Total availability: the reply comes first, with the node's own
	// view; the writes then go to every peer, all of them, in order.
	t.Run("reply, then replicate every write", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := start(t, "n0", "n0", "n1")
			reply := n.Call("c1", `{"type":"txn","msg_id":1,"txn":[["w",1,1],["r",1,null],["w",1,2]]}`)
			soltest.AssertBody(t, reply, `{"type":"txn_ok","in_reply_to":1,"txn":[["w",1,1],["r",1,1],["w",1,2]]}`)
			rep := n.Recv()
			if rep.Dest != "n1" {
				t.Fatalf("sent to %s, want n1", rep.Dest)
			}
			soltest.AssertBody(t, rep, `{"type":"replicate","txns":[{"id":"n0-1","clock":1,"writes":[[1,1],[1,2]]}]}`)
		})
	})

	// A peer's writes become visible, and are acknowledged by id.
	t.Run("apply and acknowledge", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := start(t, "n0", "n0", "n1")
			n.Send("n1", `{"type":"replicate","txns":[{"id":"n1-1","clock":3,"writes":[[5,1]]}]}`)
			soltest.AssertBody(t, n.Recv(), `{"type":"replicate_ok","ids":["n1-1"]}`)
			reply := n.Call("c1", `{"type":"txn","msg_id":1,"txn":[["r",5,null],["w",5,2]]}`)
			soltest.AssertBody(t, reply, `{"type":"txn_ok","in_reply_to":1,"txn":[["r",5,1],["w",5,2]]}`)
			// Lamport: the node has seen clock 3, so its write is at 4
			// and wins over the write it read.
			soltest.AssertBody(t, n.Recv(), `{"type":"replicate","txns":[{"id":"n0-1","clock":4,"writes":[[5,2]]}]}`)
		})
	})

	// Read uncommitted forbids G0: replicas must order concurrent writes
	// alike. Two writes to key 1 at the same clock arrive at two nodes in
	// opposite orders; both keep n2's, the higher version.
	t.Run("arrival order does not matter", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			a := `{"type":"replicate","txns":[{"id":"n1-1","clock":1,"writes":[[1,10]]}]}`
			b := `{"type":"replicate","txns":[{"id":"n2-1","clock":1,"writes":[[1,20]]}]}`
			for i, order := range [][2]string{{a, b}, {b, a}} {
				n := start(t, "n0", "n0", "n1", "n2")
				srcs := map[string]string{a: "n1", b: "n2"}
				for _, m := range order {
					n.Send(srcs[m], m)
					n.Recv() // replicate_ok
				}
				reply := n.Call("c1", `{"type":"txn","msg_id":1,"txn":[["r",1,null]]}`)
				soltest.AssertBody(t, reply, `{"type":"txn_ok","in_reply_to":1,"txn":[["r",1,20]]}`)
				if t.Failed() {
					t.Fatalf("order %d", i)
				}
			}
		})
	})

	// A stale write that arrives late, or twice, changes nothing.
	t.Run("older and repeated writes lose", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := start(t, "n0", "n0", "n1")
			n.Send("n1", `{"type":"replicate","txns":[{"id":"n1-2","clock":7,"writes":[[1,2]]}]}`)
			n.Recv()
			n.Send("n1", `{"type":"replicate","txns":[{"id":"n1-1","clock":6,"writes":[[1,1]]}]}`)
			n.Recv()
			reply := n.Call("c1", `{"type":"txn","msg_id":1,"txn":[["r",1,null],["w",1,3]]}`)
			soltest.AssertBody(t, reply, `{"type":"txn_ok","in_reply_to":1,"txn":[["r",1,2],["w",1,3]]}`)
			n.Recv() // the replicate of key 1 = 3, at clock 8
			n.Send("n1", `{"type":"replicate","txns":[{"id":"n1-2","clock":7,"writes":[[1,2]]}]}`)
			soltest.AssertBody(t, n.Recv(), `{"type":"replicate_ok","ids":["n1-2"]}`)
			reply = n.Call("c1", `{"type":"txn","msg_id":2,"txn":[["r",1,null]]}`)
			soltest.AssertBody(t, reply, `{"type":"txn_ok","in_reply_to":2,"txn":[["r",1,3]]}`)
		})
	})

	// Maelstrom's partitions drop messages: a transaction is sent again
	// every retry interval until acknowledged, and then no more.
	t.Run("retry until acknowledged", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := start(t, "n0", "n0", "n1")
			n.Call("c1", `{"type":"txn","msg_id":1,"txn":[["w",1,1]]}`)
			first := `{"type":"replicate","txns":[{"id":"n0-1","clock":1,"writes":[[1,1]]}]}`
			soltest.AssertBody(t, n.Recv(), first) // lost, say
			soltest.AssertBody(t, n.Recv(), first) // the retry
			n.Send("n1", `{"type":"replicate_ok","ids":["n0-1"]}`)
			synctest.Wait()
			time.Sleep(2 * time.Second)
			n.Call("c1", `{"type":"txn","msg_id":2,"txn":[["w",1,2]]}`)
			// The next message carries the new transaction only.
			soltest.AssertBody(t, n.Recv(), `{"type":"replicate","txns":[{"id":"n0-2","clock":2,"writes":[[1,2]]}]}`)
		})
	})
}
