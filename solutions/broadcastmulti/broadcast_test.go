package broadcastmulti_test

import (
	"testing"
	"testing/synctest"

	"github.com/glomers/glomers/solutions/broadcastmulti"
	"github.com/glomers/glomers/solutions/soltest"
)

// A new value goes to every neighbour but the one it came from; a value
// seen before goes nowhere, which is what ends the flood.
func TestBroadcastMulti(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := soltest.Start(t, broadcastmulti.Register)
		n.Init("n1", "n0", "n1", "n2", "n3")
		n.Call("c0", `{"type":"topology","msg_id":1,"topology":{"n1":["n0","n2","n3"],"n0":["n1"],"n2":["n1"],"n3":["n1"]}}`)

		soltest.AssertBody(t, n.Call("c1", `{"type":"broadcast","msg_id":2,"message":5}`), `{"type":"broadcast_ok","in_reply_to":2}`)
		got := map[string]bool{}
		for range 3 {
			m := n.Recv()
			soltest.AssertBody(t, m, `{"type":"gossip","message":5}`)
			got[m.Dest] = true
		}
		if !got["n0"] || !got["n2"] || !got["n3"] {
			t.Fatalf("gossip went to %v, want n0, n2 and n3", got)
		}

		n.Send("n2", `{"type":"gossip","message":6}`)
		for range 2 {
			if m := n.Recv(); m.Dest == "n2" {
				t.Fatalf("gossip went back to its sender: %v", m)
			}
		}
		n.Send("n0", `{"type":"gossip","message":6}`) // seen: no more gossip
		n.Send("c1", `{"type":"read","msg_id":3}`)
		// The very next line is the read's reply, not more gossip.
		soltest.AssertBody(t, n.Recv(), `{"type":"read_ok","in_reply_to":3,"messages":[5,6]}`)
	})
}
