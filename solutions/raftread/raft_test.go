package raftread_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"

	"github.com/glomers/glomers/solutions/raftread"
	"github.com/glomers/glomers/solutions/soltest"
)

// body is the decoded body of one of the node's messages.
type body struct {
	Type         string            `json:"type"`
	MsgID        int               `json:"msg_id"`
	InReplyTo    int               `json:"in_reply_to"`
	Term         int               `json:"term"`
	PrevLogIndex int               `json:"prev_log_index"`
	Entries      []json.RawMessage `json:"entries"`
	Value        any               `json:"value"`
	Code         int               `json:"code"`
}

func decode(t *testing.T, m maelstrom.Message) body {
	t.Helper()
	var b body
	if err := json.Unmarshal(m.Body, &b); err != nil {
		t.Fatalf("body %s: %v", m.Body, err)
	}
	return b
}

// until receives the node's messages until one to dest of type typ, and
// returns it; each message before it goes to skipped, if not nil.
func until(t *testing.T, n *soltest.Node, dest, typ string, skipped func(maelstrom.Message, body)) (maelstrom.Message, body) {
	t.Helper()
	for range 10000 {
		m := n.Recv()
		b := decode(t, m)
		if m.Dest == dest && b.Type == typ {
			return m, b
		}
		if skipped != nil {
			skipped(m, b)
		}
	}
	t.Fatalf("no %s to %s in 10000 messages", typ, dest)
	return maelstrom.Message{}, body{}
}

// leader starts n0 in a cluster of three and makes it the leader of term 2
// with key 1 = 5 committed: n1 votes for it and acknowledges its no-op and
// the write.
func leader(t *testing.T) *soltest.Node {
	n := soltest.Start(t, func(n *maelstrom.Node) { raftread.Start(t.Context(), n) })
	n.Init("n0", "n0", "n1", "n2")
	n.Send("n1", `{"type":"append_entries","msg_id":1,"term":1,"leader_id":"n1","prev_log_index":0,"prev_log_term":0,"entries":[],"leader_commit":0}`)
	_, vote := until(t, n, "n1", "request_vote", nil) // after its election timeout
	if vote.Term != 2 {
		t.Fatalf("stood in term %d, want 2", vote.Term)
	}
	n.Send("n1", fmt.Sprintf(`{"type":"request_vote_res","in_reply_to":%d,"term":2,"vote_granted":true}`, vote.MsgID))
	_, noop := until(t, n, "n1", "append_entries", nil)
	if len(noop.Entries) != 1 {
		t.Fatalf("a new leader sent %d entries, want its no-op", len(noop.Entries))
	}
	n.Send("n1", fmt.Sprintf(`{"type":"append_entries_res","in_reply_to":%d,"term":2,"success":true}`, noop.MsgID))
	n.Send("c1", `{"type":"write","msg_id":1,"key":1,"value":5}`)
	ack := func(m maelstrom.Message, b body) {
		if m.Dest == "n1" && b.Type == "append_entries" {
			n.Send("n1", fmt.Sprintf(`{"type":"append_entries_res","in_reply_to":%d,"term":2,"success":true}`, b.MsgID))
		}
	}
	until(t, n, "c1", "write_ok", ack)
	return n
}

// A read is answered only after a heartbeat round sent after it has been
// answered by a majority, and it never enters the log: the leader's log
// ends at the write (index 2), and every append_entries it sends stays
// empty after it.
func TestReadConfirmsLeadership(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := leader(t)
		n.Send("c2", `{"type":"read","msg_id":1,"key":1}`)
		acked := 0
		_, res := until(t, n, "c2", "read_ok", func(m maelstrom.Message, b body) {
			if m.Dest == "n1" && b.Type == "append_entries" {
				if b.PrevLogIndex != 2 || len(b.Entries) != 0 {
					t.Errorf("append_entries after entry %d with %d entries: the read entered the log", b.PrevLogIndex, len(b.Entries))
				}
				acked++
				n.Send("n1", fmt.Sprintf(`{"type":"append_entries_res","in_reply_to":%d,"term":2,"success":true}`, b.MsgID))
			}
		})
		if res.Value != float64(5) {
			t.Errorf("read %v, want 5", res.Value)
		}
		if acked == 0 {
			t.Error("the read was answered before any heartbeat was answered")
		}
	})
}

// A leader cut off from the others cannot confirm its lead: the read
// waits, and when a higher term deposes the leader, the read fails with
// error 11 rather than return what may be a stale value.
func TestReadOfDeposedLeaderFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := leader(t)
		n.Send("c2", `{"type":"read","msg_id":1,"key":1}`)
		time.Sleep(500 * time.Millisecond) // heartbeats go out; nobody answers
		synctest.Wait()
		n.Send("n2", `{"type":"request_vote","msg_id":1,"term":3,"candidate_id":"n2","last_log_index":0,"last_log_term":0}`)
		_, res := until(t, n, "c2", "error", func(m maelstrom.Message, b body) {
			if m.Dest == "c2" {
				t.Fatalf("the read was answered before the leader was deposed: %s", m.Body)
			}
		})
		if res.Code != maelstrom.TemporarilyUnavailable {
			t.Errorf("error code %d, want 11", res.Code)
		}
	})
}

// A read that arrives before the new leader has committed its no-op
// fails: the leader's commit index may still lag the last leader's.
func TestReadBeforeNoopCommitFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := soltest.Start(t, func(n *maelstrom.Node) { raftread.Start(t.Context(), n) })
		n.Init("n0", "n0", "n1", "n2")
		_, vote := until(t, n, "n1", "request_vote", nil)
		n.Send("n1", fmt.Sprintf(`{"type":"request_vote_res","in_reply_to":%d,"term":%d,"vote_granted":true}`, vote.MsgID, vote.Term))
		until(t, n, "n1", "append_entries", nil) // the no-op, never acknowledged
		res := n.Call("c1", `{"type":"read","msg_id":1,"key":1}`)
		if b := decode(t, res); b.Type != "error" || b.Code != maelstrom.TemporarilyUnavailable {
			t.Errorf("read before the no-op committed: %s, want error 11", res.Body)
		}
	})
}
