// Package raftread is the reference solution to step 7f, the last stage
// of a Raft key-value store: reads that skip the log, safely. It is step
// 7e's store (package raftlog) with two changes, both from Ongaro's
// dissertation ("Consensus: Bridging Theory and Practice", 2014, section
// 6.4, "Processing read-only queries more efficiently").
//
// First, a new leader appends an entry with no operation (a no-op) as soon
// as it is elected. It knows which entries are committed only once it has
// committed one of its own term (Raft section 5.4.2), and the no-op gets
// it there without waiting for a client.
//
// Second, a read is not appended to the log. The leader notes its commit
// index when the read arrives (the read index), then makes sure it is
// still the leader: it sends a round of heartbeats and waits until a
// majority, itself included, has answered one sent after the read
// arrived. Then no other leader can have committed anything it does not
// know of when the read arrived. Once its state machine has applied the
// entries up to the read index, it answers from its map. A leader cut off
// from the majority never completes the round, so it cannot answer with a
// value a newer leader has already replaced: that is the stale read this
// step's broken node makes.
//
// Writes and compare-and-swaps still go through the log, as in step 7e.
package raftread

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
	// maxEntries bounds the entries of one append_entries, so that a
	// follower far behind catches up in steps of bounded size.
	maxEntries = 100
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

// result is what a client gets once its operation is applied: the reply's
// body, or an error.
type result struct {
	body map[string]any
	err  error
	none bool // no answer at all: the client's request times out
}

// waiter is a client request waiting for its entry to be applied. The
// term tells its entry from another that took the same index later.
type waiter struct {
	term int
	done chan result
}

// server is one Raft node. One mutex guards everything: handlers and the
// ticker run in goroutines of their own.
type server struct {
	n   *maelstrom.Node
	ctx context.Context
	mu  sync.Mutex

	role     role
	term     int    // the latest term this node has seen
	votedFor string // whom it voted for in term, "" for nobody yet
	leader   string // the leader of term, "" while unknown
	log      []entry

	commitIndex int // the last entry known to be committed
	lastApplied int // the last entry applied to kv

	// electionDeadline is when a follower or candidate stands in a new
	// election; hearing from a leader, or granting a vote, pushes it back.
	electionDeadline time.Time
	// stepDownDeadline is when a leader that no majority has answered
	// since gives up: it may be cut off from the others.
	stepDownDeadline time.Time
	lastHeartbeat    time.Time

	votes map[string]bool // as a candidate: who granted a vote this term
	acks  map[string]bool // as a leader: who answered since the last step-down check

	// As a leader: the next entry to send each other node, and the last
	// entry known to be on it.
	nextIndex  map[string]int
	matchIndex map[string]int

	waiters map[int]waiter // log index -> the client request it holds
	kv      kv             // the state machine, built from committed entries

	// As a leader: heartbeat rounds sent in this term, the last round each
	// other node answered, and the reads waiting for a round to confirm
	// the lead.
	round int
	heard map[string]int
	reads []*pendingRead
}

// pendingRead is a read waiting for the leader to confirm its lead and to
// apply the entries up to the read index.
type pendingRead struct {
	index int // the commit index when the read arrived
	round int // the first heartbeat round sent after it arrived
	term  int
	op    op
	done  chan result
}

// Start registers the node's handlers and runs its timers until ctx ends.
func Start(ctx context.Context, n *maelstrom.Node) {
	s := &server{n: n, ctx: ctx, kv: kv{}, waiters: map[int]waiter{}}
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
			s.replicate()
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
	return len(s.log), s.termAt(len(s.log))
}

// termAt is the term of the entry at index, 0 for index 0 (before the
// first entry).
func (s *server) termAt(index int) int {
	if index == 0 {
		return 0
	}
	return s.log[index-1].Term
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
		s.serveReads()
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
	grant := req.Term == s.term &&
		(s.votedFor == "" || s.votedFor == req.CandidateID) &&
		upToDate
	if grant {
		s.votedFor = req.CandidateID
		s.resetElectionDeadline()
	}
	return s.n.Reply(msg, map[string]any{"type": "request_vote_res", "term": s.term, "vote_granted": grant})
}

