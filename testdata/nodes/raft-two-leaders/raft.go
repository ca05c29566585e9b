// A copy of solutions/raftelection/raft.go with one rule broken: see main.go.

package main

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"sync"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// The timing of the protocol. Heartbeats must come several times per
// election timeout, so that one late message does not start an election.
// The timeout is drawn anew each time between electionTimeout and twice
// that, so that two followers rarely stand at once and split the vote.
const (
	heartbeatInterval = 100 * time.Millisecond
	electionTimeout   = time.Second
	tick              = 10 * time.Millisecond
)

// role is what a node is in its current term.
type role int

const (
	follower role = iota
	candidate
	leader
)

// entry is one entry of the log: an operation and the term of the leader
// that appended it.
type entry struct {
	Term int             `json:"term"`
	Op   json.RawMessage `json:"op"`
}

// server is one Raft node. One mutex guards everything: handlers and the
// ticker run in goroutines of their own.
type server struct {
	n  *maelstrom.Node
	mu sync.Mutex

	role     role
	term     int    // the latest term this node has seen
	votedFor string // whom it voted for in term, "" for nobody yet
	leader   string // the leader of term, "" while unknown
	log      []entry

	// electionDeadline is when a follower or candidate stands in a new
	// election; hearing from a leader, or granting a vote, pushes it back.
	electionDeadline time.Time
	// stepDownDeadline is when a leader that no majority has answered
	// since gives up: it may be cut off from the others.
	stepDownDeadline time.Time
	lastHeartbeat    time.Time

	votes map[string]bool // as a candidate: who granted a vote this term
	acks  map[string]bool // as a leader: who answered since the last step-down check

	kv kv // the leader's state machine
}

// Start registers the node's handlers and runs its timers until ctx ends.
func Start(ctx context.Context, n *maelstrom.Node) {
	s := &server{n: n, kv: kv{}}
	n.Handle("init", func(maelstrom.Message) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.resetElectionDeadline()
		go s.run(ctx)
		return nil
	})
	n.Handle("request_vote", s.requestVote)
	n.Handle("append_entries", s.appendEntries)
	for _, typ := range []string{"read", "write", "cas"} {
		n.Handle(typ, s.client)
	}
}

// run is the node's clock: every tick it starts an election, sends
// heartbeats or steps down, as the deadlines say.
func (s *server) run(ctx context.Context) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.mu.Lock()
		now := time.Now()
		switch {
		case s.role != leader && now.After(s.electionDeadline):
			s.becomeCandidate()
		case s.role == leader && now.After(s.stepDownDeadline):
			s.checkStepDown()
		case s.role == leader && now.Sub(s.lastHeartbeat) >= heartbeatInterval:
			s.heartbeat()
		}
		s.mu.Unlock()
	}
}

// resetElectionDeadline draws a new election timeout, between
// electionTimeout and twice that.
func (s *server) resetElectionDeadline() {
	d := electionTimeout + rand.N(electionTimeout)
	s.electionDeadline = time.Now().Add(d)
}

// others are the node ids of the cluster but this node's own.
func (s *server) others() []string {
	var ids []string
	for _, id := range s.n.NodeIDs() {
		if id != s.n.ID() {
			ids = append(ids, id)
		}
	}
	return ids
}

// majority is how many nodes, this one included, make a majority.
func (s *server) majority() int {
	return len(s.n.NodeIDs())/2 + 1
}

// last returns the index and term of the last entry of the log, 0 and 0
// when it is empty.
func (s *server) last() (index, term int) {
	if len(s.log) == 0 {
		return 0, 0
	}
	return len(s.log), s.log[len(s.log)-1].Term
}

// maybeStepDown adopts a higher term seen in any message, request or
// reply, and becomes a follower of it with no vote cast yet. It reports
// whether the term was higher.
func (s *server) maybeStepDown(term int) bool {
	if term <= s.term {
		return false
	}
	s.term, s.votedFor, s.leader = term, "", ""
	if s.role != follower {
		s.role = follower
		s.resetElectionDeadline()
	}
	return true
}

