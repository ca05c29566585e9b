// Package soltest runs a solution in-process as a Maelstrom node, over
// pipes, for the solutions' unit tests. Every solution's tests use it, so
// they read alike: start a node, init it, send it messages, look at what it
// writes back.
//
// A test's duties:
//
//  1. Run inside synctest.Test. The node's goroutines, pipes and timers then
//     live in the test's bubble, time is fake, and a node that never answers
//     is reported at once (the wait below elapses the moment every goroutine
//     is blocked) instead of after a wall-clock timeout. Outside a bubble
//     everything still works, but a missing reply costs Wait of real time.
//  2. Call Start, then Init, before any other message: Maelstrom never sends
//     a request to a node that has not answered init.
//  3. Give every request a msg_id of its own; Call pairs the reply by it.
//
// The node stops when the test ends (its stdin is closed, as Maelstrom's
// teardown does); a node that stopped on an error fails the test unless the
// test called Stop and looked at the error itself.
//
// Like the solutions, this package imports nothing else from the
// repository, so a learner can copy it next to their own node.
package soltest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// Wait bounds how long Recv and Call wait for the node to write something,
// and how long Stop waits for it to finish. Inside synctest it is fake time:
// reaching it means the node is stuck, not slow.
const Wait = 10 * time.Second

// Node is a solution running as a Maelstrom node on in-memory pipes.
type Node struct {
	t     testing.TB
	id    string
	stdin *io.PipeWriter

	// The node's output, in the order it was written. A reader goroutine
	// appends and never blocks on the test, so the node can always write.
	mu      sync.Mutex
	out     []line
	outDone bool
	notify  chan struct{}

	runErr   error         // Run's result, written before stopped closes
	stopped  chan struct{} // closed when Run has returned
	stopOnce sync.Once
	stopErr  error // what Stop reports
	errSeen  bool  // the test called Stop, so it has seen stopErr
}

// line is one line the node wrote, decoded or not.
type line struct {
	msg maelstrom.Message
	raw string
	err error
}

// Start creates a node, lets register install its handlers (a solution
// package's Register), and runs it. The test's cleanup stops it.
func Start(t testing.TB, register func(*maelstrom.Node)) *Node {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()

	mn := maelstrom.NewNode()
	mn.Stdin = inR
	mn.Stdout = outW
	register(mn)

	n := &Node{
		t:       t,
		stdin:   inW,
		notify:  make(chan struct{}, 1),
		stopped: make(chan struct{}),
	}
	go func() {
		n.runErr = mn.Run()
		// Run has waited for every handler; nothing more will be written.
		outW.Close()
		close(n.stopped)
	}()
	go n.read(outR)

	t.Cleanup(func() {
		n.mu.Lock()
		seen := n.errSeen
		n.mu.Unlock()
		if err := n.stop(); err != nil && !seen {
			t.Errorf("node %s stopped with an error: %v", n.id, err)
		}
	})
	return n
}

func (n *Node) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	// Larger than the library's own 64 KiB limit, so that an oversized
	// line is seen here and reported, rather than cut.
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		l := line{raw: sc.Text()}
		if err := json.Unmarshal(sc.Bytes(), &l.msg); err != nil {
			l.err = fmt.Errorf("node wrote a line that is not a message: %q", sc.Text())
		}
		n.add(l)
	}
	n.finish()
}

// add queues a line the node wrote.
func (n *Node) add(l line) {
	n.mu.Lock()
	n.out = append(n.out, l)
	n.mu.Unlock()
	n.wake()
}

// finish records that the node's output has ended.
func (n *Node) finish() {
	n.mu.Lock()
	n.outDone = true
	n.mu.Unlock()
	n.wake()
}

// wake tells next, if it is waiting, that the output changed. The channel
// holds one token, so a wake-up sent while next is busy is not lost.
func (n *Node) wake() {
	select {
	case n.notify <- struct{}{}:
	default:
	}
}

// Init sends the init message Maelstrom sends first, from client c0, and
// fails the test unless the node answers init_ok.
func (n *Node) Init(id string, nodeIDs ...string) {
	n.t.Helper()
	n.id = id
	body, _ := json.Marshal(map[string]any{
		"type": "init", "msg_id": 1, "node_id": id, "node_ids": nodeIDs,
	})
	reply := n.Call("c0", string(body))
	if reply.Type() != "init_ok" {
		n.t.Fatalf("init: node %s replied %s, want init_ok", id, reply.Body)
	}
}

