package transcript

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/glomers/glomers/internal/proto"
)

// Options tune a replay. The zero value gives the defaults.
type Options struct {
	// Reply bounds the wait for each exchange's expected messages.
	// Default 5 s, Maelstrom's client RPC timeout.
	Reply time.Duration
	// Grace bounds the wait, once the last exchange is done and the node's
	// stdin is closed, for the node to end its output. Default 1 s. A node
	// still running then is not at fault (Maelstrom kills its nodes), but
	// anything it writes meanwhile is checked.
	Grace time.Duration
}

func (o Options) reply() time.Duration {
	if o.Reply > 0 {
		return o.Reply
	}
	return 5 * time.Second
}

func (o Options) grace() time.Duration {
	if o.Grace > 0 {
		return o.Grace
	}
	return time.Second
}

// Failure is a replay's verdict against the node: it broke the protocol,
// or did not write what the transcript expects. Other errors from Replay
// and Run are the caller's or the machine's (a binary that cannot start, a
// cancelled context).
type Failure struct {
	// Transcript is the transcript's name.
	Transcript string
	// Line is the transcript line the failure is about, 0 for none.
	Line int
	// Problem says what went wrong, possibly on several lines.
	Problem string
	// Narration is the transcript's comment on the exchange that failed
	// (Transcript.Narration): it says what the exchange expects and why,
	// which the want/got lines alone do not.
	Narration string
	// Exit says how the node's process ended, when Run saw it end on its
	// own before the transcript was done ("exit status 2").
	Exit string
	// Stderr holds the last lines the node wrote to stderr (Run only).
	Stderr string

	ended bool // the node's output ended early
}

// Error renders the failure for a learner.
func (f *Failure) Error() string {
	var b strings.Builder
	b.WriteString(f.Transcript)
	if f.Line > 0 {
		fmt.Fprintf(&b, ":%d", f.Line)
	}
	b.WriteString(": " + f.Problem)
	if f.Narration != "" {
		b.WriteString("\nthe transcript's note on this exchange:\n" + indent("# "+strings.ReplaceAll(f.Narration, "\n", "\n# ")))
	}
	if f.Exit != "" {
		b.WriteString("\nthe node exited: " + f.Exit)
	}
	if f.Stderr != "" {
		b.WriteString("\nthe node's stderr ended with:\n" + indent(f.Stderr))
	}
	return b.String()
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	return "\t" + strings.ReplaceAll(s, "\n", "\n\t")
}

// Replay plays t against a node that reads stdin and writes stdout, and
// returns nil when every expected message arrived and nothing unexpected
// did. A *Failure means the node is at fault.
//
// Replay closes stdin after the last exchange. It may leave a goroutine
// reading stdout until the caller closes it or the node ends its output.
func Replay(ctx context.Context, t *Transcript, stdin io.WriteCloser, stdout io.Reader, opts Options) error {
	r := &replay{t: t, out: newOutput(stdout), uniques: map[string]int{}, captures: map[string]any{}}
	defer stdin.Close()
	lastLine := 0
	for i, x := range t.Exchanges() {
		for _, e := range x.Send {
			lastLine = e.Line
			line, err := substitute(e.Raw, r.captures)
			if err != nil {
				return fmt.Errorf("%s:%d: %v", t.Name, e.Line, err)
			}
			if _, err := io.WriteString(stdin, line+"\n"); err != nil {
				f := r.failf(e.Line, "could not send %s: %v (did the node exit?)", proto.Describe(e.Msg), err)
				f.ended = true
				return f
			}
		}
		wait := opts.reply()
		if i == 0 && opts.Reply == 0 {
			// The first answer includes the node's start-up (a go run, a
			// JVM, a loaded machine): like the harness's init, allow 10 s.
			wait = 10 * time.Second
		}
		if err := r.expect(ctx, x, lastLine, wait); err != nil {
			return err
		}
	}
	stdin.Close()
	return r.finish(ctx, lastLine, opts.grace())
}

type replay struct {
	t        *Transcript
	out      *output
	uniques  map[string]int // value of a "<unique>" -> transcript line that matched it
	captures map[string]any // "<$name>" -> the value it captured
	skipped  []string       // the last messages to other nodes that matched nothing
}

// maxSkipped bounds the skipped messages a failure shows.
const maxSkipped = 5

