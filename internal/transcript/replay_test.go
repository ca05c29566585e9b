package transcript

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/glomers/glomers/internal/proto"
)

// fakeNode runs respond for every message written to the returned stdin
// and writes the lines it returns to the returned stdout, which it closes
// when stdin ends or respond returns nil.
func fakeNode(respond func(m proto.Message) []string) (io.WriteCloser, io.Reader) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	go func() {
		defer outW.Close()
		defer inR.Close()
		sc := bufio.NewScanner(inR)
		for sc.Scan() {
			m, err := proto.ParseLine(sc.Bytes())
			if err != nil {
				panic(err)
			}
			lines := respond(m)
			if lines == nil {
				return
			}
			for _, l := range lines {
				if _, err := io.WriteString(outW, l+"\n"); err != nil {
					return
				}
			}
		}
	}()
	return inW, outR
}

// reply builds the line a node writes to answer m with the fields of body.
func reply(m proto.Message, body map[string]any) string {
	var req struct {
		MsgID int64 `json:"msg_id"`
	}
	json.Unmarshal(m.Body, &req)
	body["in_reply_to"] = req.MsgID
	b, _ := json.Marshal(map[string]any{"src": m.Dest, "dest": m.Src, "body": body})
	return string(b)
}

// echoNode answers init and echo like the reference solution, passing each
// reply through tweak (which may return other lines instead).
func echoNode(tweak func(m proto.Message, line string) []string) func(proto.Message) []string {
	return func(m proto.Message) []string {
		var b struct {
			Type string `json:"type"`
			Echo any    `json:"echo"`
		}
		json.Unmarshal(m.Body, &b)
		var line string
		switch b.Type {
		case "init":
			line = reply(m, map[string]any{"type": "init_ok"})
		case "echo":
			line = reply(m, map[string]any{"type": "echo_ok", "echo": b.Echo})
		default:
			return []string{}
		}
		if tweak == nil {
			return []string{line}
		}
		return tweak(m, line)
	}
}

func replayAgainst(t *testing.T, tr *Transcript, respond func(proto.Message) []string) error {
	t.Helper()
	stdin, stdout := fakeNode(respond)
	return Replay(t.Context(), tr, stdin, stdout, Options{})
}

// failure asserts that err is a Failure about line, saying want.
func failure(t *testing.T, err error, line int, want string) {
	t.Helper()
	var f *Failure
	if !errors.As(err, &f) {
		t.Fatalf("Replay() = %v, want a *Failure", err)
	}
	if f.Line != line || !strings.Contains(f.Problem, want) {
		t.Errorf("failure at line %d:\n%s\nwant line %d, saying %q", f.Line, f.Problem, line, want)
	}
}