// Send writes a message from src to the node; body is a JSON object. It
// does not wait for anything.
func (n *Node) Send(src, body string) {
	n.t.Helper()
	msg, err := json.Marshal(maelstrom.Message{Src: src, Dest: n.id, Body: json.RawMessage(body)})
	if err != nil {
		n.t.Fatalf("send: body is not JSON: %s", body)
	}
	if _, err := n.stdin.Write(append(msg, '\n')); err != nil {
		n.t.Fatalf("send to node %s: %v", n.id, err)
	}
}

// Recv returns the next message the node wrote, failing the test if the
// node writes nothing within Wait or stops.
func (n *Node) Recv() maelstrom.Message {
	n.t.Helper()
	return n.next(func(maelstrom.Message) bool { return true }, "any message")
}

// Call sends a request from src and returns the node's reply to it: the
// first message to src whose in_reply_to is the request's msg_id. Other
// messages the node writes meanwhile stay queued for Recv.
func (n *Node) Call(src, body string) maelstrom.Message {
	n.t.Helper()
	var req maelstrom.MessageBody
	if err := json.Unmarshal([]byte(body), &req); err != nil || req.MsgID == 0 {
		n.t.Fatalf("call: body needs a non-zero integer msg_id: %s", body)
	}
	n.Send(src, body)
	return n.next(func(m maelstrom.Message) bool {
		var b maelstrom.MessageBody
		return m.Dest == src && json.Unmarshal(m.Body, &b) == nil && b.InReplyTo == req.MsgID
	}, fmt.Sprintf("a reply to %s msg_id %d", src, req.MsgID))
}

// next removes and returns the first queued message that match accepts,
// waiting for one if needed.
func (n *Node) next(match func(maelstrom.Message) bool, what string) maelstrom.Message {
	n.t.Helper()
	timeout := time.After(Wait)
	for {
		n.mu.Lock()
		for i, l := range n.out {
			if l.err != nil {
				n.mu.Unlock()
				n.t.Fatal(l.err)
			}
			if match(l.msg) {
				n.out = append(n.out[:i], n.out[i+1:]...)
				n.mu.Unlock()
				return l.msg
			}
		}
		done := n.outDone
		n.mu.Unlock()
		if done {
			n.t.Fatalf("node %s stopped (%v) while the test waited for %s", n.id, n.stop(), what)
		}
		select {
		case <-n.notify:
		case <-timeout:
			n.t.Fatalf("node %s wrote nothing matching %s within %v", n.id, what, Wait)
		}
	}
}

// Stop closes the node's stdin, as Maelstrom does at the end of a test,
// waits for it to finish its in-flight handlers, and returns the error its
// Run returned (nil after a clean end of input). Later calls return the
// same error.
func (n *Node) Stop() error {
	n.mu.Lock()
	n.errSeen = true
	n.mu.Unlock()
	return n.stop()
}

func (n *Node) stop() error {
	n.stopOnce.Do(func() {
		n.stdin.Close()
		select {
		case <-n.stopped:
			n.stopErr = n.runErr
		case <-time.After(Wait):
			n.stopErr = fmt.Errorf("node did not stop within %v of its stdin closing (a handler is stuck?)", Wait)
		}
	})
	return n.stopErr
}

// AssertBody fails the test unless msg's body equals want, a JSON object,
// structurally: key order and spacing do not matter, numbers compare by
// their exact text so that 1 and 1.0 differ as they do for Maelstrom.
func AssertBody(t testing.TB, msg maelstrom.Message, want string) {
	t.Helper()
	got, err := decode(msg.Body)
	if err != nil {
		t.Fatalf("body is not JSON: %s", msg.Body)
	}
	w, err := decode([]byte(want))
	if err != nil {
		t.Fatalf("want is not JSON: %s", want)
	}
	if !reflect.DeepEqual(got, w) {
		t.Errorf("body mismatch\n got: %s\nwant: %s", msg.Body, want)
	}
}

// Body decodes msg's body into a map, numbers as json.Number, for tests
// that look at one field at a time.
func Body(t testing.TB, msg maelstrom.Message) map[string]any {
	t.Helper()
	v, err := decode(msg.Body)
	m, ok := v.(map[string]any)
	if err != nil || !ok {
		t.Fatalf("body is not a JSON object: %s", msg.Body)
	}
	return m
}

// decode reads one JSON value, numbers as json.Number, and nothing after
// it.
func decode(b []byte) (v any, err error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err = d.Decode(&v); err == nil && d.More() {
		err = fmt.Errorf("trailing data after JSON value: %s", strings.TrimSpace(string(b)))
	}
	return v, err
}
