// Package broadcast is Maelstrom's broadcast workload, challenges 3a to 3e:
// clients broadcast distinct integers to whichever node they are bound to,
// read the set of values a node holds, and every acknowledged value must
// eventually be in every node's reads.
//
// Ported from Maelstrom's src/maelstrom/workload/broadcast.clj (jepsen-io/
// maelstrom cb7f072) and Jepsen's set-full checker (jepsen-io/jepsen v0.3.7,
// jepsen/src/jepsen/checker.clj), in its non-linearizable mode:
//
//   - Setup sends {"type":"topology","topology":{...}} to every node, the
//     map computed by Topology for --topology (default grid).
//   - The main generator is a 50/50 mix of broadcasts, with values 0, 1, 2,
//     ... from one counter shared by all threads, and reads; the final
//     generator gives every thread one read, after the harness has healed
//     the network and waited for recovery.
//   - Reads are idempotent (a read that timed out fails), broadcasts are not
//     (one that timed out is info: it may still arrive). A malformed reply
//     makes either info (workload.Failed). The client is not reusable.
//   - A read_ok whose messages is null is an empty read, ok: Maelstrom's
//     schema, [s/Any], is a Plumatic sequence schema, which accepts nil,
//     and set-full reads nil as the empty set. It is what a Go node with a
//     nil slice answers before its first broadcast. The course does not
//     flag it: such a read before any broadcast is right, and a null that
//     hides values the node should hold is a read that misses them, which
//     the checker already judges (a lost or stale value).
//   - The checker follows each value through the reads (see Check), and
//     reports the stable latencies the 3d and 3e targets are measured on.
//
// Where we differ from Maelstrom: read_ok's messages must be an array of
// integers (Maelstrom accepts any JSON values there; the challenge only ever
// sends integers), and the checker reports two anomalies set-full misses,
// a value listed twice in one read and a value no client broadcast.
//
// History values: a broadcast invocation and its ok completion carry the
// integer; a read invocation carries none and its ok completion the messages
// array as the node sent it, order and repeats kept; fail and info
// completions carry none.
//
// Cost: Jepsen updates every value on every read, O(R x E) for R reads
// and E values. Check is O(V log V + E log R), V being the values read in
// all, which is the size of the input. BenchmarkCheck, on this machine (2
// shared cores, go1.26.8; figures vary about 1.5x with load): a
// 100,000-op, 25-node history whose nodes keep only their 64 latest values
// (1.6 million values read) takes 145-185 ms, and a 10,000-op run of the
// same shape 23-35 ms; a straight port of Jepsen's loop took 6.9 s and
// 0.12 s on those two histories. A healthy 10,000-op run whose reads
// return everything (3.2 million values read) takes 155-270 ms.
package broadcast

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

type broadcastWorkload struct{ workload.Base }

// New returns the broadcast workload. Its client is not reusable, as in
// Maelstrom.
func New() workload.Workload {
	return broadcastWorkload{workload.Base{WorkloadName: "broadcast", KindsDoc: kindsDoc}}
}

// Validate rejects an unknown --topology, naming the valid ones.
func (broadcastWorkload) Validate(opts workload.Options) error {
	_, err := Topology(topologyName(opts), opts.Nodes)
	return err
}

// Setup sends every node the same topology map, as Maelstrom does.
func (broadcastWorkload) Setup(opts workload.Options) []workload.SetupRequest {
	topo, err := Topology(topologyName(opts), opts.Nodes)
	if err != nil {
		return nil // Validate has refused these options already
	}
	reqs := make([]workload.SetupRequest, len(opts.Nodes))
	for i, node := range opts.Nodes {
		reqs[i] = workload.SetupRequest{
			Node:  node,
			Body:  topologyRequest{Type: "topology", Topology: topo},
			Reply: "topology_ok",
		}
	}
	return reqs
}

type topologyRequest struct {
	Type     string              `json:"type"`
	Topology map[string][]string `json:"topology"`
}

// topologyName is --topology, with Maelstrom's default when unset.
func topologyName(opts workload.Options) string {
	if opts.Topology == "" {
		return DefaultTopology
	}
	return opts.Topology
}

func (broadcastWorkload) NewGenerator(workload.Options) workload.Generator {
	return &MixGenerator{F: "broadcast"}
}

func (broadcastWorkload) NewFinalGenerator(workload.Options) workload.Generator {
	return workload.FinalReads()
}

func (broadcastWorkload) NewClient(workload.Options) workload.Client { return client{} }

func (broadcastWorkload) Check(h history.History, _ workload.Options) workload.Result {
	return Check(h)
}

// MixGenerator is Jepsen's (gen/mix [writes reads]) with writes of 0, 1,
// 2, ... under F: each operation picks one of the two at random, and only
// a write advances the counter, so values go out in increasing order with
// no gaps. Broadcast (F "broadcast") and g-set (F "add") draw the same mix,
// so they share this one generator.
type MixGenerator struct {
	// F is the write's operation name.
	F    string
	next int64
}

// Next draws a write or a read, half each.
func (g *MixGenerator) Next(_ int, _ time.Duration, rnd *rand.Rand) (workload.Invocation, bool) {
	if rnd.IntN(2) == 0 {
		v := g.next
		g.next++
		return workload.Invocation{F: g.F, Value: history.Value(v)}, true
	}
	return workload.Invocation{F: "read"}, true
}

// Update does nothing: the mix ignores completions.
func (g *MixGenerator) Update(int, workload.Invocation, workload.Completion) {}

type client struct{}

type broadcastRequest struct {
	Type    string `json:"type"`
	Message int64  `json:"message"`
}

type readRequest struct {
	Type string `json:"type"`
}

func (client) Invoke(ctx context.Context, conn workload.Conn, inv workload.Invocation) workload.Completion {
	switch inv.F {
	case "broadcast":
		v, err := parseInt(inv.Value)
		if err != nil {
			// A generator bug: nothing was sent, so nothing happened.
			return workload.Completion{Type: history.Fail, Error: "broadcast value " + err.Error()}
		}
		if err := workload.CallChecked(ctx, conn, broadcastRequest{Type: "broadcast", Message: v}, "broadcast_ok", nil, nil); err != nil {
			return workload.Failed(err, false)
		}
		return workload.OK(v)
	case "read":
		var reply struct {
			Messages json.RawMessage `json:"messages"`
		}
		var msgs []int64
		err := workload.CallChecked(ctx, conn, readRequest{Type: "read"}, "read_ok", &reply, func() error {
			if err := workload.Required("messages", reply.Messages); err != nil {
				return err
			}
			if string(reply.Messages) == "null" {
				msgs = []int64{} // Maelstrom's [s/Any] takes nil: an empty read
				return nil
			}
			var err error
			if msgs, err = parseInts(reply.Messages); err != nil {
				return errors.New(`"messages": ` + err.Error())
			}
			return nil
		})
		if err != nil {
			return workload.Failed(err, true)
		}
		return workload.OK(msgs)
	}
	return workload.Completion{Type: history.Fail, Error: "broadcast workload has no operation " + inv.F}
}