// becomeLeader takes the lead of the current term. It knows nothing yet of
// the others' logs: it will first send each of them what follows its own
// last entry (nothing), and back up from there until their logs match.
func (s *server) becomeLeader() {
	s.role = leader
	s.stepDownDeadline = time.Now().Add(electionTimeout)
	s.acks = map[string]bool{s.n.ID(): true}
	s.nextIndex, s.matchIndex = map[string]int{}, map[string]int{}
	for _, peer := range s.others() {
		s.nextIndex[peer] = len(s.log) + 1
		s.matchIndex[peer] = 0
	}
	s.round, s.heard = 0, map[string]int{}
	// The no-op: once it is committed, so is every entry before it, and
	// the commit index is one a read can trust.
	s.log = append(s.log, entry{Term: s.term, Op: json.RawMessage("null")})
	s.replicate()
	if len(s.others()) == 0 {
		s.advanceCommit()
	}
}

// checkStepDown runs once per election timeout on a leader: unless a
// majority answered it in that time, it may be cut off from the others,
// which may have elected someone else, so it steps down. Its clients keep
// waiting: their entries may still be committed by the next leader.
func (s *server) checkStepDown() {
	if len(s.acks) < s.majority() {
		s.role = follower
		s.resetElectionDeadline()
		s.serveReads()
		return
	}
	s.acks = map[string]bool{s.n.ID(): true}
	s.stepDownDeadline = time.Now().Add(electionTimeout)
}

// appendRequest is append_entries's body: the entries that follow the
// entry at PrevLogIndex, of term PrevLogTerm, in the leader's log, and how
// far the leader has committed.
type appendRequest struct {
	Term         int     `json:"term"`
	LeaderID     string  `json:"leader_id"`
	PrevLogIndex int     `json:"prev_log_index"`
	PrevLogTerm  int     `json:"prev_log_term"`
	Entries      []entry `json:"entries"`
	LeaderCommit int     `json:"leader_commit"`
}

