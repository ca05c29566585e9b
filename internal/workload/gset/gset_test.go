package gset

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/glomers/glomers/internal/checkertest"
	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/workloadtest"
)

// The checker's cases, one file each under testdata/check.
func TestCheckCases(t *testing.T) {
	checkertest.RunNoOptions(t, Check)
}

// Maelstrom g_set.clj: (gen/mix [adds of 0, 1, 2, ..., reads]).
func TestGeneratorAddsDistinctElementsInOrder(t *testing.T) {
	next, reads := int64(0), 0
	for _, inv := range workloadtest.MainOps(t, New().NewGenerator(workload.Options{}), rand.New(rand.NewPCG(1, 2)), 2000, 3) {
		if inv.F == "read" && inv.Value == nil {
			reads++
			continue
		}
		var v int64
		if err := json.Unmarshal(inv.Value, &v); err != nil || v != next || inv.F != "add" {
			t.Fatalf("op %+v, want add %d", inv, next)
		}
		next++
	}
	if reads < 900 || reads > 1100 {
		t.Errorf("%d reads of 2000, want about half", reads)
	}
}

// Maelstrom: each-thread {:f :read}.
func TestFinalGeneratorOneReadPerThread(t *testing.T) {
	workloadtest.CheckFinalReads(t, New().NewFinalGenerator(workload.Options{}), 4)
}

func TestClient(t *testing.T) {
	add := workload.Invocation{F: "add", Value: history.Value(3)}
	read := workload.Invocation{F: "read"}
	reply := func(body string) workloadtest.Reply { return workloadtest.Reply{Body: body} }
	workloadtest.RunClientCases(t, New(), []workloadtest.ClientCase{
		{Name: "add ok", Inv: add, Reply: reply(`{"type":"add_ok","in_reply_to":1}`), Sent: `{"element":3,"type":"add"}`, Type: history.OK, Value: "3"},
		{Name: "read ok", Inv: read, Reply: reply(`{"type":"read_ok","value":[3,1],"in_reply_to":1}`), Sent: `{"type":"read"}`, Type: history.OK, Value: "[3,1]"},
		{Name: "read of the empty set", Inv: read, Reply: reply(`{"type":"read_ok","value":[],"in_reply_to":1}`), Type: history.OK, Value: "[]"},
		// No error wrapper in Maelstrom's g-set client: every error is info.
		{Name: "add definite error", Inv: add, Reply: reply(`{"type":"error","code":11,"in_reply_to":1}`), Type: history.Info, Value: "3", Error: "temporarily-unavailable"},
		{Name: "read definite error", Inv: read, Reply: reply(`{"type":"error","code":11,"in_reply_to":1}`), Type: history.Info, Error: "temporarily-unavailable"},
		{Name: "add timeout", Inv: add, Reply: workloadtest.Reply{Err: workload.ErrTimeout}, Type: history.Info, Value: "3", Error: "timeout"},
		{Name: "read_ok without value", Inv: read, Reply: reply(`{"type":"read_ok","in_reply_to":1}`), Type: history.Info, Error: `no "value"`},
		// Maelstrom's schema [s/Any] takes null (a Go nil slice): an empty read.
		{Name: "read_ok with null", Inv: read, Reply: reply(`{"type":"read_ok","value":null,"in_reply_to":1}`), Type: history.OK, Value: "[]"},
		{Name: "read_ok with strings", Inv: read, Reply: reply(`{"type":"read_ok","value":["3"],"in_reply_to":1}`), Type: history.Info, Error: "not an array of integers"},
		{Name: "read_ok with broadcast's field", Inv: read, Reply: reply(`{"type":"read_ok","messages":[3],"in_reply_to":1}`), Type: history.Info, Error: "unknown field"},
	})
}

func TestWorkloadShape(t *testing.T) {
	w := New()
	if w.Name() != "g-set" || w.Reusable() || w.Setup(workload.Options{}) != nil || w.Validate(workload.Options{}) != nil {
		t.Fatalf("g-set: name %q, reusable %v", w.Name(), w.Reusable())
	}
}
