package harness

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/glomers/glomers/internal/proc"
	"github.com/glomers/glomers/internal/proto"
)

// MaxLine is the longest stdout line a node may write. Maelstrom has no
// limit; ours keeps one hostile line from exhausting memory, and is far
// above what any message needs (the Maelstrom Go library itself cannot read
// a line over 64 KiB).
const MaxLine = 64 << 20

// MaxQueued bounds the messages waiting for a node to read its stdin. A
// node that stops reading would otherwise make the harness grow without
// bound; past this the run stops and names the node.
const MaxQueued = 1 << 20

// tailLines is how many stderr lines are kept to explain a crash.
const tailLines = 200

// node is the harness's side of one node process.
type node struct {
	id   string
	proc proc.Process

	inbox *mailbox

	mu   sync.Mutex
	tail []string // last stderr lines, to explain a crash

	stdoutDone chan struct{}
	stderrDone chan struct{}
	exited     chan struct{}
	exitErr    error
}

// launch starts the nodes in order, stopping at the first that cannot be
// started: that is a setup error, returned, and the run goes straight to
// teardown.
func (run *run) launch(l proc.Launcher) error {
	run.setPhase("start")
	for _, id := range run.wopts.Nodes {
		p, err := l.Launch(id)
		if err != nil {
			return fmt.Errorf("start %s (%s): %w", id, l.Describe(), err)
		}
		run.startNode(id, p)
	}
	return nil
}

// startNode puts a started process on the network and gives it its four
// goroutines: one writing its stdin, one each reading its stdout and
// stderr, and one waiting for it to exit.
func (run *run) startNode(id string, p proc.Process) {
	n := &node{id: id, proc: p, inbox: newMailbox(), stdoutDone: make(chan struct{}), stderrDone: make(chan struct{}), exited: make(chan struct{})}
	run.nodes = append(run.nodes, n)
	run.router.do(func() { run.router.nodes[id] = n })
	go n.inbox.drain(p.Stdin())
	logW := run.obs.nodeLog(id)
	run.readers.Add(2)
	go func() { defer run.readers.Done(); n.logStderr(logW) }()
	go func() { defer run.readers.Done(); run.readStdout(n) }()
	go run.watchExit(n)
}

// readStdout hands each line the node writes to the router until its
// stdout closes. A line that breaks the protocol, or a failed read, stops
// the run unless teardown has begun.
func (run *run) readStdout(n *node) {
	defer close(n.stdoutDone)
	err := readLines(n.proc.Stdout(), MaxLine, func(line []byte) error {
		m, err := parseNodeLine(n.id, line)
		if err != nil {
			return err
		}
		select {
		case run.router.inbox <- routed{msg: m, from: n.id}:
		case <-run.routerDone:
		}
		return nil
	})
	if err == nil || run.stopped() {
		return
	}
	var pe *protocolError
	if !errors.As(err, &pe) {
		err = &protocolError{node: n.id, err: err}
	}
	run.fail(err)
}

// watchExit waits for the node's process: an exit before teardown is a
// crash, which stops the run with the node's last log lines.
func (run *run) watchExit(n *node) {
	n.exitErr = n.proc.Wait()
	close(n.exited)
	if run.stopped() {
		return
	}
	run.fail(&CrashError{Node: n.id, How: describeExit(n.exitErr), Log: n.lastLog(12)})
}

// mailbox is an unbounded queue of lines for a node's stdin, drained by one
// writer goroutine, so the router never blocks on a node that does not
// read.
type mailbox struct {
	mu     sync.Mutex
	cond   *sync.Cond
	lines  [][]byte
	closed bool
}

func newMailbox() *mailbox {
	m := &mailbox{}
	m.cond = sync.NewCond(&m.mu)
	return m
}

// put queues a line; it reports false when the queue is full.
func (m *mailbox) put(line []byte) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return true
	}
	if len(m.lines) >= MaxQueued {
		return false
	}
	m.lines = append(m.lines, line)
	m.cond.Signal()
	return true
}

func (m *mailbox) close() {
	m.mu.Lock()
	m.closed = true
	m.lines = nil
	m.cond.Broadcast()
	m.mu.Unlock()
}

