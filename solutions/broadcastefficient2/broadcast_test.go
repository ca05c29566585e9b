package broadcastefficient2_test

import (
	"testing"
	"testing/synctest"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"

	"github.com/glomers/glomers/solutions/broadcastefficient2"
	"github.com/glomers/glomers/solutions/soltest"
)

func start(t *testing.T, id string) *soltest.Node {
	n := soltest.Start(t, func(n *maelstrom.Node) { broadcastefficient2.Start(t.Context(), n) })
	n.Init(id, "n0", "n1", "n2")
	return n
}

// A node batches what clients give it and passes it to the hub, n0; what
// comes from the hub it keeps to itself.
func TestNodeSendsToHub(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := start(t, "n1")
		n.Call("c1", `{"type":"broadcast","msg_id":1,"message":1}`)
		n.Call("c1", `{"type":"broadcast","msg_id":2,"message":2}`)
		n.Send("n0", `{"type":"gossip","messages":[3]}`)
		m := n.Recv()
		if m.Dest != "n0" {
			t.Fatalf("sent to %s, want the hub n0", m.Dest)
		}
		soltest.AssertBody(t, m, `{"type":"gossip","messages":[1,2]}`)
		// The next message is the periodic sync, with everything.
		m = n.Recv()
		soltest.AssertBody(t, m, `{"type":"sync","messages":[1,2,3]}`)
	})
}

// The hub passes new values to every other node in one message each.
func TestHubFlushesToAll(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := start(t, "n0")
		n.Send("n1", `{"type":"gossip","messages":[7]}`)
		// The library handles each message in a goroutine of its own;
		// let the gossip land before the broadcast, so the order is 7, 8.
		synctest.Wait()
		n.Call("c1", `{"type":"broadcast","msg_id":1,"message":8}`)
		got := map[string]bool{}
		for range 2 {
			m := n.Recv()
			soltest.AssertBody(t, m, `{"type":"gossip","messages":[7,8]}`)
			got[m.Dest] = true
		}
		if !got["n1"] || !got["n2"] {
			t.Fatalf("flushed to %v, want n1 and n2", got)
		}
	})
}

// Anti-entropy: the hub learns what a syncing node had, and answers with
// what it lacked; a node that lacks nothing gets no answer.
func TestHubAnswersSync(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := start(t, "n0")
		n.Send("n1", `{"type":"gossip","messages":[1,2]}`)
		for range 2 {
			n.Recv() // the flush of 1 and 2
		}
		n.Send("n2", `{"type":"sync","messages":[2,5]}`)
		soltest.AssertBody(t, n.Recv(), `{"type":"sync_ok","messages":[1]}`)
		time.Sleep(time.Second) // 5 is new to the hub: it goes out to all
		for range 2 {
			soltest.AssertBody(t, n.Recv(), `{"type":"gossip","messages":[5]}`)
		}
		n.Send("n1", `{"type":"sync","messages":[1,2,5]}`)
		n.Send("c1", `{"type":"read","msg_id":1}`)
		// The very next line is the read's reply: n1 lacked nothing.
		soltest.AssertBody(t, n.Recv(), `{"type":"read_ok","in_reply_to":1,"messages":[1,2,5]}`)
	})
}