// voteRequest is request_vote's body.
type voteRequest struct {
	Term         int    `json:"term"`
	CandidateID  string `json:"candidate_id"`
	LastLogIndex int    `json:"last_log_index"`
	LastLogTerm  int    `json:"last_log_term"`
}

// becomeCandidate starts an election: a new term, a vote for itself, and
// a request for votes to every other node. A candidate that hears of a
// higher term in a reply steps down; one that gathers a majority in its
// own term leads it.
func (s *server) becomeCandidate() {
	s.role = candidate
	s.term++
	s.votedFor, s.leader = s.n.ID(), ""
	s.votes = map[string]bool{s.n.ID(): true}
	s.resetElectionDeadline()
	term := s.term
	index, lastTerm := s.last()
	req := voteRequest{Term: term, CandidateID: s.n.ID(), LastLogIndex: index, LastLogTerm: lastTerm}
	for _, peer := range s.others() {
		s.n.RPC(peer, withType("request_vote", req), func(msg maelstrom.Message) error {
			var res struct {
				Term        int  `json:"term"`
				VoteGranted bool `json:"vote_granted"`
			}
			if err := json.Unmarshal(msg.Body, &res); err != nil {
				return err
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.maybeStepDown(res.Term) {
				return nil
			}
			// A vote counts only for the election it was asked for.
			if s.role != candidate || s.term != term || !res.VoteGranted {
				return nil
			}
			s.votes[msg.Src] = true
			if len(s.votes) >= s.majority() {
				s.becomeLeader()
			}
			return nil
		})
	}
	if len(s.votes) >= s.majority() { // a cluster of one
		s.becomeLeader()
	}
}

// requestVote decides on a vote. It grants one when the candidate's term
// is current, this node has not voted for someone else in that term, and
// the candidate's log is at least as up to date as its own (Raft section
// 5.4.1: the later last term wins, then the longer log); granting pushes
// its own election back. The reply carries this node's term, so that a
// candidate behind it steps down.
func (s *server) requestVote(msg maelstrom.Message) error {
	var req voteRequest
	if err := json.Unmarshal(msg.Body, &req); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maybeStepDown(req.Term)
	index, term := s.last()
	upToDate := req.LastLogTerm > term || (req.LastLogTerm == term && req.LastLogIndex >= index)
	// BROKEN: no check of votedFor, so a second candidate of the same
	// term gets a vote too.
	grant := req.Term == s.term && upToDate
	if grant {
		s.votedFor = req.CandidateID
		s.resetElectionDeadline()
	}
	return s.n.Reply(msg, map[string]any{"type": "request_vote_res", "term": s.term, "vote_granted": grant})
}

// becomeLeader takes the lead of the current term and tells the others at
// once, before any of them stands in an election of its own.
func (s *server) becomeLeader() {
	s.role = leader
	s.stepDownDeadline = time.Now().Add(electionTimeout)
	s.acks = map[string]bool{s.n.ID(): true}
	s.heartbeat()
}

// checkStepDown runs once per election timeout on a leader: unless a
// majority answered its heartbeats in that time, it may be cut off from
// the others, which may have elected someone else, so it steps down.
func (s *server) checkStepDown() {
	if len(s.acks) < s.majority() {
		s.role = follower
		s.resetElectionDeadline()
		return
	}
	s.acks = map[string]bool{s.n.ID(): true}
	s.stepDownDeadline = time.Now().Add(electionTimeout)
}

// appendRequest is append_entries's body. In this step it only carries
// heartbeats: its log fields say where the leader's log ends, and entries
// stays empty.
type appendRequest struct {
	Term         int     `json:"term"`
	LeaderID     string  `json:"leader_id"`
	PrevLogIndex int     `json:"prev_log_index"`
	PrevLogTerm  int     `json:"prev_log_term"`
	Entries      []entry `json:"entries"`
	LeaderCommit int     `json:"leader_commit"`
}

// heartbeat tells every other node that this node leads the term. A reply
// with a higher term deposes it; any other reply counts as an
// acknowledgment for checkStepDown.
func (s *server) heartbeat() {
	s.lastHeartbeat = time.Now()
	term := s.term
	index, lastTerm := s.last()
	req := appendRequest{Term: term, LeaderID: s.n.ID(), PrevLogIndex: index, PrevLogTerm: lastTerm, Entries: []entry{}}
	for _, peer := range s.others() {
		s.n.RPC(peer, withType("append_entries", req), func(msg maelstrom.Message) error {
			var res struct {
				Term int `json:"term"`
			}
			if err := json.Unmarshal(msg.Body, &res); err != nil {
				return err
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			if !s.maybeStepDown(res.Term) && s.role == leader && s.term == term {
				s.acks[msg.Src] = true
			}
			return nil
		})
	}
}

// appendEntries handles a leader's heartbeat. A leader of an older term is
// refused, and learns the current term from the reply. A leader of this
// term or a later one is followed: this node adopts its term, becomes (or
// stays) a follower, and pushes its own election back.
func (s *server) appendEntries(msg maelstrom.Message) error {
	var req appendRequest
	if err := json.Unmarshal(msg.Body, &req); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maybeStepDown(req.Term)
	if req.Term < s.term {
		return s.n.Reply(msg, map[string]any{"type": "append_entries_res", "term": s.term, "success": false})
	}
	// Same term: a candidate that hears from the winner follows it.
	s.role = follower
	s.leader = req.LeaderID
	s.resetElectionDeadline()
	return s.n.Reply(msg, map[string]any{"type": "append_entries_res", "term": s.term, "success": true})
}

// client serves a lin-kv request. Only the leader answers: it applies the
// operation to its own map and appends it to its log. Anyone else
// forwards the request to the leader.
func (s *server) client(msg maelstrom.Message) error {
	var o op
	if err := json.Unmarshal(msg.Body, &o); err != nil {
		return maelstrom.NewRPCError(maelstrom.MalformedRequest, err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.role != leader {
		return s.forward(msg, s.leader)
	}
	s.log = append(s.log, entry{Term: s.term, Op: opWithClient(msg)})
	res, err := s.kv.apply(o)
	if err != nil {
		return err
	}
	return s.n.Reply(msg, res)
}

// forward passes a client's request on to the leader this node follows,
// and the leader's answer, error or not, back to the client, as
// Maelstrom's tutorial does: so a client may ask any node. With no leader
// known, or for a request already forwarded once (the leader it went to
// had lost the lead), the answer is error 11, temporarily unavailable: the
// operation did not happen. If the leader never answers, neither does
// this node, and the client counts the operation as unknown.
func (s *server) forward(msg maelstrom.Message, to string) error {
	var body map[string]any
	if err := json.Unmarshal(msg.Body, &body); err != nil {
		return maelstrom.NewRPCError(maelstrom.MalformedRequest, err.Error())
	}
	if to == "" || body["forwarded"] == true {
		return maelstrom.NewRPCError(maelstrom.TemporarilyUnavailable, "not the leader")
	}
	body["forwarded"] = true
	delete(body, "msg_id")
	return s.n.RPC(to, body, func(res maelstrom.Message) error {
		var answer map[string]any
		if err := json.Unmarshal(res.Body, &answer); err != nil {
			return err
		}
		delete(answer, "in_reply_to")
		delete(answer, "msg_id")
		return s.n.Reply(msg, answer)
	})
}

// opWithClient is the operation as the log keeps it: the request's body
// with the client that sent it, as in Maelstrom's tutorial.
func opWithClient(msg maelstrom.Message) json.RawMessage {
	var body map[string]any
	json.Unmarshal(msg.Body, &body)
	body["client"] = msg.Src
	b, _ := json.Marshal(body)
	return b
}

// withType turns a request struct into a message body of the given type.
func withType(typ string, v any) map[string]any {
	b, _ := json.Marshal(v)
	var body map[string]any
	json.Unmarshal(b, &body)
	body["type"] = typ
	return body
}
