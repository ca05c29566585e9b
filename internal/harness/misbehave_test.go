package harness

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/proc"
	"github.com/glomers/glomers/internal/workload"
)

// Every way a learner's node can misbehave ends the same calm way: a
// verdict, a one-line problem that names the node, and what was recorded
// kept. Cases the other tests cover on their own (non-JSON text, a wrong
// src, an unknown dest, a crash, a silent init, timeouts) are not repeated
// here.
func TestMisbehavingNodes(t *testing.T) {
	t.Parallel()
	// onEcho wraps the correct echo node, adding lines before its reply
	// to the first echo n0 gets.
	onEcho := func(name string, extra func() []string) proc.Launcher {
		done := false
		return rawNode(name, func(self string, msg map[string]any) []string {
			out := echoHandler(self, msg)
			if self == "n0" && !done && msg["body"].(map[string]any)["type"] == "echo" {
				done = true
				out = append(extra(), out...)
			}
			return out
		})
	}
	for _, tc := range []struct {
		name     string
		node     proc.Launcher
		verdict  string // the strict verdict; "" when the run must simply end valid
		problem  string // a part of the one-line problem
		minOps   int    // operations that must have been recorded
		logBytes int    // at least this much stderr kept
		// finding, when set, is a strict anomaly (its message containing
		// problem) the run must report while going on to its end, with
		// Maelstrom's verdict maelstrom.
		finding, maelstrom string
	}{
		{
			name:    "JSON that is not a message",
			node:    onEcho("not-a-message", func() []string { return []string{`{"hello":"world"}`} }),
			verdict: "invalid", problem: `n0 broke the protocol: unexpected top-level field "hello" (only src, dest, body, id)`, minOps: 1,
		},
		{
			name:    "body without a type",
			node:    onEcho("typeless", func() []string { return []string{`{"src":"n0","dest":"c1","body":{"msg_id":1}}`} }),
			verdict: "invalid", problem: `n0 broke the protocol: body has no "type"`, minOps: 1,
		},
		{
			name:    "invalid UTF-8",
			node:    onEcho("mojibake", func() []string { return []string{"{\"src\":\"n0\",\"dest\":\"c1\",\"body\":{\"type\":\"\xff\xfe\"}}"} }),
			verdict: "invalid", problem: "n0 broke the protocol: line is not valid UTF-8", minOps: 1,
		},
		{
			name: "one huge line",
			node: onEcho("huge", func() []string {
				return []string{`{"src":"n0","dest":"n1","body":{"type":"gossip","blob":"` + strings.Repeat("x", 6<<20) + `"}}`}
			}),
			// A 6 MiB message is legal; the run goes on.
			minOps: 50,
		},
		{
			name: "one huge line of garbage",
			node: onEcho("huge-garbage", func() []string { return []string{strings.Repeat("garbage ", 1<<20)} }),
			// The problem quotes 200 bytes and gives the length.
			verdict: "invalid", problem: `... (8388608 bytes)`, minOps: 1,
		},
		{
			name: "flood of messages",
			node: onEcho("flood", func() []string {
				lines := make([]string, 30000)
				for i := range lines {
					lines[i] = fmt.Sprintf(`{"src":"n0","dest":"n%d","body":{"type":"gossip","i":%d}}`, 1+i%2, i)
				}
				return lines
			}),
			minOps: 50,
		},
		{
			name: "a message to a client that is not a reply",
			node: rawNode("chatter", func(self string, msg map[string]any) []string {
				out := echoHandler(self, msg)
				if self == "n0" && msg["body"].(map[string]any)["type"] == "echo" {
					out = append(out, `{"src":"n0","dest":"`+msg["src"].(string)+`","body":{"type":"hello"}}`)
				}
				return out
			}),
			// Maelstrom's client skips it (its in_reply_to is not the
			// request it waits for): a strict finding, and the run goes on.
			verdict: "invalid", problem: "n0 sent client c", finding: "unexpected-reply", maelstrom: "valid", minOps: 50,
		},
		{
			name: "wrong in_reply_to",
			node: rawNode("misreply", func(self string, msg map[string]any) []string {
				out := echoHandler(self, msg)
				if self == "n0" && msg["body"].(map[string]any)["type"] == "echo" {
					out[0] = strings.Replace(out[0], `"in_reply_to":`, `"in_reply_to":9999`, 1)
				}
				return out
			}),
			// Skipped as Maelstrom skips it: the echoes it answered time
			// out, which this test's checker fails, and the run goes on to
			// its end.
			verdict: "invalid", problem: "n0 replied to client c", finding: "unexpected-reply", maelstrom: "invalid", minOps: 50,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := testOptions(t, echoWL{}, tc.node)
			res := runIn(t, o)
			if tc.finding != "" {
				var found *workload.Anomaly
				for i, a := range res.Anomalies {
					if a.Kind == tc.finding {
						found = &res.Anomalies[i]
					}
				}
				switch {
				case res.Problem != "":
					t.Fatalf("the run stopped: %s", res.Problem)
				case found == nil || !found.Strict || !strings.Contains(found.Message, tc.problem):
					t.Fatalf("anomalies %+v, want a strict %s containing %q", res.Anomalies, tc.finding, tc.problem)
				case res.MaelstromVerdict != tc.maelstrom || res.StrictVerdict != tc.verdict:
					t.Fatalf("maelstrom verdict %s, strict %s; want %s and %s; anomalies %+v", res.MaelstromVerdict, res.StrictVerdict, tc.maelstrom, tc.verdict, res.Anomalies)
				case strings.Contains(found.Message, "\n"):
					t.Errorf("finding is not one line: %q", found.Message)
				}
			} else if tc.verdict == "" {
				if !res.Valid {
					t.Fatalf("verdict %s, problem %q", res.Verdict, res.Problem)
				}
			} else if res.StrictVerdict != tc.verdict || !strings.Contains(res.Problem, tc.problem) {
				// Maelstrom's verdict is its checkers' on what was
				// recorded (judgeRecorded); the strict one fails the fault.
				t.Fatalf("strict verdict %s, problem %q; want %s and a problem containing %q", res.StrictVerdict, res.Problem, tc.verdict, tc.problem)
			}
			if strings.Contains(res.Problem, "\n") || len(res.Problem) > 600 {
				t.Errorf("problem is not one short line: %d bytes", len(res.Problem))
			}
			if res.Ops.Invoked < tc.minOps {
				t.Errorf("%d operations recorded, want at least %d", res.Ops.Invoked, tc.minOps)
			}
		})
	}
}

