package harness

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/glomers/glomers/internal/netsim"
	"github.com/glomers/glomers/internal/proto"
	"github.com/glomers/glomers/internal/service"
	"github.com/glomers/glomers/internal/store"
	"github.com/glomers/glomers/internal/workload"
)

// maxJournal bounds the journal file: past it, events are counted but not
// written, so a node flooding the network cannot fill the disk.
const maxJournal = 2_000_000

// routed is a message entering the network.
type routed struct {
	msg  proto.Message
	from string // the node or client that wrote it
}

// router is the one goroutine that owns the network model, the services
// and the table of client connections. Everything else talks to it over
// channels, so the model needs no locks and its decisions follow one
// order.
type router struct {
	start    time.Time
	net      *netsim.Net
	inbox    chan routed
	ctl      chan func()
	nodes    map[string]*node
	services map[string]service.Service
	svcRand  *rand.Rand
	abort    func(error)

	clientsMu sync.Mutex
	clients   map[string]*conn
	abandoned map[string]bool // clients closed after giving up on a request

	journal      *bufio.Writer
	journalCount int
	enc          *json.Encoder
	// kept holds the journal's events for the run's report, so that it
	// need not read back what was just written.
	kept *store.Recorded

	// onEvent, when set, sees every network event (tests, the report).
	onEvent func(netsim.Event)

	// unexpected are the messages nodes sent clients that answer no
	// request of theirs; read once the router has stopped.
	unexpected unexpectedReplies
	// late are the messages nodes sent clients that had given up and
	// closed; read once the router has stopped.
	late lateReplies
}

// droppedReplies counts messages from nodes to clients that the router
// dropped for one reason, keeping the first, described, and the nodes that
// sent them.
type droppedReplies struct {
	n     int
	first string
	nodes []string
}

func (d *droppedReplies) add(node, what string) {
	if d.n == 0 {
		d.first = what
	}
	d.n++
	if !slices.Contains(d.nodes, node) {
		d.nodes = append(d.nodes, node)
	}
}

// lateReplies are the messages nodes sent to clients that had already
// given up on their request and closed. The harness drops them, as a
// closed client reads nothing. Real Maelstrom does worse: its network
// refuses a message to a client that is gone (net.clj validate-msg), the
// error escapes the thread that reads the node's output, and that thread
// reads no more of it (process.clj io-thread), so the node is silenced for
// the rest of the run.
type lateReplies struct{ droppedReplies }

// note is the late-reply note, if there were any: not a failure here, but a
// run real Maelstrom would have gone on with those nodes silenced.
func (l lateReplies) note() (workload.Anomaly, bool) {
	if l.n == 0 {
		return workload.Anomaly{}, false
	}
	what := l.first
	if l.n > 1 {
		what = fmt.Sprintf("%d replies came after their client had given up and closed; the first: %s", l.n, l.first)
	}
	return workload.Anomaly{Kind: "late-reply", Message: fmt.Sprintf(
		"%s; the harness dropped it, but real Maelstrom would stop reading the output of %s at the first such reply (its network refuses a message to a closed client, and the thread reading the node's output ends): from then on the node would be silent there, and real Maelstrom's verdict would likely be invalid",
		what, strings.Join(l.nodes, ", "))}, true
}

// unexpectedReplies are the messages nodes sent clients with an
// in_reply_to that names no request of the client (or with none).
type unexpectedReplies struct{ droppedReplies }

// anomaly is the strict unexpected-reply finding, if there were any.
func (u unexpectedReplies) anomaly() (workload.Anomaly, bool) {
	switch u.n {
	case 0:
		return workload.Anomaly{}, false
	case 1:
		return workload.Anomaly{Kind: "unexpected-reply", Strict: true, Message: u.first +
			"; real Maelstrom's client skips such a message, as the harness did, and the request it waits for times out"}, true
	}
	return workload.Anomaly{Kind: "unexpected-reply", Strict: true, Message: fmt.Sprintf(
		"%d messages from nodes to clients answered no request of the client, each skipped as real Maelstrom's client skips them; the first: %s", u.n, u.first)}, true
}

func (r *router) now() time.Duration { return time.Since(r.start) }

