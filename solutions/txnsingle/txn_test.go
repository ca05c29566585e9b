package txnsingle_test

import (
	"fmt"
	"testing"
	"testing/synctest"

	"github.com/glomers/glomers/solutions/soltest"
	"github.com/glomers/glomers/solutions/txnsingle"
)

func TestTxnSingle(t *testing.T) {
	// txn-rw-register: a key never written reads as null.
	t.Run("read of a fresh key is null", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := soltest.Start(t, txnsingle.Register)
			n.Init("n0", "n0")
			reply := n.Call("c1", `{"type":"txn","msg_id":1,"txn":[["r",1,null]]}`)
			soltest.AssertBody(t, reply, `{"type":"txn_ok","in_reply_to":1,"txn":[["r",1,null]]}`)
		})
	})

	// A transaction sees its own writes, in order, and a later one sees
	// the last of them.
	t.Run("reads see writes", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := soltest.Start(t, txnsingle.Register)
			n.Init("n0", "n0")
			reply := n.Call("c1", `{"type":"txn","msg_id":1,"txn":[["w",1,1],["r",1,null],["w",1,2],["r",2,null]]}`)
			soltest.AssertBody(t, reply, `{"type":"txn_ok","in_reply_to":1,"txn":[["w",1,1],["r",1,1],["w",1,2],["r",2,null]]}`)
			reply = n.Call("c2", `{"type":"txn","msg_id":1,"txn":[["r",1,null]]}`)
			soltest.AssertBody(t, reply, `{"type":"txn_ok","in_reply_to":1,"txn":[["r",1,2]]}`)
		})
	})

	// Atomicity under concurrent handlers: every transaction writes the
	// same value to keys 1 and 2 and reads both first. Were two to
	// interleave, one would read two different values.
	t.Run("concurrent transactions do not interleave", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := soltest.Start(t, txnsingle.Register)
			n.Init("n0", "n0")
			const txns = 200
			for i := 1; i <= txns; i++ {
				n.Send("c1", fmt.Sprintf(`{"type":"txn","msg_id":%d,"txn":[["r",1,null],["r",2,null],["w",1,%d],["w",2,%d]]}`, i, i, i))
			}
			for range txns {
				body := soltest.Body(t, n.Recv())
				ops, ok := body["txn"].([]any)
				if body["type"] != "txn_ok" || !ok || len(ops) != 4 {
					t.Fatalf("reply %v, want txn_ok with four micro-ops", body)
				}
				r1, r2 := ops[0].([]any)[2], ops[1].([]any)[2]
				if r1 != r2 {
					t.Errorf("a transaction read key 1 = %v and key 2 = %v: it saw another half done", r1, r2)
				}
			}
		})
	})

	// A malformed request is a definite error (12), so the client knows
	// nothing happened.
	t.Run("malformed micro-op", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := soltest.Start(t, txnsingle.Register)
			n.Init("n0", "n0")
			reply := n.Call("c1", `{"type":"txn","msg_id":1,"txn":[["x",1,null]]}`)
			body := soltest.Body(t, reply)
			if body["type"] != "error" || fmt.Sprint(body["code"]) != "12" {
				t.Errorf("reply %s, want error code 12", reply.Body)
			}
		})
	})
}
