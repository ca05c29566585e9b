// Package echo is Maelstrom's echo workload, the first challenge: a client
// sends {"type":"echo","echo":v} and the node must answer echo_ok carrying
// the same v back.
//
// Ported from Maelstrom's src/maelstrom/workload/echo.clj (jepsen-io/
// maelstrom cb7f072): every thread sends "Please echo N" with N drawn from
// 0..127; the client is not reusable; the checker pairs each invocation with
// its completion and reports every one that did not come back ok with the
// value sent. Values are compared as JSON values, so a node may re-encode the
// string ("Please\u0020echo 5") and still pass.
//
// History values: an echo invocation carries the string sent; an ok
// completion carries the reply's echo field, whatever JSON it held; fail and
// info completions carry none.
package echo

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

type echoWorkload struct{ workload.Base }

// New returns the echo workload. Its client is not reusable: Maelstrom's
// echo client does not declare itself reusable, so a thread gets a fresh
// client after a timeout.
func New() workload.Workload {
	return echoWorkload{workload.Base{WorkloadName: "echo", KindsDoc: kindsDoc}}
}

func (echoWorkload) NewGenerator(workload.Options) workload.Generator { return generator{} }
func (echoWorkload) NewClient(workload.Options) workload.Client       { return client{} }

func (echoWorkload) Check(h history.History, _ workload.Options) workload.Result {
	return Check(h)
}

// generator hands every thread an endless stream of echo requests.
type generator struct{}

func (generator) Next(_ int, _ time.Duration, rnd *rand.Rand) (workload.Invocation, bool) {
	return workload.Invocation{
		F:     "echo",
		Value: history.Value(fmt.Sprintf("Please echo %d", rnd.IntN(128))),
	}, true
}

func (generator) Update(int, workload.Invocation, workload.Completion) {}

type client struct{}

type echoRequest struct {
	Type string          `json:"type"`
	Echo json.RawMessage `json:"echo"`
}

func (client) Invoke(ctx context.Context, conn workload.Conn, inv workload.Invocation) workload.Completion {
	var reply struct {
		Echo json.RawMessage `json:"echo"`
	}
	err := workload.CallChecked(ctx, conn, echoRequest{Type: "echo", Echo: inv.Value}, "echo_ok", &reply, func() error {
		return workload.Required("echo", reply.Echo)
	})
	if err != nil {
		return workload.Failed(err, false)
	}
	return workload.OK(reply.Echo)
}
