package broadcastsingle_test

import (
	"testing"
	"testing/synctest"

	"github.com/glomers/glomers/solutions/broadcastsingle"
	"github.com/glomers/glomers/solutions/soltest"
)

func TestBroadcastSingle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := soltest.Start(t, broadcastsingle.Register)
		n.Init("n0", "n0")
		soltest.AssertBody(t, n.Call("c1", `{"type":"topology","msg_id":1,"topology":{"n0":[]}}`), `{"type":"topology_ok","in_reply_to":1}`)
		soltest.AssertBody(t, n.Call("c1", `{"type":"read","msg_id":2}`), `{"type":"read_ok","in_reply_to":2,"messages":[]}`)
		for i, v := range []string{"7", "3", "7"} {
			soltest.AssertBody(t, n.Call("c2", `{"type":"broadcast","msg_id":`+string(rune('1'+i))+`,"message":`+v+`}`),
				`{"type":"broadcast_ok","in_reply_to":`+string(rune('1'+i))+`}`)
		}
		// A value broadcast twice is held once, in arrival order.
		soltest.AssertBody(t, n.Call("c1", `{"type":"read","msg_id":3}`), `{"type":"read_ok","in_reply_to":3,"messages":[7,3]}`)
	})
}
