// Package gset is Maelstrom's g-set workload: clients add distinct
// integers to a grow-only set spread over the cluster and read the whole
// set back; every acknowledged add must eventually be in every node's
// reads.
//
// Behaviour follows Maelstrom's workload/g_set.clj (jepsen-io/maelstrom at
// cb7f072) and the Jepsen checker it uses, set-full (jepsen-io/jepsen
// v0.3.7, jepsen/src/jepsen/checker.clj), in its non-linearizable mode:
//
//   - Generator: (gen/mix [adds, reads]): each operation is, with equal
//     chance, a read or an add of the next value of one counter shared by
//     all threads, 0, 1, 2, ...; the final generator gives every thread one
//     read, after the harness has healed the network and waited for
//     recovery.
//   - Client: add {element} -> add_ok, read -> read_ok {value}. Maelstrom's
//     g-set client has no error wrapper, so every error reply, timeout or
//     malformed reply is an info completion, reads included. Clients are
//     not reusable. A read_ok whose value is null is an empty read, ok, as
//     for broadcast: Maelstrom's schema [s/Any] accepts nil.
//   - Checker: set-full, exactly as package broadcast ports it
//     (broadcast.SetFull), with "add" for "broadcast": lost elements fail
//     the run; stale and never-read ones are notes.
//
// Where we differ from Maelstrom: read_ok's value must be an array of
// integers (Maelstrom's schema takes any JSON values, but its generator
// only adds integers), and, as for broadcast, an element listed twice in
// one read or one no client added fails the run strictly
// (workload.StrictRules).
//
// History values: an add's invocation and ok completion carry the element;
// a read's invocation carries nothing and its ok completion the array as
// the node sent it, order and repeats kept.
package gset

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/jsonval"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/broadcast"
)

// Anomaly kinds, set-full's as package broadcast reports them.
const (
	KindLost             = broadcast.KindLost
	KindDuplicate        = broadcast.KindDuplicate
	KindUnexpected       = broadcast.KindUnexpected
	KindMalformedHistory = broadcast.KindMalformedHistory
)

// kindsDoc says what each kind means, for Kinds.
//
//go:embed kinds.md
var kindsDoc string

// setFull is broadcast's checker with g-set's operation and field names.
var setFull = broadcast.SetFull{Workload: Name, Add: "add", Added: "added", Field: "value"}

// Check judges a g-set history with Jepsen's set-full rules: see
// broadcast.Check, adds standing for broadcasts.
func Check(h history.History) workload.Result { return setFull.Check(h) }

// Name is Maelstrom's name for the workload.
const Name = "g-set"

// New returns the g-set workload. Its client is not reusable: Maelstrom
// reopens a g-set client after an info.
func New() workload.Workload {
	return gset{workload.Base{WorkloadName: Name, KindsDoc: kindsDoc}}
}

type gset struct{ workload.Base }

// NewGenerator is (gen/mix [(map (fn [x] {:f :add, :value x}) (range)),
// (repeat {:f :read})]): only an add advances the counter, so elements go
// out in increasing order with no gaps.
func (gset) NewGenerator(workload.Options) workload.Generator {
	return &broadcast.MixGenerator{F: "add"}
}

func (gset) NewFinalGenerator(workload.Options) workload.Generator { return workload.FinalReads() }

func (gset) NewClient(workload.Options) workload.Client { return client{} }

func (gset) Check(h history.History, _ workload.Options) workload.Result { return Check(h) }

type client struct{}

func (client) Invoke(ctx context.Context, conn workload.Conn, inv workload.Invocation) workload.Completion {
	switch inv.F {
	case "add":
		var v int64
		if err := json.Unmarshal(inv.Value, &v); err != nil {
			// A generator bug: nothing was sent, so nothing happened.
			return workload.Completion{Type: history.Fail, Error: fmt.Sprintf("add element %s is not an integer", inv.Value)}
		}
		if err := workload.Call(ctx, conn, map[string]any{"type": "add", "element": v}, "add_ok", nil); err != nil {
			return workload.Indeterminate(inv.Value, err)
		}
		return workload.OK(v)
	case "read":
		var reply struct {
			Value json.RawMessage `json:"value"`
		}
		var elements []int64
		err := workload.CallChecked(ctx, conn, map[string]any{"type": "read"}, "read_ok", &reply, func() error {
			if reply.Value == nil {
				return errors.New(`no "value"`)
			}
			if string(reply.Value) == "null" {
				return nil // Maelstrom's [s/Any] takes nil: an empty read
			}
			if json.Unmarshal(reply.Value, &elements) != nil {
				return fmt.Errorf(`"value" %s is not an array of integers`, jsonval.Short(reply.Value))
			}
			return nil
		})
		if err != nil {
			return workload.Indeterminate(nil, err)
		}
		if elements == nil {
			elements = []int64{}
		}
		return workload.OK(elements)
	}
	return workload.Completion{Type: history.Fail, Error: fmt.Sprintf("g-set has no operation %q", inv.F)}
}