func (r *replay) failf(line int, format string, args ...any) *Failure {
	return &Failure{Transcript: r.t.Name, Line: line, Problem: fmt.Sprintf(format, args...), Narration: r.t.Narration(line)}
}

// relevant reports whether the replay checks a message the node wrote.
// A protocol replay checks messages to other nodes too, but leniently
// (see lenient).
func (r *replay) relevant(m proto.Message) bool {
	return r.t.Kind == Solution || proto.IsClient(m.Dest) || isPeer(m.Dest)
}

// lenient reports whether a message is matched leniently: taken by an
// expectation it matches, skipped otherwise. So are the requests a node
// sends other nodes in a protocol transcript, which timers send at will;
// its replies to the transcript's messages are checked strictly.
func (r *replay) lenient(m proto.Message) bool {
	if r.t.Kind != Protocol || !isPeer(m.Dest) {
		return false
	}
	b, err := decodeJSON(m.Body)
	if err != nil {
		return false
	}
	body, _ := b.(map[string]any)
	_, reply := body["in_reply_to"]
	return !reply
}

// received is a message the node wrote.
type received struct {
	msg proto.Message
	raw string
}

// next returns the node's next relevant message. ok is false at the end of
// its output or when timeout fires; err is a context error or a Failure.
func (r *replay) next(ctx context.Context, timeout <-chan time.Time, line int) (m received, ok bool, err error) {
	for {
		l, state := r.out.next(ctx, timeout)
		switch state {
		case gotLine:
		case gotCancel:
			return received{}, false, ctx.Err()
		default:
			return received{}, false, nil
		}
		if l.err != nil {
			return received{}, false, r.failf(line, "%v", l.err)
		}
		if r.relevant(l.msg) {
			return received{l.msg, l.raw}, true, nil
		}
	}
}

func (r *replay) expect(ctx context.Context, x Exchange, line int, wait time.Duration) error {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	// Strict expectations are matched together at the end, in any order;
	// lenient ones (messages to other nodes) each take the first message
	// that matches them.
	var strict, lenient Exchange
	for _, e := range x.Expect {
		if r.lenient(e.Msg) {
			lenient.Expect = append(lenient.Expect, e)
		} else {
			strict.Expect = append(strict.Expect, e)
		}
	}
	var got []received
	taken := make([]bool, len(lenient.Expect))
	open := len(lenient.Expect)
	for len(got) < len(strict.Expect) || open > 0 {
		m, ok, err := r.next(ctx, timer.C, line)
		if err != nil {
			return err
		}
		if !ok {
			return r.missing(x, strict, got, lenient, taken, line, wait)
		}
		if !r.lenient(m.msg) {
			if len(got) == len(strict.Expect) {
				return r.failf(line, "unexpected message while the transcript waited for messages to other nodes:\n\t%s", m.raw)
			}
			got = append(got, m)
			continue
		}
		found := false
		for i, e := range lenient.Expect {
			if taken[i] {
				continue
			}
			if mm, d := match(e.Msg, m.msg); d == "" {
				taken[i], found = true, true
				open--
				r.capture(mm)
				break
			}
		}
		if !found {
			r.skipped = append(r.skipped, m.raw)
			if len(r.skipped) > maxSkipped {
				r.skipped = r.skipped[1:]
			}
		}
	}
	return r.match(strict, got)
}

// capture keeps what a matched expectation's "<$name>" wildcards captured.
func (r *replay) capture(m *matcher) {
	for k, v := range m.captures {
		r.captures[k] = v
	}
}

// match pairs the exchange's expectations with what arrived, in any order.
func (r *replay) match(x Exchange, got []received) error {
	ok := func(i, j int) bool {
		_, d := MatchMessage(x.Expect[i].Msg, got[j].msg)
		return d == ""
	}
	pair, unmatched := assign(len(x.Expect), len(got), ok)
	if unmatched >= 0 {
		return r.mismatch(x, got, pair, unmatched)
	}
	for i, j := range pair {
		mm, _ := match(x.Expect[i].Msg, got[j].msg)
		r.capture(mm)
		for _, v := range mm.uniques {
			key := canonical(v)
			if first, dup := r.uniques[key]; dup {
				return r.failf(x.Expect[i].Line, "%s repeats a value that must be unique: %s was already received for line %d\n\tgot %s",
					proto.Describe(got[j].msg), key, first, got[j].raw)
			}
			r.uniques[key] = x.Expect[i].Line
		}
	}
	return nil
}

