// Package transcript owns transcripts: short, scripted exchanges of
// Maelstrom messages with one node, used both as tests and as the examples
// the chapters show.
//
// # Format
//
// A transcript is text, one entry per line:
//
//	# Echo: the node answers init, then echoes each payload back.
//	> {"src":"c0","dest":"n0","body":{"type":"init","msg_id":1,"node_id":"n0","node_ids":["n0"]}}
//	< {"src":"n0","dest":"c0","body":{"type":"init_ok","in_reply_to":1}}
//	> {"src":"c1","dest":"n0","body":{"type":"echo","msg_id":1,"echo":"hello"}}
//	< {"src":"n0","dest":"c1","body":{"type":"echo_ok","in_reply_to":1,"echo":"hello"}}
//
// A line starting with ">" is a message written to the node's stdin; one
// starting with "<" is a message the node is expected to write to stdout;
// "#" starts a comment, which the chapters show as narration; blank lines
// only separate. The first message is the init that names the node under
// test; every ">" message is addressed to it, every "<" message comes from
// it.
//
// Replay groups the lines into exchanges: a run of ">" lines is sent at
// once, then the run of "<" lines that follows must all arrive before the
// next ">" is sent. Within an exchange the expected messages may arrive in
// any order, since the Maelstrom library handles each message in its own
// goroutine. To make the order matter, put the requests in separate
// exchanges, as a Maelstrom client does: it waits for each reply.
//
// # Comparison
//
// An expected message matches a received one when they are equal as JSON,
// structurally (key order and spacing are irrelevant; numbers compare by
// value, but an integer never equals a float: 1 is not 1.0, as for
// Maelstrom), with these allowances:
//
//   - the envelope's "id" field, Maelstrom's network id, is ignored;
//   - the body may carry a "msg_id" the transcript does not show, as
//     Maelstrom allows on any reply, if it is an integer;
//   - a few strings in an expected message are wildcards:
//     "<any>" matches any value, "<int>" any integer, "<string>" any string,
//     and "<unique>" any value that no other "<unique>" in the same replay
//     matched (ids a node generates, which a test cannot predict but which
//     must never repeat);
//   - an expected array whose first element is "<unordered>" matches an
//     array holding the remaining elements in any order (a broadcast read
//     returns a set).
//
// Any other difference, including a body field the transcript does not
// list, is a mismatch, because Maelstrom's response schemas are closed.
// The wildcard words are only special in "<" lines; a ">" line is sent as
// written, but for captures (below).
//
// # Kinds
//
// A protocol transcript shows what a client can see: messages from and to
// clients (c0, c1, ...). It holds for any correct node, in any language,
// so `tutor check` replays the protocol transcripts of a step against the
// learner's node before running the workload. During replay, messages the
// node sends to services are ignored, and nobody answers them: a protocol
// transcript may only show exchanges a node completes on its own (a node
// of step 4 that reads seq-kv before answering cannot be replayed this
// way).
//
// When a step fixes the messages nodes exchange among themselves, as the
// Raft steps do (request_vote, append_entries), a protocol transcript may
// also play other nodes (n1, n2, ...): ">" lines from them, "<" lines to
// them. The node's replies to those messages are checked like its replies
// to clients. But nodes with timers send requests of their own whenever
// their clocks say, so replay is lenient with these: a request to another
// node is checked only against the current exchange's expectations, taken
// by the first one it matches, and skipped when it matches none (a
// heartbeat sent while the transcript waits for a vote request).
//
// # Captures
//
// A transcript cannot know the msg_id a node gives its own requests, yet
// must answer them. A string "<$name>" in a "<" line matches any value and
// captures it under name; the same string in a later ">" line is replaced
// by the captured value before the line is sent:
//
//	< {"src":"n0","dest":"n1","body":{"type":"request_vote","term":2,"msg_id":"<$vote>", ...}}
//	> {"src":"n1","dest":"n0","body":{"type":"request_vote_res","in_reply_to":"<$vote>", ...}}
//
// A solution transcript documents how the reference solution works inside:
// it may show messages between nodes, and replies from other nodes fed in
// with ">" lines, and values only the reference produces. It is checked
// against the reference solution only (by go test); during replay every
// message the node writes must be expected.
//
// # Where transcripts live
//
// Each transcript is a testscript archive in testdata/script named
// transcript_<step>_<what>.txtar, holding one file named "protocol" or
// "solution" (the kind) and a script that replays it against the reference
// solution, with the replay command defined in the repository's
// script_test.go:
//
//	replay protocol tutor node 1
//
// The chapters show a transcript with a transcript cell naming the
// archive; the book and `tutor check` find a step's transcripts by name.
//
// This package does I/O only in Run, which starts a process; Replay works
// on any pair of streams, so tests drive it over in-memory pipes.
package transcript

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/glomers/glomers/internal/proto"
)

