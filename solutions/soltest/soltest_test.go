package soltest_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"

	"github.com/glomers/glomers/solutions/soltest"
)

// recorder stands in for the test a helper would fail, so that the
// helper's failures can be asserted on.
type recorder struct {
	testing.TB
	fatal string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Fatal(args ...any) {
	r.fatal = fmt.Sprint(args...)
	runtime.Goexit()
}

// failure runs f as a test body would and returns what it failed with.
func failure(r *recorder, f func()) string {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	<-done
	return r.fatal
}

func TestCall(t *testing.T) {
	t.Run("reply is paired by in_reply_to", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := soltest.Start(t, func(mn *maelstrom.Node) {
				mn.Handle("ping", func(msg maelstrom.Message) error {
					// Something unrelated first, then the reply.
					if err := mn.Send("n1", map[string]any{"type": "gossip"}); err != nil {
						return err
					}
					return mn.Reply(msg, map[string]any{"type": "pong"})
				})
			})
			n.Init("n0", "n0", "n1")
			soltest.AssertBody(t, n.Call("c1", `{"type":"ping","msg_id":5}`), `{"type":"pong","in_reply_to":5}`)
			// The message Call skipped is still there for Recv.
			if m := n.Recv(); m.Dest != "n1" || m.Type() != "gossip" {
				t.Errorf("Recv() = %+v, want the gossip to n1", m)
			}
		})
	})

	// The point of running in a bubble: a node that never answers is
	// reported after Wait of fake time, which passes at once.
	t.Run("silent node fails after Wait of fake time", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			r := &recorder{TB: t}
			quiet := soltest.Start(r, func(mn *maelstrom.Node) {
				mn.Handle("ping", func(maelstrom.Message) error { return nil })
			})
			quiet.Init("n1", "n1")
			start := time.Now()
			got := failure(r, func() { quiet.Call("c1", `{"type":"ping","msg_id":2}`) })
			if !strings.Contains(got, "wrote nothing matching a reply to c1 msg_id 2") {
				t.Errorf("failure = %q, want it to name the missing reply", got)
			}
			if waited := time.Since(start); waited != soltest.Wait {
				t.Errorf("waited %v of fake time, want %v", waited, soltest.Wait)
			}
		})
	})

	t.Run("a line that is not a message fails the test", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			r := &recorder{TB: t}
			n := soltest.Start(r, func(mn *maelstrom.Node) {
				mn.Handle("ping", func(maelstrom.Message) error {
					_, err := mn.Stdout.Write([]byte("hello from fmt.Println\n"))
					return err
				})
			})
			n.Init("n0", "n0")
			got := failure(r, func() { n.Call("c1", `{"type":"ping","msg_id":2}`) })
			if !strings.Contains(got, `not a message: "hello from fmt.Println"`) {
				t.Errorf("failure = %q, want it to quote the line", got)
			}
		})
	})
}

func TestAssertBody(t *testing.T) {
	msg := maelstrom.Message{Body: []byte(`{"type":"x","n":1,"list":[1,2]}`)}
	for _, tc := range []struct {
		want string
		ok   bool
	}{
		{`{"list":[1,2],"n":1,"type":"x"}`, true},    // key order is irrelevant
		{`{"type":"x","n":1.0,"list":[1,2]}`, false}, // Maelstrom: 1.0 is not an integer
		{`{"type":"x","n":1,"list":[2,1]}`, false},   // arrays keep their order
		{`{"type":"x","n":1}`, false},                // no field may be missing
	} {
		r := &recorder{TB: t}
		failed := false
		check := &errRecorder{recorder: r, failed: &failed}
		soltest.AssertBody(check, msg, tc.want)
		if failed == tc.ok {
			t.Errorf("AssertBody(%s, %s): failed = %v, want %v", msg.Body, tc.want, failed, !tc.ok)
		}
	}
}

type errRecorder struct {
	*recorder
	failed *bool
}

func (e *errRecorder) Errorf(string, ...any) { *e.failed = true }
