package broadcastfault_test

import (
	"testing"
	"testing/synctest"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"

	"github.com/glomers/glomers/solutions/broadcastfault"
	"github.com/glomers/glomers/solutions/soltest"
)

// What is not acknowledged is sent again, all of it in one message, until
// it is; what is acknowledged is not.
func TestRetryUntilAcknowledged(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := soltest.Start(t, func(n *maelstrom.Node) { broadcastfault.Start(t.Context(), n) })
		n.Init("n0", "n0", "n1", "n2")
		n.Call("c0", `{"type":"topology","msg_id":1,"topology":{"n0":["n1","n2"]}}`)
		n.Call("c1", `{"type":"broadcast","msg_id":2,"message":1}`)
		n.Call("c1", `{"type":"broadcast","msg_id":3,"message":2}`)
		for range 4 { // each value, once to each neighbour
			n.Recv()
		}
		n.Send("n1", `{"type":"gossip_ok","messages":[1,2]}`)
		n.Send("n2", `{"type":"gossip_ok","messages":[1]}`)
		time.Sleep(600 * time.Millisecond) // past one retry interval
		retry := n.Recv()
		if retry.Dest != "n2" {
			t.Fatalf("retry went to %s, want only n2: %v", retry.Dest, retry)
		}
		soltest.AssertBody(t, retry, `{"type":"gossip","messages":[2]}`)
	})
}

// A gossip is acknowledged with exactly its values, new or not.
func TestGossipIsAcknowledged(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := soltest.Start(t, func(n *maelstrom.Node) { broadcastfault.Start(t.Context(), n) })
		n.Init("n0", "n0", "n1")
		n.Call("c0", `{"type":"topology","msg_id":1,"topology":{"n0":["n1"]}}`)
		n.Send("n1", `{"type":"gossip","messages":[4,9]}`)
		ack := n.Recv()
		if ack.Dest != "n1" {
			t.Fatalf("ack went to %s", ack.Dest)
		}
		soltest.AssertBody(t, ack, `{"type":"gossip_ok","messages":[4,9]}`)
		soltest.AssertBody(t, n.Call("c1", `{"type":"read","msg_id":2}`), `{"type":"read_ok","in_reply_to":2,"messages":[4,9]}`)
	})
}