// A node that answers init and then never reads its stdin again must not
// block the harness on a full pipe: its operations time out, the run ends
// on time and the node is stopped.
func TestNodeThatStopsReading(t *testing.T) {
	t.Parallel()
	o := testOptions(t, echoWL{}, &proc.Func{Name: "deaf", Run: func(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer) error {
		sc := bufio.NewScanner(stdin)
		if !sc.Scan() {
			return nil
		}
		var msg map[string]any
		_ = json.Unmarshal(sc.Bytes(), &msg)
		self := msg["body"].(map[string]any)["node_id"].(string)
		io.WriteString(stdout, reply(self, msg, map[string]any{"type": "init_ok"})+"\n")
		<-ctx.Done()
		return nil
	}})
	res := runIn(t, o)
	if res.Valid || res.Ops.Info == 0 || res.Ops.OK != 0 {
		t.Fatalf("verdict %s, ops %+v", res.Verdict, res.Ops)
	}
}

// Megabytes on stderr are a log, not a problem: the run stays valid.
func TestMegabytesOfStderr(t *testing.T) {
	t.Parallel()
	o := testOptions(t, echoWL{}, &proc.Func{Name: "verbose", Run: func(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer) error {
		sc := bufio.NewScanner(stdin)
		line := strings.Repeat("debug ", 100)
		for sc.Scan() {
			for range 2000 {
				io.WriteString(stderr, line+"\n")
			}
			var msg map[string]any
			_ = json.Unmarshal(sc.Bytes(), &msg)
			for _, l := range echoHandler(msg["dest"].(string), msg) {
				io.WriteString(stdout, l+"\n")
			}
		}
		return nil
	}})
	res := runIn(t, o)
	if !res.Valid {
		t.Fatalf("verdict %s, problem %q", res.Verdict, res.Problem)
	}
}

// A node that answers after its client gave up: the harness drops the
// reply, as the closed client reads nothing, and notes that real Maelstrom
// would have silenced the node there (its network refuses a message to a
// closed client, which ends the thread reading the node's output).
func TestLateReplyIsNoted(t *testing.T) {
	t.Parallel()
	slow := true
	node := rawNode("late", func(self string, msg map[string]any) []string {
		if self == "n0" && slow && msg["body"].(map[string]any)["type"] == "echo" {
			slow = false
			time.Sleep(300 * time.Millisecond) // the client waits 100 ms
		}
		return echoHandler(self, msg)
	})
	o := testOptions(t, echoWL{}, node)
	o.RPCTimeout = 100 * time.Millisecond
	o.TimeLimit = 2 * time.Second
	res := runIn(t, o)
	if res.Problem != "" {
		t.Fatalf("the run stopped: %s", res.Problem)
	}
	var note *workload.Anomaly
	for i, n := range res.Notes {
		if n.Kind == "late-reply" {
			note = &res.Notes[i]
		}
	}
	if note == nil {
		t.Fatalf("no late-reply note; notes %+v", res.Notes)
	}
	for _, want := range []string{"n0 replied to c", "had given up on its request and closed", "stop reading the output of n0"} {
		if !strings.Contains(note.Message, want) {
			t.Errorf("note %q lacks %q", note.Message, want)
		}
	}
	for _, a := range res.Anomalies {
		if a.Kind == "late-reply" {
			t.Errorf("late-reply counted as an anomaly: %+v", a)
		}
	}
}

// A reply that comes after the run, to a client closed at the end, is no
// late reply: only clients that gave up on a request count.
func TestNoLateReplyWithoutTimeouts(t *testing.T) {
	t.Parallel()
	res := runIn(t, testOptions(t, echoWL{}, rawNode("echo", echoHandler)))
	for _, n := range res.Notes {
		if n.Kind == "late-reply" {
			t.Fatalf("late-reply note on a run without timeouts: %+v", n)
		}
	}
}
