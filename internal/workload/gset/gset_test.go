package gset

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/glomers/glomers/internal/checkertest"
	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/workloadtest"
)

// The checker's cases, one file each under testdata/check.
func TestCheckCases(t *testing.T) {
	checkertest.Run(t, func(h history.History, _ string) (workload.Result, error) { return Check(h), nil })
}

// Maelstrom g_set.clj: (gen/mix [adds of 0, 1, 2, ..., reads]).
func TestGeneratorAddsDistinctElementsInOrder(t *testing.T) {
	g := New().NewGenerator(workload.Options{})
	rnd := rand.New(rand.NewPCG(1, 2))
	next, reads := int64(0), 0
	for i := range 2000 {
		inv, ok := g.Next(i%3, 0, rnd)
		if !ok {
			t.Fatal("main generator ran dry")
		}
		if inv.F == "read" {
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

func TestClient(t *testing.T) {
	add := workload.Invocation{F: "add", Value: history.Value(3)}
	read := workload.Invocation{F: "read"}
	cases := []struct {
		name      string
		inv       workload.Invocation
		reply     workloadtest.Reply
		wantSent  string
		wantType  history.Type
		wantValue string
		wantError string
	}{
		{"add ok", add, workloadtest.Reply{Body: `{"type":"add_ok","in_reply_to":1}`}, `{"element":3,"type":"add"}`, history.OK, "3", ""},
		{"read ok", read, workloadtest.Reply{Body: `{"type":"read_ok","value":[3,1],"in_reply_to":1}`}, `{"type":"read"}`, history.OK, "[3,1]", ""},
		{"read of the empty set", read, workloadtest.Reply{Body: `{"type":"read_ok","value":[],"in_reply_to":1}`}, "", history.OK, "[]", ""},
		// No error wrapper in Maelstrom's g-set client: every error is info.
		{"add definite error", add, workloadtest.Reply{Body: `{"type":"error","code":11,"in_reply_to":1}`}, "", history.Info, "3", "temporarily-unavailable"},
		{"read definite error", read, workloadtest.Reply{Body: `{"type":"error","code":11,"in_reply_to":1}`}, "", history.Info, "", "temporarily-unavailable"},
		{"add timeout", add, workloadtest.Reply{Err: workload.ErrTimeout}, "", history.Info, "3", "timeout"},
		{"read_ok without value", read, workloadtest.Reply{Body: `{"type":"read_ok","in_reply_to":1}`}, "", history.Info, "", `no "value"`},
		{"read_ok with null", read, workloadtest.Reply{Body: `{"type":"read_ok","value":null,"in_reply_to":1}`}, "", history.Info, "", `no "value"`},
		{"read_ok with strings", read, workloadtest.Reply{Body: `{"type":"read_ok","value":["3"],"in_reply_to":1}`}, "", history.Info, "", "not an array of integers"},
		{"read_ok with the broadcast field", read, workloadtest.Reply{Body: `{"type":"read_ok","messages":[3],"in_reply_to":1}`}, "", history.Info, "", "unknown field"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			conn := &workloadtest.Conn{Replies: []workloadtest.Reply{tc.reply}}
			c := New().NewClient(workload.Options{}).Invoke(context.Background(), conn, tc.inv)
			if c.Type != tc.wantType || string(c.Value) != tc.wantValue || !strings.Contains(c.Error, tc.wantError) {
				t.Fatalf("completion %+v (value %s), want %s %s error ~%q", c, c.Value, tc.wantType, tc.wantValue, tc.wantError)
			}
			if tc.wantSent != "" && (len(conn.Sent) != 1 || string(conn.Sent[0]) != tc.wantSent) {
				t.Errorf("sent %s, want [%s]", conn.Sent, tc.wantSent)
			}
		})
	}
}

func TestWorkloadShape(t *testing.T) {
	w := New()
	if w.Name() != "g-set" || w.Reusable() || w.Setup(workload.Options{}) != nil || w.Validate(workload.Options{}) != nil {
		t.Fatalf("g-set: name %q, reusable %v", w.Name(), w.Reusable())
	}
}
