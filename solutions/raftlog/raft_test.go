package raftlog_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"testing/synctest"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"

	"github.com/glomers/glomers/solutions/raftlog"
	"github.com/glomers/glomers/solutions/soltest"
)

// A client whose entry a later leader replaces gets no answer: a copy of
// the entry may survive on another node and be committed later, so error
// 11 ("it did not happen") could be a lie. The node takes the new leader's
// entry in its place.
func TestReplacedEntryLeavesItsClientWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := soltest.Start(t, func(n *maelstrom.Node) { raftlog.Start(t.Context(), n) })
		n.Init("n0", "n0", "n1", "n2")
		// n0 stands in term 1 on its own clock; n1 votes for it.
		var vote struct {
			Type  string `json:"type"`
			MsgID int    `json:"msg_id"`
		}
		for vote.Type != "request_vote" {
			json.Unmarshal(n.Recv().Body, &vote)
		}
		n.Send("n1", fmt.Sprintf(`{"type":"request_vote_res","in_reply_to":%d,"term":1,"vote_granted":true}`, vote.MsgID))
		// Handlers run concurrently, so each message waits for the effect
		// of the one before: n0's first heartbeat says it leads, and its
		// replication of the write says the write is in its log, before
		// n2's message deposes it (else n0 could take the write as a
		// candidate or as n2's follower, and answer it otherwise).
		awaitAppend(n, false)
		n.Send("c1", `{"type":"write","msg_id":1,"key":1,"value":5}`)
		awaitAppend(n, true)
		// n2 leads term 2 and puts its own entry at index 1.
		n.Send("n2", `{"type":"append_entries","msg_id":1,"term":2,"leader_id":"n2","prev_log_index":0,"prev_log_term":0,"entries":[{"term":2,"op":{"type":"write","key":1,"value":6}}],"leader_commit":0}`)
		for m := n.Recv(); m.Type() != "append_entries_res"; m = n.Recv() {
			if m.Dest == "c1" {
				t.Fatalf("c1 got %s before n0 answered n2", m.Body)
			}
		}
		// Once every goroutine has settled, a request from another client
		// is forwarded to n2, the leader n0 now follows; nothing may reach
		// c1 before it.
		synctest.Wait()
		n.Send("c2", `{"type":"read","msg_id":1,"key":1}`)
		for {
			m := n.Recv()
			if m.Dest == "c1" {
				t.Fatalf("c1 got %s, want no answer", m.Body)
			}
			if m.Dest == "n2" && m.Type() == "read" {
				break
			}
		}
	})
}

// awaitAppend reads n's messages up to its next append_entries, one with
// entries if withEntries.
func awaitAppend(n *soltest.Node, withEntries bool) {
	for {
		var app struct {
			Type    string            `json:"type"`
			Entries []json.RawMessage `json:"entries"`
		}
		json.Unmarshal(n.Recv().Body, &app)
		if app.Type == "append_entries" && (len(app.Entries) > 0 || !withEntries) {
			return
		}
	}
}