// Kind says who a transcript holds for.
type Kind int

// The kinds of transcript.
const (
	// Protocol transcripts show only client-visible messages and hold for
	// any correct node.
	Protocol Kind = iota + 1
	// Solution transcripts document the reference solution, internal
	// messages included.
	Solution
)

// String returns the kind's name, which is also the name of the file that
// holds such a transcript in an archive.
func (k Kind) String() string {
	switch k {
	case Protocol:
		return "protocol"
	case Solution:
		return "solution"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// ParseKind returns the kind named s ("protocol" or "solution").
func ParseKind(s string) (Kind, error) {
	switch s {
	case "protocol":
		return Protocol, nil
	case "solution":
		return Solution, nil
	}
	return 0, fmt.Errorf("unknown transcript kind %q (want protocol or solution)", s)
}

// Dir is the direction of a message relative to the node under test.
type Dir int

// Directions.
const (
	// In is a message written to the node's stdin (a ">" line).
	In Dir = iota + 1
	// Out is a message the node must write to its stdout (a "<" line).
	Out
)

// Entry is one line of a transcript.
type Entry struct {
	// Line is the line number in the transcript text, from 1.
	Line int
	// Dir is In or Out for a message, zero for a comment or a blank line.
	Dir Dir
	// Msg is the message of an In or Out line.
	Msg proto.Message
	// Raw is the message's JSON exactly as written.
	Raw string
	// Comment is the text of a comment line, without the "#" and one
	// following space. A blank line has Dir zero and an empty Comment.
	Comment string
}

// Transcript is a parsed transcript.
type Transcript struct {
	// Name identifies the transcript in errors, e.g. "transcript_1_echo".
	Name string
	// Kind says against what it may be replayed.
	Kind Kind
	// Node is the id of the node under test, from the init message.
	Node string
	// Entries are the transcript's lines in order.
	Entries []Entry
}

// Narration returns the comment lines just above the messages that
// include line, joined by newlines: the chapters print them as the
// exchange's narration, and a failure shows them so the learner reads
// what the exchange expects. Empty when a blank line or nothing but
// messages stands between line and the comment above.
func (t *Transcript) Narration(line int) string {
	i := slices.IndexFunc(t.Entries, func(e Entry) bool { return e.Line == line })
	if i < 0 {
		return ""
	}
	for i >= 0 && t.Entries[i].Dir != 0 {
		i--
	}
	end := i + 1
	for i >= 0 && t.Entries[i].Dir == 0 && t.Entries[i].Comment != "" {
		i--
	}
	var lines []string
	for _, e := range t.Entries[i+1 : end] {
		lines = append(lines, e.Comment)
	}
	return strings.Join(lines, "\n")
}

// Exchange is a group of messages sent to the node together, followed by
// the messages expected back before anything more is sent.
type Exchange struct {
	Send   []Entry
	Expect []Entry
}

// Exchanges groups the transcript's messages as Replay plays them.
func (t *Transcript) Exchanges() []Exchange {
	var xs []Exchange
	var cur Exchange
	for _, e := range t.Entries {
		switch e.Dir {
		case In:
			if len(cur.Expect) > 0 {
				xs = append(xs, cur)
				cur = Exchange{}
			}
			cur.Send = append(cur.Send, e)
		case Out:
			cur.Expect = append(cur.Expect, e)
		}
	}
	if len(cur.Send)+len(cur.Expect) > 0 {
		xs = append(xs, cur)
	}
	return xs
}

// Parse parses the text of a transcript of the given kind. name identifies
// it in errors.
func Parse(name string, kind Kind, text []byte) (*Transcript, error) {
	return parse(name, kind, text, 1)
}

// parse parses text whose first line is line first of its file.
func parse(name string, kind Kind, text []byte, first int) (*Transcript, error) {
	t := &Transcript{Name: name, Kind: kind}
	if kind != Protocol && kind != Solution {
		return nil, fmt.Errorf("%s: unknown transcript kind %v", name, kind)
	}
	for i, l := range strings.Split(string(text), "\n") {
		e := Entry{Line: first + i}
		l = strings.TrimSpace(l)
		switch {
		case l == "":
		case strings.HasPrefix(l, "#"):
			e.Comment = strings.TrimPrefix(strings.TrimPrefix(l, "#"), " ")
		case strings.HasPrefix(l, ">") || strings.HasPrefix(l, "<"):
			e.Dir = In
			if l[0] == '<' {
				e.Dir = Out
			}
			e.Raw = strings.TrimSpace(l[1:])
			m, err := parseMessage(e.Raw)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", name, e.Line, err)
			}
			e.Msg = m
			if err := t.checkEntry(e); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", name, e.Line, err)
			}
		default:
			return nil, fmt.Errorf("%s:%d: line must start with >, < or #: %s", name, e.Line, proto.Quote([]byte(l)))
		}
		t.Entries = append(t.Entries, e)
	}
	// Drop trailing blank lines, usually just the final newline.
	for len(t.Entries) > 0 {
		last := t.Entries[len(t.Entries)-1]
		if last.Dir != 0 || last.Comment != "" {
			break
		}
		t.Entries = t.Entries[:len(t.Entries)-1]
	}
	if t.Node == "" {
		return nil, fmt.Errorf("%s: no messages (the first must be an init sent to the node)", name)
	}
	return t, nil
}