func TestReplay(t *testing.T) {
	tr := mustParse(t, Protocol, echoProtocol)

	t.Run("correct node passes", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			if err := replayAgainst(t, tr, echoNode(nil)); err != nil {
				t.Fatal(err)
			}
		})
	})

	// The library handles each message in its own goroutine: replies to
	// requests sent together may arrive in any order.
	t.Run("replies in another order pass", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var held string
			err := replayAgainst(t, tr, echoNode(func(m proto.Message, line string) []string {
				switch m.Src {
				case "c1":
					held = line
					return []string{}
				case "c2":
					return []string{line, held}
				}
				return []string{line}
			}))
			if err != nil {
				t.Fatal(err)
			}
		})
	})

	t.Run("wrong reply fails at its line", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			err := replayAgainst(t, tr, echoNode(func(m proto.Message, line string) []string {
				return []string{strings.Replace(line, `"echo":"b"`, `"echo":"B"`, 1)}
			}))
			failure(t, err, 9, `body.echo: want "b", got "B"`)
		})
	})

	t.Run("silent node fails after the reply timeout", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			start := time.Now()
			err := replayAgainst(t, tr, echoNode(func(m proto.Message, line string) []string {
				if m.Src == "c2" {
					return []string{}
				}
				return []string{line}
			}))
			failure(t, err, 9, "nothing more arrived within 5s")
			if waited := time.Since(start); waited != 5*time.Second {
				t.Errorf("gave up after %v, want 5s", waited)
			}
		})
	})

	t.Run("node that exits while answering fails", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			err := replayAgainst(t, tr, echoNode(func(m proto.Message, line string) []string {
				if m.Src == "c2" {
					return nil // stops the fake node
				}
				return []string{line}
			}))
			failure(t, err, 9, "the node's output ended (did it exit?)")
		})
	})

	t.Run("node that exits before a request fails", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			err := replayAgainst(t, tr, echoNode(func(m proto.Message, line string) []string {
				if m.Src == "c1" {
					return nil
				}
				return []string{line}
			}))
			failure(t, err, 7, `could not send c2->n0 echo msg_id=1 echo="b"`)
		})
	})

	// Maelstrom: nothing but messages may be printed on stdout.
	t.Run("line that is not a message fails", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			err := replayAgainst(t, tr, echoNode(func(m proto.Message, line string) []string {
				return []string{"debug: got " + m.Src, line}
			}))
			failure(t, err, 2, `not a Maelstrom message (line is not a JSON object: "debug: got c0")`)
		})
	})

	t.Run("protocol replay ignores messages to other nodes", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			err := replayAgainst(t, tr, echoNode(func(m proto.Message, line string) []string {
				return []string{`{"src":"n0","dest":"n1","body":{"type":"gossip"}}`, line}
			}))
			if err != nil {
				t.Fatal(err)
			}
		})
	})

	t.Run("solution replay checks messages to other nodes", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			sol := mustParse(t, Solution, echoProtocol)
			err := replayAgainst(t, sol, echoNode(func(m proto.Message, line string) []string {
				if m.Src == "c2" {
					return []string{`{"src":"n0","dest":"n1","body":{"type":"gossip"}}`, line}
				}
				return []string{line}
			}))
			failure(t, err, 9, `dest: want "c2", got "n1"`)
		})
	})

	t.Run("extra reply after the end fails", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			err := replayAgainst(t, tr, echoNode(func(m proto.Message, line string) []string {
				if m.Src == "c2" {
					return []string{line, line}
				}
				return []string{line}
			}))
			failure(t, err, 7, "unexpected message after the last exchange")
		})
	})

	t.Run("cancelled context is not the node's fault", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			stdin, stdout := fakeNode(func(proto.Message) []string { cancel(); return []string{} })
			err := Replay(ctx, tr, stdin, stdout, Options{})
			var f *Failure
			if !errors.Is(err, context.Canceled) || errors.As(err, &f) {
				t.Errorf("Replay() = %v, want context.Canceled", err)
			}
		})
	})
}

func TestReplayUnique(t *testing.T) {
	const generate = `> {"src":"c0","dest":"n0","body":{"type":"init","msg_id":1,"node_id":"n0","node_ids":["n0"]}}
< {"src":"n0","dest":"c0","body":{"type":"init_ok","in_reply_to":1}}
> {"src":"c1","dest":"n0","body":{"type":"generate","msg_id":1}}
> {"src":"c1","dest":"n0","body":{"type":"generate","msg_id":2}}
< {"src":"n0","dest":"c1","body":{"type":"generate_ok","in_reply_to":1,"id":"<unique>"}}
< {"src":"n0","dest":"c1","body":{"type":"generate_ok","in_reply_to":2,"id":"<unique>"}}
> {"src":"c1","dest":"n0","body":{"type":"generate","msg_id":3}}
< {"src":"n0","dest":"c1","body":{"type":"generate_ok","in_reply_to":3,"id":"<unique>"}}
`
	tr := mustParse(t, Protocol, generate)
	node := func(id func(n int) any) func(proto.Message) []string {
		n := 0
		return func(m proto.Message) []string {
			if b, _ := proto.ParseBody(m.Body); b.Type == "init" {
				return []string{reply(m, map[string]any{"type": "init_ok"})}
			}
			n++
			return []string{reply(m, map[string]any{"type": "generate_ok", "id": id(n)})}
		}
	}
	t.Run("distinct ids pass", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			if err := replayAgainst(t, tr, node(func(n int) any { return n })); err != nil {
				t.Fatal(err)
			}
		})
	})
	// Jepsen unique-ids: duplicated ids fail, across exchanges too.
	t.Run("repeated id fails", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			err := replayAgainst(t, tr, node(func(n int) any { return min(n, 2) }))
			failure(t, err, 8, "2 was already received for line")
		})
	})
	t.Run("same value of another type is distinct", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			err := replayAgainst(t, tr, node(func(n int) any {
				if n == 3 {
					return "1"
				}
				return n
			}))
			if err != nil {
				t.Fatal(err)
			}
		})
	})
}

