package echo_test

import (
	"strings"
	"testing"
	"testing/synctest"

	"github.com/glomers/glomers/solutions/echo"
	"github.com/glomers/glomers/solutions/soltest"
)

func TestEcho(t *testing.T) {
	t.Run("init", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := soltest.Start(t, echo.Register)
			n.Init("n0", "n0") // fails the test unless the reply is init_ok
		})
	})

	t.Run("echo", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := soltest.Start(t, echo.Register)
			n.Init("n0", "n0")
			// The request as the challenge page shows it.
			reply := n.Call("c1", `{"type":"echo","msg_id":1,"echo":"Please echo 35"}`)
			if reply.Src != "n0" || reply.Dest != "c1" {
				t.Errorf("reply went %s->%s, want n0->c1", reply.Src, reply.Dest)
			}
			soltest.AssertBody(t, reply, `{"type":"echo_ok","in_reply_to":1,"echo":"Please echo 35"}`)
		})
	})

	t.Run("echo/any JSON value comes back unchanged", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := soltest.Start(t, echo.Register)
			n.Init("n0", "n0")
			reply := n.Call("c1", `{"type":"echo","msg_id":7,"echo":{"n":-12.5,"list":[1,"two",null,true]}}`)
			soltest.AssertBody(t, reply, `{"type":"echo_ok","in_reply_to":7,"echo":{"n":-12.5,"list":[1,"two",null,true]}}`)
		})
	})

	// A trap of the Maelstrom Go library: Reply (and RPC) re-decode the
	// body into map[string]any to add in_reply_to, so every number goes
	// through float64. 2^53+1 is the first integer a float64 cannot hold.
	t.Run("echo/library rounds integers beyond 2^53", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := soltest.Start(t, echo.Register)
			n.Init("n0", "n0")
			reply := n.Call("c1", `{"type":"echo","msg_id":1,"echo":9007199254740993}`)
			soltest.AssertBody(t, reply, `{"type":"echo_ok","in_reply_to":1,"echo":9007199254740992}`)
		})
	})

	// A trap of the Maelstrom Go library worth knowing: a message type
	// with no handler stops the whole node.
	t.Run("unknown type stops the node", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := soltest.Start(t, echo.Register)
			n.Init("n0", "n0")
			n.Send("c1", `{"type":"generate","msg_id":2}`)
			err := n.Stop()
			if err == nil || !strings.Contains(err.Error(), "No handler") {
				t.Fatalf("Stop() = %v, want the library's No handler error", err)
			}
		})
	})
}