// checkEntry enforces the rules that make a transcript replayable, and
// records the node under test from the first message.
func (t *Transcript) checkEntry(e Entry) error {
	body, _ := proto.ParseBody(e.Msg.Body) // ParseLine has validated it
	if t.Node == "" {
		if e.Dir != In || body.Type != "init" {
			return errors.New(`the first message must be an init sent to the node (">" line)`)
		}
		var init struct {
			NodeID string `json:"node_id"`
		}
		if err := json.Unmarshal(e.Msg.Body, &init); err != nil || init.NodeID == "" {
			return errors.New(`init has no string "node_id"`)
		}
		t.Node = init.NodeID
	}
	switch e.Dir {
	case In:
		if e.Msg.Dest != t.Node {
			return fmt.Errorf("message to %s, but the node under test is %s", e.Msg.Dest, t.Node)
		}
		if t.Kind == Protocol && !proto.IsClient(e.Msg.Src) && !isPeer(e.Msg.Src) {
			return fmt.Errorf("message from %s: a protocol transcript shows only messages of clients and other nodes (make it a solution transcript)", e.Msg.Src)
		}
	case Out:
		if e.Msg.Src != t.Node {
			return fmt.Errorf("message from %s, but the node under test is %s", e.Msg.Src, t.Node)
		}
		if t.Kind == Protocol && !proto.IsClient(e.Msg.Dest) && !isPeer(e.Msg.Dest) {
			return fmt.Errorf("message to %s: a protocol transcript shows only messages of clients and other nodes (make it a solution transcript)", e.Msg.Dest)
		}
	}
	return nil
}

