package raftelection_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"testing/synctest"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"

	"github.com/glomers/glomers/solutions/raftelection"
	"github.com/glomers/glomers/solutions/soltest"
)

// follower starts n0 in a cluster of three as a follower of n1 in term 1.
func follower(t *testing.T) *soltest.Node {
	n := soltest.Start(t, func(n *maelstrom.Node) { raftelection.Start(t.Context(), n) })
	n.Init("n0", "n0", "n1", "n2")
	res := n.Call("n1", `{"type":"append_entries","msg_id":1,"term":1,"leader_id":"n1","prev_log_index":0,"prev_log_term":0,"entries":[],"leader_commit":0}`)
	soltest.AssertBody(t, res, `{"type":"append_entries_res","in_reply_to":1,"term":1,"success":true}`)
	return n
}

// A follower passes a client's request to its leader, marked as
// forwarded, and the leader's answer back to the client.
func TestFollowerForwardsToItsLeader(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := follower(t)
		n.Send("c1", `{"type":"write","msg_id":7,"key":1,"value":5}`)
		fwd := n.Recv()
		var body map[string]any
		json.Unmarshal(fwd.Body, &body)
		if fwd.Dest != "n1" || body["type"] != "write" || body["forwarded"] != true {
			t.Fatalf("forwarded %s to %s, want the write to n1, marked forwarded", fwd.Body, fwd.Dest)
		}
		n.Send("n1", fmt.Sprintf(`{"type":"write_ok","in_reply_to":%v}`, body["msg_id"]))
		soltest.AssertBody(t, n.Recv(), `{"type":"write_ok","in_reply_to":7}`)
	})
}

// A request forwarded once is not forwarded again: a node that receives
// one and does not lead answers error 11, so two nodes that each think
// the other leads cannot pass a request back and forth.
func TestForwardedRequestIsNotForwardedAgain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := follower(t)
		res := n.Call("n2", `{"type":"read","msg_id":3,"key":1,"forwarded":true}`)
		var body struct {
			Type string `json:"type"`
			Code int    `json:"code"`
		}
		json.Unmarshal(res.Body, &body)
		if body.Type != "error" || body.Code != maelstrom.TemporarilyUnavailable {
			t.Errorf("answer %s, want error 11", res.Body)
		}
	})
}
