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
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/jsonval"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/evidence"
)

// Anomaly kinds the checker reports.
const (
	// KindMismatch: the node answered echo_ok with a different value.
	KindMismatch = "echo-mismatch"
	// KindNotOK: the operation failed or timed out, so nothing was echoed.
	KindNotOK = "echo-not-ok"
	// KindIncomplete: the operation never completed (an interrupted run).
	KindIncomplete = "echo-incomplete"
	// KindMalformedHistory: the history itself is broken (unpaired ops, a
	// value that is not JSON); a harness bug or an edited file.
	KindMalformedHistory = "malformed-history"
)

// Kinds returns the anomaly kinds Check reports with their plain words,
// which the report shows next to each anomaly; they live here so that a
// new kind and its explanation are written together.
func Kinds() map[string]workload.Meaning {
	return map[string]workload.Meaning{
		KindMismatch: {Title: "An echo came back different",
			Text: "The node answered echo_ok, but the echo field was not the text the client sent. An echo reply must carry the request's echo field unchanged."},
		KindNotOK: {Title: "An echo failed",
			Text: "The client sent echo and got an error back, or no reply before its timeout. Every echo deserves an echo_ok with in_reply_to set to the request's msg_id."},
		KindIncomplete: {Title: "An echo never completed",
			Text: "An echo was sent but the run ended before its reply arrived; this usually comes with an interrupted run."},
		KindMalformedHistory: workload.MalformedHistory,
	}
}

type echoWorkload struct{}

// New returns the echo workload.
func New() workload.Workload { return echoWorkload{} }

func (echoWorkload) Name() string                                   { return "echo" }
func (echoWorkload) Validate(workload.Options) error                { return nil }
func (echoWorkload) Setup(workload.Options) []workload.SetupRequest { return nil }
func (echoWorkload) NewFinalGenerator(workload.Options) workload.Generator {
	return nil
}
func (echoWorkload) NewGenerator(workload.Options) workload.Generator { return generator{} }
func (echoWorkload) NewClient(workload.Options) workload.Client       { return client{} }

// Reusable is false: Maelstrom's echo client does not declare itself
// reusable, so a thread gets a fresh client after a timeout.
func (echoWorkload) Reusable() bool { return false }

// Kinds returns the meanings of the anomaly kinds the checker reports.
func (echoWorkload) Kinds() map[string]workload.Meaning { return Kinds() }

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
		if reply.Echo == nil {
			return errors.New(`missing field "echo"`)
		}
		return nil
	})
	if err != nil {
		return workload.Failed(err, false)
	}
	return workload.OK(reply.Echo)
}

// Check judges an echo history: every invocation must complete ok with the
// value it sent. Maelstrom's checker flags the same cases (a fail, an info
// or a missing completion has no echo to match); ours names them apart.
func Check(h history.History) workload.Result {
	res := workload.Result{Validity: workload.Valid}
	pairs, err := h.Pair()
	if err != nil {
		res.Validity = workload.Invalid
		res.Anomalies = []workload.Anomaly{{Kind: KindMalformedHistory, Message: "the history cannot be paired: " + err.Error()}}
		return res
	}
	var col evidence.Collector
	attempts, oks, mismatches := 0, 0, 0
	for i, inv := range h {
		if inv.Type != history.Invoke {
			continue
		}
		attempts++
		j := pairs[i]
		node := inv.Node
		if node == "" && j >= 0 {
			node = h[j].Node
		}
		if node == "" {
			node = "its node"
		}
		sent := jsonval.Short(inv.Value)
		where := fmt.Sprintf("op %d sent %s to %s", i, sent, node)
		if j < 0 {
			col.Add(workload.Anomaly{Kind: KindIncomplete, Message: where + " and never completed", Ops: []int{i}})
			continue
		}
		c := h[j]
		if c.Type != history.OK {
			why := ""
			if c.Error != "" {
				why = " (" + c.Error + ")"
			}
			col.Add(workload.Anomaly{
				Kind:    KindNotOK,
				Message: fmt.Sprintf("%s but got nothing back: %s at op %d%s", where, c.Type, j, why),
				Ops:     []int{i, j},
			})
			continue
		}
		oks++
		want, err := jsonval.Canonical(inv.Value)
		if err != nil {
			col.Add(workload.Anomaly{
				Kind:    KindMalformedHistory,
				Message: fmt.Sprintf("op %d: echo value %s is not JSON", i, sent),
				Ops:     []int{i},
			})
			continue
		}
		if got, err := jsonval.Canonical(c.Value); err != nil || got != want {
			mismatches++
			col.Add(workload.Anomaly{
				Kind:    KindMismatch,
				Message: fmt.Sprintf("%s but got back %s (op %d)", where, jsonval.Short(c.Value), j),
				Ops:     []int{i, j},
			})
		}
	}
	res.Anomalies = col.Anomalies()
	if len(res.Anomalies) > 0 {
		res.Validity = workload.Invalid
	}
	res.Metrics = map[string]any{
		"attempt_count":  attempts,
		"ok_count":       oks,
		"mismatch_count": mismatches,
	}
	return res
}