// mismatch explains an expectation nothing matched, next to the received
// message most likely meant for it.
func (r *replay) mismatch(x Exchange, got []received, pair []int, unmatched int) error {
	want := x.Expect[unmatched]
	taken := map[int]bool{}
	for _, j := range pair {
		if j >= 0 {
			taken[j] = true
		}
	}
	best, bestScore := -1, -1
	for j, g := range got {
		if taken[j] {
			continue
		}
		if s := closeness(want.Msg, g.msg); s > bestScore {
			best, bestScore = j, s
		}
	}
	if best < 0 { // every message was taken by another expectation
		best = 0
	}
	_, diff := MatchMessage(want.Msg, got[best].msg)
	if diff == "" {
		diff = "it matches a different line of this exchange"
	}
	return r.failf(want.Line, "the node's message does not match\n\twant %s\n\tgot  %s\n\t(%s)",
		want.Raw, got[best].raw, diff)
}

// closeness scores how likely got is the message want describes: a reply
// to the same request scores highest.
func closeness(want, got proto.Message) int {
	s := 0
	if want.Dest == got.Dest {
		s += 2
	}
	wb, err1 := proto.ParseBody(want.Body)
	gb, err2 := proto.ParseBody(got.Body)
	if err1 == nil && err2 == nil {
		if wb.InReplyTo != nil && gb.InReplyTo != nil && *wb.InReplyTo == *gb.InReplyTo {
			s += 4
		}
		if wb.Type == gb.Type {
			s++
		}
	}
	return s
}

// missing explains an exchange that ended before everything arrived:
// strict expectations not met by what got holds, and lenient ones not
// taken.
func (r *replay) missing(x, strict Exchange, got []received, lenient Exchange, taken []bool, line int, wait time.Duration) error {
	ok := func(i, j int) bool {
		_, d := MatchMessage(strict.Expect[i].Msg, got[j].msg)
		return d == ""
	}
	pair, _ := assign(len(strict.Expect), len(got), ok)
	waiting := map[int]bool{} // transcript lines still waited for
	for i, j := range pair {
		if j < 0 {
			waiting[strict.Expect[i].Line] = true
		}
	}
	for i, e := range lenient.Expect {
		if !taken[i] {
			waiting[e.Line] = true
		}
	}
	var b strings.Builder
	ended := r.out.ended()
	if ended {
		b.WriteString("the node's output ended (did it exit?) while the transcript waited for:")
	} else {
		fmt.Fprintf(&b, "nothing more arrived within %v; the transcript waited for:", wait)
	}
	first := 0
	for _, e := range x.Expect {
		if waiting[e.Line] {
			if first == 0 {
				first = e.Line
			}
			fmt.Fprintf(&b, "\n\tline %d: %s", e.Line, e.Raw)
		}
	}
	if len(got) > 0 {
		b.WriteString("\nand received meanwhile:")
		for _, g := range got {
			fmt.Fprintf(&b, "\n\t%s", g.raw)
		}
	}
	if len(r.skipped) > 0 {
		b.WriteString("\nthe last messages to other nodes, which matched nothing the transcript waited for:")
		for _, s := range r.skipped {
			fmt.Fprintf(&b, "\n\t%s", s)
		}
	}
	if first == 0 {
		first = line
	}
	f := r.failf(first, "%s", b.String())
	f.ended = ended
	return f
}

// finish checks what the node writes after the last exchange, until its
// output ends or grace runs out.
func (r *replay) finish(ctx context.Context, line int, grace time.Duration) error {
	timer := time.NewTimer(grace)
	defer timer.Stop()
	for {
		m, ok, err := r.next(ctx, timer.C, line)
		if err != nil || !ok {
			return err
		}
		if !r.lenient(m.msg) {
			return r.failf(line, "unexpected message after the last exchange:\n\t%s", m.raw)
		}
	}
}

// output collects a node's stdout. A goroutine reads it line by line into
// a queue, so the node can always write, whatever the replay is doing.
type output struct {
	mu     sync.Mutex
	lines  []outLine
	eof    bool
	notify chan struct{}
}

type outLine struct {
	msg proto.Message
	raw string
	err error
}

