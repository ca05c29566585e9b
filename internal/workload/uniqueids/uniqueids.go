// Package uniqueids is Maelstrom's unique-ids workload, the second
// challenge: clients send {"type":"generate"} and every generate_ok id,
// across the whole cluster and the whole run, must be distinct.
//
// Ported from Maelstrom's src/maelstrom/workload/unique_ids.clj (jepsen-io/
// maelstrom cb7f072) and Jepsen's unique-ids checker (jepsen-io/jepsen
// v0.3.7, jepsen/src/jepsen/checker.clj). An id may be any JSON value, and
// ids are compared as values the way Clojure compares them: 1, 1.0 and "1"
// are three different ids, {"a":1,"b":2} and {"b":2,"a":1} the same one.
// Jepsen also reports the [lowest, highest] id; we leave that out, since
// arbitrary JSON values have no order (Jepsen itself gives up, with an
// unknown verdict, on ids of mixed types).
//
// History values: a generate invocation carries none; an ok completion
// carries the id exactly as the node wrote it; fail and info completions
// carry none.
package uniqueids

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

type uniqueIDs struct{ workload.Base }

// New returns the unique-ids workload. It has no final phase in
// Maelstrom, and its client is reusable, as in Maelstrom: a timed-out
// generate leaves nothing behind on the connection that could confuse the
// next one.
func New() workload.Workload {
	return uniqueIDs{workload.Base{WorkloadName: "unique-ids", ReusableClient: true, KindsDoc: kindsDoc}}
}

func (uniqueIDs) NewGenerator(workload.Options) workload.Generator { return generator{} }
func (uniqueIDs) NewClient(workload.Options) workload.Client       { return client{} }

func (uniqueIDs) Check(h history.History, _ workload.Options) workload.Result { return Check(h) }

type generator struct{}

func (generator) Next(int, time.Duration, *rand.Rand) (workload.Invocation, bool) {
	return workload.Invocation{F: "generate"}, true
}

func (generator) Update(int, workload.Invocation, workload.Completion) {}

type client struct{}

type generateRequest struct {
	Type string `json:"type"`
}

func (client) Invoke(ctx context.Context, conn workload.Conn, _ workload.Invocation) workload.Completion {
	var reply struct {
		ID json.RawMessage `json:"id"`
	}
	err := workload.CallChecked(ctx, conn, generateRequest{Type: "generate"}, "generate_ok", &reply, func() error {
		return workload.Required("id", reply.ID)
	})
	if err != nil {
		// Not idempotent: a generate that timed out may have used up an id.
		return workload.Failed(err, false)
	}
	return workload.OK(reply.ID)
}
