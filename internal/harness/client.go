package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/proto"
	"github.com/glomers/glomers/internal/workload"
)

// conn is a client connection: it implements workload.Conn. A client has at
// most one request outstanding, so it waits for one reply at a time and
// drops any other (a late reply to a request it gave up on).
type conn struct {
	id      string
	node    string
	r       *router
	timeout time.Duration
	msgID   int64
	// sent is the highest msg_id sent, for the router to tell a late
	// reply (legal) from a reply to a request never made (a node's bug).
	sent    atomic.Int64
	replies chan json.RawMessage
}

func newConn(r *router, id, node string, timeout time.Duration) *conn {
	c := &conn{id: id, node: node, r: r, timeout: timeout, replies: make(chan json.RawMessage, 64)}
	r.addClient(c)
	return c
}

// Node implements workload.Conn.
func (c *conn) Node() string { return c.node }

// check returns why a message a node sent this client cannot be a reply
// to any of its requests, or nil. Clients only ever receive replies.
func (c *conn) check(body json.RawMessage) error {
	var hdr struct {
		InReplyTo *int64 `json:"in_reply_to"`
	}
	if err := json.Unmarshal(body, &hdr); err != nil {
		return nil // the envelope check has vetted the body already
	}
	switch sent := c.sent.Load(); {
	case hdr.InReplyTo == nil:
		return fmt.Errorf("sent client %s a message with no in_reply_to (clients only take replies): %s", c.id, proto.Quote(body))
	case *hdr.InReplyTo < 1 || *hdr.InReplyTo > sent:
		return fmt.Errorf("replied to client %s with in_reply_to %d, but %s has sent requests 1 to %d only: %s", c.id, *hdr.InReplyTo, c.id, sent, proto.Quote(body))
	}
	return nil
}

// deliver is called by the router; it never blocks.
func (c *conn) deliver(body json.RawMessage) {
	select {
	case c.replies <- body:
	default:
	}
}

func (c *conn) close() { c.r.removeClient(c, false) }

// abandon closes a client that gave up on a request (an info completion of
// a workload whose clients are not reusable), as Maelstrom's worker closes
// it: a reply that comes later finds it gone.
func (c *conn) abandon() { c.r.removeClient(c, true) }

// RPC implements workload.Conn.
func (c *conn) RPC(ctx context.Context, body any) (json.RawMessage, error) {
	c.msgID++
	id := c.msgID
	c.sent.Store(id)
	raw, err := withMsgID(body, id)
	if err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	// Drop replies to earlier requests that arrived late.
	for drained := false; !drained; {
		select {
		case <-c.replies:
		default:
			drained = true
		}
	}
	select {
	case c.r.inbox <- routed{msg: proto.Message{Src: c.id, Dest: c.node, Body: raw}, from: c.id}:
	case <-ctx.Done():
		return nil, workload.ErrTimeout
	}
	timer := time.NewTimer(c.timeout)
	defer timer.Stop()
	for {
		select {
		case b := <-c.replies:
			var hdr struct {
				InReplyTo *int64 `json:"in_reply_to"`
			}
			if json.Unmarshal(b, &hdr) == nil && hdr.InReplyTo != nil && *hdr.InReplyTo == id {
				return b, nil
			}
		case <-timer.C:
			return nil, workload.ErrTimeout
		case <-ctx.Done():
			return nil, workload.ErrTimeout
		}
	}
}

// withMsgID marshals body as an object and sets its msg_id.
func withMsgID(body any, id int64) (json.RawMessage, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	m["msg_id"], _ = json.Marshal(id)
	return json.Marshal(m)
}

// recorder appends operations to the history with their times. Workers
// record their own invocations and completions, so the times are the
// moments the request left and the reply arrived.
type recorder struct {
	mu     sync.Mutex
	start  time.Time
	b      history.Builder
	done   int
	errors int
}

func (r *recorder) add(op history.Op) history.Op {
	r.mu.Lock()
	defer r.mu.Unlock()
	op.Time = time.Since(r.start)
	if op.Type != history.Invoke {
		r.done++
	}
	if op.Type == history.Fail || op.Type == history.Info {
		r.errors++
	}
	op.Index = r.b.Add(op)
	return op
}

func (r *recorder) snapshot() (ops, errors int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.done, r.errors
}

func (r *recorder) history() history.History {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.b.History()
}