// parseMessage parses a transcript's message line. Its "<$name>" captures
// may stand where Maelstrom wants an integer (msg_id, in_reply_to), so the
// line is validated with each capture read as 0, and keeps its own body.
func parseMessage(raw string) (proto.Message, error) {
	if !strings.Contains(raw, `"<$`) {
		return proto.ParseLine([]byte(raw))
	}
	v, err := decodeJSON([]byte(raw))
	if err != nil {
		return proto.ParseLine([]byte(raw)) // for its error
	}
	m, err := proto.ParseLine([]byte(canonical(replaceCaptures(v, func(string) any { return 0 }))))
	if err != nil {
		return m, err
	}
	var env struct {
		Body json.RawMessage `json:"body"`
	}
	if err := json.Unmarshal([]byte(raw), &env); err != nil {
		return m, err
	}
	m.Body = env.Body
	return m, nil
}

// isPeer reports whether id names a node, not a client or a service:
// Maelstrom names nodes n0, n1, ..., and its services seq-kv, lin-kv,
// lww-kv and lin-tso.
func isPeer(id string) bool {
	return len(id) > 1 && id[0] == 'n' && id[1] >= '0' && id[1] <= '9'
}

// ArchiveName is the name of the testscript archive of a step's
// transcript: transcript_<step>_<what>.txtar.
func ArchiveName(step, what string) string {
	return "transcript_" + step + "_" + what + ".txtar"
}

// StepOf returns the step an archive's file name belongs to ("3d" for
// "testdata/script/transcript_3d_gossip.txtar"), and false for files that
// are not transcripts.
func StepOf(file string) (string, bool) {
	base := path.Base(file)
	rest, ok := strings.CutPrefix(base, "transcript_")
	if !ok || !strings.HasSuffix(base, ".txtar") {
		return "", false
	}
	step, _, ok := strings.Cut(rest, "_")
	if !ok || step == "" {
		return "", false
	}
	return step, true
}

// FromArchive parses the transcript held in a testscript archive: the file
// named "protocol" or "solution". name identifies the archive in errors and
// becomes the transcript's name, less its directory and extension. Entry
// lines are lines of the archive, so errors point into the file to edit.
func FromArchive(name string, data []byte) (*Transcript, error) {
	a := txtar.Parse(data)
	var found *txtar.File
	for i, f := range a.Files {
		if _, err := ParseKind(f.Name); err != nil {
			continue
		}
		if found != nil {
			return nil, fmt.Errorf("%s: holds both %q and %q; put each transcript in its own archive", name, found.Name, f.Name)
		}
		found = &a.Files[i]
	}
	if found == nil {
		return nil, fmt.Errorf("%s: no file named \"protocol\" or \"solution\"", name)
	}
	kind, _ := ParseKind(found.Name)
	short := strings.TrimSuffix(path.Base(name), ".txtar")
	return parse(short, kind, found.Data, sectionLine(data, found.Name))
}

// sectionLine returns the archive line on which the named file's data
// starts: the line after its "-- name --" marker.
func sectionLine(data []byte, name string) int {
	marker := "-- " + name + " --"
	for i, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) == marker {
			return i + 2
		}
	}
	return 1
}

// Render shows the transcript as the chapters print it: comments as "#"
// lines and each message in proto.Describe's one-line form, blank lines
// kept as separators.
func (t *Transcript) Render() string {
	var b strings.Builder
	blank := false
	for _, e := range t.Entries {
		var line string
		switch {
		case e.Dir != 0:
			line = proto.Describe(e.Msg)
		case e.Comment != "":
			line = "# " + e.Comment
		default:
			blank = true
			continue
		}
		if blank && b.Len() > 0 {
			b.WriteByte('\n')
		}
		blank = false
		b.WriteString(line + "\n")
	}
	return b.String()
}