// A protocol transcript may play other nodes: messages to them are
// matched leniently, skipped when they match nothing (a timer's
// heartbeat), and "<$name>" captures let the transcript answer the node's
// own requests.
func TestReplayPeers(t *testing.T) {
	const vote = `> {"src":"c0","dest":"n0","body":{"type":"init","msg_id":1,"node_id":"n0","node_ids":["n0","n1"]}}
< {"src":"n0","dest":"c0","body":{"type":"init_ok","in_reply_to":1}}
< {"src":"n0","dest":"n1","body":{"type":"request_vote","term":1,"msg_id":"<$v>"}}
> {"src":"n1","dest":"n0","body":{"type":"request_vote_res","term":1,"vote_granted":true,"in_reply_to":"<$v>"}}
< {"src":"n0","dest":"n1","body":{"type":"append_entries","term":1}}
`
	tr := mustParse(t, Protocol, vote)
	// node asks for a vote with msg_id 7 after sending noise, and becomes
	// leader only if the answer names that msg_id.
	node := func(noise string) func(proto.Message) []string {
		return func(m proto.Message) []string {
			b, _ := proto.ParseBody(m.Body)
			switch b.Type {
			case "init":
				lines := []string{reply(m, map[string]any{"type": "init_ok"})}
				if noise != "" {
					lines = append(lines, noise)
				}
				return append(lines, `{"src":"n0","dest":"n1","body":{"type":"request_vote","term":1,"msg_id":7}}`)
			case "request_vote_res":
				if b.InReplyTo != nil && *b.InReplyTo == 7 {
					return []string{noise, `{"src":"n0","dest":"n1","body":{"type":"append_entries","term":1}}`}
				}
			}
			return []string{}
		}
	}
	t.Run("captured msg_id answers the node", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			if err := replayAgainst(t, tr, node(`{"src":"n0","dest":"n1","body":{"type":"append_entries","term":0}}`)); err != nil {
				t.Fatal(err)
			}
		})
	})
	t.Run("a message to a node that matches nothing is shown when the wait fails", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			tr := mustParse(t, Protocol, strings.Replace(vote, `"type":"append_entries","term":1`, `"type":"append_entries","term":2`, 1))
			err := replayAgainst(t, tr, node(`{"src":"n0","dest":"n1","body":{"type":"append_entries","term":0}}`))
			failure(t, err, 5, "the last messages to other nodes, which matched nothing")
		})
	})
	t.Run("a capture used before it is made is the transcript's error", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			tr := mustParse(t, Protocol, strings.Replace(vote, `"in_reply_to":"<$v>"`, `"in_reply_to":"<$w>"`, 1))
			err := replayAgainst(t, tr, node(""))
			var f *Failure
			if err == nil || errors.As(err, &f) || !strings.Contains(err.Error(), `"<$w>" is not captured`) {
				t.Errorf("Replay() = %v, want an error about <$w>, not a Failure", err)
			}
		})
	})
}

// A helper process for TestRun: the test binary itself, acting as a node.
func TestMain(m *testing.M) {
	switch os.Getenv("TRANSCRIPT_TEST_NODE") {
	case "":
		os.Exit(m.Run())
	case "echo":
		sc := bufio.NewScanner(os.Stdin)
		respond := echoNode(nil)
		for sc.Scan() {
			m, _ := proto.ParseLine(sc.Bytes())
			for _, l := range respond(m) {
				fmt.Println(l)
			}
		}
		os.Exit(0)
	case "crash":
		sc := bufio.NewScanner(os.Stdin)
		sc.Scan()
		m, _ := proto.ParseLine(sc.Bytes())
		fmt.Println(reply(m, map[string]any{"type": "init_ok"}))
		fmt.Fprintln(os.Stderr, "starting\npanic: no handler for echo")
		os.Exit(3)
	}
}

func TestRun(t *testing.T) {
	tr := mustParse(t, Protocol, echoProtocol)
	node := func(kind string) *exec.Cmd {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "TRANSCRIPT_TEST_NODE="+kind)
		return cmd
	}
	t.Run("correct node passes", func(t *testing.T) {
		if err := Run(t.Context(), tr, node("echo"), Options{}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("crash reports exit status and stderr", func(t *testing.T) {
		err := Run(t.Context(), tr, node("crash"), Options{})
		var f *Failure
		if !errors.As(err, &f) {
			t.Fatalf("Run() = %v, want a *Failure", err)
		}
		if f.Exit != "exit status 3" || f.Stderr != "starting\npanic: no handler for echo" {
			t.Errorf("Exit = %q, Stderr = %q", f.Exit, f.Stderr)
		}
		if msg := err.Error(); !strings.Contains(msg, "the node exited: exit status 3\nthe node's stderr ended with:\n\tstarting\n\tpanic") {
			t.Errorf("error text:\n%s", msg)
		}
	})
	t.Run("missing binary is not the node's fault", func(t *testing.T) {
		err := Run(t.Context(), tr, exec.Command("/nonexistent/node"), Options{})
		var f *Failure
		if err == nil || errors.As(err, &f) || !strings.Contains(err.Error(), "start node /nonexistent/node") {
			t.Errorf("Run() = %v, want a start error", err)
		}
	})
}