// maxLine bounds one line of node output. Far above the Maelstrom Go
// library's own 64 KiB input limit, so oversized lines are seen whole.
const maxLine = 16 << 20

func newOutput(r io.Reader) *output {
	o := &output{notify: make(chan struct{}, 1)}
	go func() {
		sc := bufio.NewScanner(r)
		sc.Buffer(nil, maxLine)
		for sc.Scan() {
			l := outLine{raw: sc.Text()}
			l.msg, l.err = proto.ParseLine(sc.Bytes())
			if l.err != nil {
				l.err = fmt.Errorf("the node wrote a line that is not a Maelstrom message (%v)", l.err)
			}
			o.push(l, false)
		}
		if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
			o.push(outLine{err: fmt.Errorf("the node wrote a line longer than %d bytes", maxLine)}, false)
		}
		o.push(outLine{}, true)
	}()
	return o
}

func (o *output) push(l outLine, eof bool) {
	o.mu.Lock()
	if eof {
		o.eof = true
	} else {
		o.lines = append(o.lines, l)
	}
	o.mu.Unlock()
	select {
	case o.notify <- struct{}{}:
	default:
	}
}

func (o *output) ended() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.eof && len(o.lines) == 0
}

type state int

const (
	gotLine state = iota
	gotEOF
	gotTimeout
	gotCancel
)

func (o *output) next(ctx context.Context, timeout <-chan time.Time) (outLine, state) {
	for {
		o.mu.Lock()
		if len(o.lines) > 0 {
			l := o.lines[0]
			o.lines = o.lines[1:]
			o.mu.Unlock()
			return l, gotLine
		}
		eof := o.eof
		o.mu.Unlock()
		if eof {
			return outLine{}, gotEOF
		}
		select {
		case <-o.notify:
		case <-timeout:
			return outLine{}, gotTimeout
		case <-ctx.Done():
			return outLine{}, gotCancel
		}
	}
}

// Run starts cmd as the node, replays t against it, and makes sure the
// process is gone before returning. Run sets cmd's stdin and stdout; the
// node's stderr still goes to cmd.Stderr if set, and its last lines are
// added to a Failure. A *Failure means the node is at fault; any other
// error means the replay could not be done (the binary would not start,
// the context was cancelled).
func Run(ctx context.Context, t *Transcript, cmd *exec.Cmd, opts Options) error {
	inR, inW, err := os.Pipe()
	if err != nil {
		return err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return err
	}
	defer outR.Close()
	// Real files, not StdinPipe/StdoutPipe: Wait closes those, and could
	// then drop output the node wrote just before exiting.
	cmd.Stdin, cmd.Stdout = inR, outW
	tail := &tailWriter{}
	if cmd.Stderr != nil {
		cmd.Stderr = io.MultiWriter(cmd.Stderr, tail)
	} else {
		cmd.Stderr = tail
	}
	err = cmd.Start()
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		return fmt.Errorf("start node %s: %w", cmd.Path, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	err = Replay(ctx, t, inW, outR, opts)

	var f *Failure
	isFailure := errors.As(err, &f)
	var waitErr error
	gone := false
	if err == nil || (isFailure && f.ended) {
		// The node's input or output has ended; give it a moment to exit
		// on its own, so that a crash can be reported as one.
		timer := time.NewTimer(opts.grace())
		select {
		case waitErr = <-exited:
			gone = true
		case <-timer.C:
		}
		timer.Stop()
	}
	if !gone {
		cmd.Process.Kill()
		<-exited
	}
	if isFailure {
		if gone && f.ended {
			f.Exit = exitString(waitErr)
		}
		f.Stderr = tail.String()
	}
	return err
}

func exitString(err error) string {
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}

// tailWriter keeps the last lines written to it.
type tailWriter struct {
	mu  sync.Mutex
	buf []byte
}

const (
	tailBytes = 4 << 10
	tailLines = 12
)

// Write keeps p, dropping the oldest bytes beyond about tailBytes.
func (w *tailWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	if len(w.buf) > 2*tailBytes {
		w.buf = append([]byte(nil), w.buf[len(w.buf)-tailBytes:]...)
	}
	return len(p), nil
}

// String returns at most the last tailLines lines.
func (w *tailWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	lines := strings.Split(strings.TrimRight(string(w.buf), "\n"), "\n")
	if len(lines) > tailLines {
		lines = lines[len(lines)-tailLines:]
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}