// do runs f on the router goroutine and waits for it.
func (r *router) do(f func()) {
	done := make(chan struct{})
	r.ctl <- func() { f(); close(done) }
	<-done
}

func (r *router) loop(stop <-chan struct{}) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		r.deliverDue()
		var due <-chan time.Time
		if d, ok := r.net.NextDeadline(); ok {
			timer.Reset(max(0, d-r.now()))
			due = timer.C
		}
		select {
		case m := <-r.inbox:
			r.send(m)
			// Take whatever else is waiting before delivering, so a burst
			// costs one pass over the queue.
			for more := true; more; {
				select {
				case m := <-r.inbox:
					r.send(m)
				default:
					more = false
				}
			}
		case f := <-r.ctl:
			f()
		case <-due:
		case <-stop:
			return
		}
	}
}

func (r *router) send(m routed) {
	ev, err := r.net.Send(m.msg, r.now())
	if err != nil {
		if _, isNode := r.nodes[m.from]; isNode {
			r.abort(&protocolError{node: m.from, err: err})
		}
		return
	}
	r.record(ev)
}

func (r *router) deliverDue() {
	now := r.now()
	for {
		ev, ok := r.net.Deliver(now)
		if !ok {
			return
		}
		r.record(ev)
		if ev.Kind != netsim.Recv {
			continue
		}
		m := ev.Msg
		if n, ok := r.nodes[m.Dest]; ok {
			if !n.inbox.put(proto.Encode(m)) {
				r.abort(fmt.Errorf("%s is not reading its stdin: %d messages are waiting for it", n.id, MaxQueued))
			}
			continue
		}
		if s, ok := r.services[m.Dest]; ok {
			reply := s.Handle(m.Src, m.Body, r.svcRand)
			if reply != nil {
				r.send(routed{msg: proto.Message{Src: m.Dest, Dest: m.Src, Body: reply}, from: m.Dest})
			}
			continue
		}
		r.clientsMu.Lock()
		c, abandoned := r.clients[m.Dest], r.abandoned[m.Dest]
		r.clientsMu.Unlock()
		if c != nil {
			if _, fromNode := r.nodes[m.Src]; fromNode {
				if err := c.check(m.Body); err != nil {
					// Maelstrom's client skips a message whose in_reply_to
					// is not the request it waits for, and the run goes on:
					// dropped here too, and a strict finding.
					r.unexpected.add(m.Src, fmt.Sprintf("%s %v", m.Src, err))
					continue
				}
			}
			c.deliver(m.Body)
		}
		// A reply to a client that has gone (its request timed out and it
		// reconnected) is dropped, as the client would ignore it, and noted.
		if _, fromNode := r.nodes[m.Src]; c == nil && abandoned && fromNode {
			r.late.add(m.Src, fmt.Sprintf("%s replied to %s at %.3f s after %s had given up on its request and closed: %s", m.Src, m.Dest, ev.Time.Seconds(), m.Dest, proto.DescribeBody(m.Body)))
		}
	}
}

func (r *router) record(ev netsim.Event) {
	if r.onEvent != nil {
		r.onEvent(ev)
	}
	if r.enc == nil {
		return
	}
	r.journalCount++
	if r.journalCount > maxJournal {
		return
	}
	e := store.NewEvent(ev)
	_ = r.enc.Encode(e)
	r.kept.Add(e)
}

// setJournal writes the journal to w, which is the file named file, and
// keeps its events for the report (file is what it reads past the
// memory budget; "" when w is no file).
func (r *router) setJournal(w io.Writer, file string) {
	r.journal = bufio.NewWriterSize(w, 256<<10)
	r.enc = json.NewEncoder(r.journal)
	r.kept = store.NewRecorded(file, 0)
}

// addClient registers a new client connection.
func (r *router) addClient(c *conn) {
	r.do(func() { r.net.Add(c.id, netsim.Client) })
	r.clientsMu.Lock()
	r.clients[c.id] = c
	r.clientsMu.Unlock()
}

// removeClient unregisters a client; abandoned says it gave up on a
// request, so that a reply coming after it is noted (lateReplies).
func (r *router) removeClient(c *conn, abandoned bool) {
	r.clientsMu.Lock()
	delete(r.clients, c.id)
	if abandoned {
		r.abandoned[c.id] = true
	}
	r.clientsMu.Unlock()
}