// drain writes lines to w until the mailbox is closed or w fails.
func (m *mailbox) drain(w io.WriteCloser) {
	defer w.Close()
	bw := bufio.NewWriterSize(w, 64<<10)
	for {
		m.mu.Lock()
		for len(m.lines) == 0 && !m.closed {
			m.mu.Unlock()
			if bw.Flush() != nil {
				m.close()
				return
			}
			m.mu.Lock()
			for len(m.lines) == 0 && !m.closed {
				m.cond.Wait()
			}
		}
		if m.closed {
			m.mu.Unlock()
			return
		}
		batch := m.lines
		m.lines = nil
		m.mu.Unlock()
		for _, l := range batch {
			if _, err := bw.Write(l); err != nil {
				m.close()
				return
			}
			if err := bw.WriteByte('\n'); err != nil {
				m.close()
				return
			}
		}
	}
}

// readLines calls fn with each line of r (without the newline). A line
// longer than max is an error; so is a read error other than EOF.
func readLines(r io.Reader, max int, fn func([]byte) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var long []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			if len(long)+len(chunk) > max {
				return fmt.Errorf("wrote a line longer than %d MiB", max>>20)
			}
			long = append(long, chunk...)
			continue
		}
		line := chunk
		if long != nil {
			long = append(long, chunk...)
			line = long
			if len(line) > max {
				return fmt.Errorf("wrote a line longer than %d MiB", max>>20)
			}
		}
		line = bytes.TrimSuffix(line, []byte{'\n'})
		if len(line) > 0 || err == nil {
			if ferr := fn(line); ferr != nil {
				return ferr
			}
		}
		long = nil
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrClosedPipe) {
				return nil
			}
			return err
		}
	}
}

// logStderr copies the node's stderr to w a line at a time, keeping the
// last lines for a crash report.
func (n *node) logStderr(w io.Writer) {
	defer close(n.stderrDone)
	var buf []byte
	_ = readLines(n.proc.Stderr(), MaxLine, func(line []byte) error {
		if w != nil {
			buf = append(append(buf[:0], line...), '\n')
			_, _ = w.Write(buf)
		}
		s := clipLine(string(line))
		n.mu.Lock()
		n.tail = append(n.tail, s)
		if len(n.tail) > tailLines {
			n.tail = n.tail[len(n.tail)-tailLines:]
		}
		n.mu.Unlock()
		return nil
	})
}

// clipLine is a log line as a person reads it: valid UTF-8, and cut after
// 500 bytes.
func clipLine(line string) string {
	s := strings.ToValidUTF8(line, "\uFFFD")
	if len(s) > 500 {
		s = s[:500] + "..."
	}
	return s
}

// lastLog returns the last stderr lines, waiting briefly for the log
// reader to catch up with a process that just exited.
func (n *node) lastLog(k int) []string {
	select {
	case <-n.stderrDone:
	case <-time.After(time.Second):
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	t := n.tail
	// A Go panic or runtime error is followed by a long goroutine dump:
	// start at the panic itself, which is what explains the crash.
	for i, l := range t {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
			t = t[i:]
			break
		}
	}
	if len(t) > k {
		if t[0] != n.tail[0] && (strings.HasPrefix(t[0], "panic: ") || strings.HasPrefix(t[0], "fatal error: ")) {
			t = t[:k]
		} else {
			t = t[len(t)-k:]
		}
	}
	return append([]string(nil), t...)
}

// describeExit renders how a process ended: "exit status 2", "killed by
// signal: segmentation fault", "exited normally".
func describeExit(err error) string {
	if err == nil {
		return "exited with status 0"
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ee.Exited() {
			return fmt.Sprintf("exited with status %d", ee.ExitCode())
		}
		return "was killed: " + ee.String()
	}
	return "stopped: " + err.Error()
}

// protocolError is a node breaking the wire protocol.
type protocolError struct {
	node string
	err  error
}

func (e *protocolError) Error() string {
	return fmt.Sprintf("%s broke the protocol: %v", e.node, e.err)
}

// parseNodeLine checks one stdout line of node id.
func parseNodeLine(id string, line []byte) (proto.Message, error) {
	m, err := proto.ParseLine(line)
	if err != nil {
		return m, &protocolError{node: id, err: err}
	}
	// A src other than id is allowed, as in Maelstrom, as long as it
	// exists (the network rejects an unknown one): a node may forward a
	// client's request to another node, which then replies to the client
	// itself.
	return m, nil
}