// replicate sends every other node the entries it lacks, as far as the
// leader knows, or none: then it is a heartbeat. A success moves that
// node's indexes forward and may commit entries; a refusal means its log
// does not hold the entry before the ones sent, so the next request starts
// one entry earlier. Each call is a numbered round: any answer to it in
// this term tells that the other node still follows this leader.
func (s *server) replicate() {
	s.lastHeartbeat = time.Now()
	term := s.term
	s.round++
	round := s.round
	for _, peer := range s.others() {
		next := s.nextIndex[peer]
		entries := s.log[next-1 : min(len(s.log), next-1+maxEntries)]
		req := appendRequest{Term: term, LeaderID: s.n.ID(), PrevLogIndex: next - 1, PrevLogTerm: s.termAt(next - 1),
			Entries: append([]entry{}, entries...), LeaderCommit: s.commitIndex}
		s.n.RPC(peer, withType("append_entries", req), func(msg maelstrom.Message) error {
			var res struct {
				Term    int  `json:"term"`
				Success bool `json:"success"`
			}
			if err := json.Unmarshal(msg.Body, &res); err != nil {
				return err
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.maybeStepDown(res.Term) || s.role != leader || s.term != term {
				return nil
			}
			s.acks[msg.Src] = true
			// Any answer in this term, success or not, confirms the lead
			// as of this round.
			s.heard[peer] = max(s.heard[peer], round)
			s.serveReads()
			if !res.Success {
				s.nextIndex[peer] = max(1, min(s.nextIndex[peer], req.PrevLogIndex))
				return nil
			}
			match := req.PrevLogIndex + len(req.Entries)
			if match > s.matchIndex[peer] {
				s.matchIndex[peer] = match
				s.nextIndex[peer] = max(s.nextIndex[peer], match+1)
				s.advanceCommit()
			}
			return nil
		})
	}
}

// advanceCommit commits the last entry that a majority holds, counting
// this node, but only if it is of the current term (Raft section 5.4.2):
// an entry of an earlier term may be on a majority and still be replaced
// by a later leader, which cannot happen to one of the current term.
// Committing an entry commits every entry before it.
func (s *server) advanceCommit() {
	for i := len(s.log); i > s.commitIndex; i-- {
		if s.log[i-1].Term != s.term {
			break // earlier entries are of earlier terms too
		}
		count := 1
		for _, m := range s.matchIndex {
			if m >= i {
				count++
			}
		}
		if count >= s.majority() {
			s.commitIndex = i
			s.applyCommitted()
			return
		}
	}
}

// appendEntries handles a leader's request. A leader of an older term is
// refused, and learns the current term from the reply. A leader of this
// term or a later one is followed: this node adopts its term, becomes (or
// stays) a follower, and pushes its own election back. Then the log check:
// unless this log holds the entry before the new ones, with the same term,
// the request fails, and the leader will try from further back. Otherwise
// the entries are appended, after deleting any entry that conflicts with
// them (same index, another term), and never one that agrees: a late,
// shorter request must not undo a longer one. Finally the commit index
// follows the leader's, as far as this log is known to match it.
func (s *server) appendEntries(msg maelstrom.Message) error {
	var req appendRequest
	if err := json.Unmarshal(msg.Body, &req); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maybeStepDown(req.Term)
	reply := func(ok bool) error {
		return s.n.Reply(msg, map[string]any{"type": "append_entries_res", "term": s.term, "success": ok})
	}
	if req.Term < s.term {
		return reply(false)
	}
	// Same term: a candidate that hears from the winner follows it.
	s.role = follower
	s.leader = req.LeaderID
	s.resetElectionDeadline()
	if req.PrevLogIndex > len(s.log) || s.termAt(req.PrevLogIndex) != req.PrevLogTerm {
		return reply(false)
	}
	for i, e := range req.Entries {
		index := req.PrevLogIndex + 1 + i
		if index <= len(s.log) {
			if s.log[index-1].Term == e.Term {
				continue
			}
			s.truncate(index)
		}
		s.log = append(s.log, e)
	}
	if req.LeaderCommit > s.commitIndex {
		s.commitIndex = max(s.commitIndex, min(req.LeaderCommit, req.PrevLogIndex+len(req.Entries)))
		s.applyCommitted()
	}
	return reply(true)
}

// truncate deletes the entries from index on. None of them was committed
// (a committed entry is on every later leader, which never asks to
// delete it), but one may still be: a copy can survive on another node,
// and a later leader that holds it may commit it (chapter 7e gives such a
// history with three nodes). So the clients waiting for them get no
// answer: their requests time out, and the checker counts them as
// indeterminate, which is the truth.
func (s *server) truncate(index int) {
	for i := index; i <= len(s.log); i++ {
		if w, ok := s.waiters[i]; ok {
			w.done <- result{none: true}
			delete(s.waiters, i)
		}
	}
	s.log = s.log[:index-1]
}

// applyCommitted applies the committed entries not yet applied, in log
// order, to the key-value map: every node reaches the same state. The
// node that took the request from the client hands it the result.
func (s *server) applyCommitted() {
	for s.lastApplied < s.commitIndex {
		s.lastApplied++
		e := s.log[s.lastApplied-1]
		if string(e.Op) == "null" { // a leader's no-op: nothing to apply
			continue
		}
		var o op
		var res result
		if err := json.Unmarshal(e.Op, &o); err != nil {
			res.err = maelstrom.NewRPCError(maelstrom.MalformedRequest, err.Error())
		} else {
			res.body, res.err = s.kv.apply(o)
		}
		if w, ok := s.waiters[s.lastApplied]; ok {
			if w.term != e.Term { // cannot happen: truncate removed it
				res = result{none: true}
			}
			w.done <- res
			delete(s.waiters, s.lastApplied)
		}
	}
	s.serveReads()
}

// client serves a lin-kv write or compare-and-swap (reads go to read).
// The leader appends it to its log and sends it out at once, then waits
// until it is applied: the reply carries what applying it returned. It
// waits as long as it takes, since only a commit of its entry tells that
// the operation happened, and nothing the node sees tells that it never
// will (not even the entry's replacement here, see truncate); a client
// that gives up first counts it as unknown. A node that is not the leader forwards the
// request to the leader.
func (s *server) client(msg maelstrom.Message) error {
	if msg.Type() == "read" {
		return s.read(msg)
	}
	s.mu.Lock()
	if s.role != leader {
		to := s.leader
		s.mu.Unlock()
		return s.forward(msg, to)
	}
	s.log = append(s.log, entry{Term: s.term, Op: opWithClient(msg)})
	w := waiter{term: s.term, done: make(chan result, 1)}
	s.waiters[len(s.log)] = w
	s.replicate()
	if len(s.others()) == 0 { // a cluster of one commits alone
		s.advanceCommit()
	}
	s.mu.Unlock()

	select {
	case res := <-w.done:
		if res.none {
			return nil
		}
		if res.err != nil {
			return res.err
		}
		return s.n.Reply(msg, res.body)
	case <-s.ctx.Done():
		return nil
	}
}

// read serves a read without the log (ReadIndex). The leader must have
// committed an entry of its term, its no-op; until then it cannot tell
// its commit index from a stale one, and answers error 11. Otherwise the
// read waits, with the commit index as its read index, for a heartbeat
// round sent after it to be answered by a majority, and for the entries
// up to its read index to be applied: serveReads answers it then.
func (s *server) read(msg maelstrom.Message) error {
	var o op
	if err := json.Unmarshal(msg.Body, &o); err != nil {
		return maelstrom.NewRPCError(maelstrom.MalformedRequest, err.Error())
	}
	s.mu.Lock()
	if s.role != leader {
		to := s.leader
		s.mu.Unlock()
		return s.forward(msg, to)
	}
	if s.termAt(s.commitIndex) != s.term {
		s.mu.Unlock()
		return maelstrom.NewRPCError(maelstrom.TemporarilyUnavailable, "a new leader, not caught up yet")
	}
	r := &pendingRead{index: s.commitIndex, round: s.round + 1, term: s.term, op: o, done: make(chan result, 1)}
	s.reads = append(s.reads, r)
	s.replicate() // round r.round
	s.serveReads()
	s.mu.Unlock()

	select {
	case res := <-r.done:
		if res.err != nil {
			return res.err
		}
		return s.n.Reply(msg, res.body)
	case <-s.ctx.Done():
		return nil
	}
}

// serveReads answers the pending reads that can be answered: those whose
// round a majority has answered, once their read index is applied. If
// this node no longer leads the reads' term, they fail with error 11: a
// read changes nothing, so telling the client it did not happen is true.
func (s *server) serveReads() {
	keep := s.reads[:0]
	for _, r := range s.reads {
		if s.role != leader || s.term != r.term {
			r.done <- result{err: maelstrom.NewRPCError(maelstrom.TemporarilyUnavailable, "no longer the leader")}
			continue
		}
		confirmed := 1 // this node
		for _, round := range s.heard {
			if round >= r.round {
				confirmed++
			}
		}
		if confirmed < s.majority() || s.lastApplied < r.index {
			keep = append(keep, r)
			continue
		}
		var res result
		res.body, res.err = s.kv.apply(r.op)
		r.done <- res
	}
	s.reads = keep
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
