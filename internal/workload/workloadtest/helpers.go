package workloadtest

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// MainOps draws n operations from a main-phase generator, the i-th for
// thread i%threads, and fails the test if gen runs dry or marks one final:
// a main phase never ends by itself (the harness stops asking when time is
// up). The caller then judges the operations' mix and values.
func MainOps(t testing.TB, gen workload.Generator, rnd *rand.Rand, n, threads int) []workload.Invocation {
	t.Helper()
	ops := make([]workload.Invocation, n)
	for i := range n {
		inv, more := gen.Next(i%threads, 0, rnd)
		if !more || inv.Final {
			t.Fatalf("op %d: Next = %+v, %v; want a main-phase operation", i, inv, more)
		}
		ops[i] = inv
	}
	return ops
}

// CheckFinalReads fails the test unless gen is Jepsen's (gen/each-thread
// {:f :read, :final? true}), the final phase of broadcast and g-counter:
// each of threads threads, asking in no particular order, gets one final
// read with no value, and then nothing more.
func CheckFinalReads(t testing.TB, gen workload.Generator, threads int) {
	t.Helper()
	rnd := rand.New(rand.NewPCG(1, 1))
	for _, thread := range rnd.Perm(threads) {
		inv, more := gen.Next(thread, 0, rnd)
		if !more || inv.F != "read" || !inv.Final || inv.Value != nil {
			t.Fatalf("thread %d: first Next = %+v, %v; want a final read", thread, inv, more)
		}
		gen.Update(thread, inv, workload.Completion{Type: history.OK, Value: history.Value(0)})
	}
	for thread := range threads {
		if inv, more := gen.Next(thread, 0, rnd); more {
			t.Errorf("thread %d: second Next = %+v, want no more", thread, inv)
		}
	}
}

// ClientCase is one exchange of a client test: the operation invoked, the
// node's one reply, and what the client must send and record.
type ClientCase struct {
	Name  string
	Inv   workload.Invocation
	Reply Reply
	// Sent is the request body the client must send, as JSON; empty when
	// the case does not look at it.
	Sent string
	// Type and Value are the completion's.
	Type  history.Type
	Value string
	// Error is a part of the completion's error; empty when there must be
	// none.
	Error string
}

// RunClientCases runs each case as a subtest: a fresh client of w invokes
// the case's operation on a Conn whose script is the case's reply.
func RunClientCases(t *testing.T, w workload.Workload, cases []ClientCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			conn := &Conn{Replies: []Reply{tc.Reply}}
			c := w.NewClient(workload.Options{}).Invoke(context.Background(), conn, tc.Inv)
			if tc.Sent != "" && (len(conn.Sent) != 1 || string(conn.Sent[0]) != tc.Sent) {
				t.Errorf("sent %s, want [%s]", conn.Sent, tc.Sent)
			}
			if c.Type != tc.Type || string(c.Value) != tc.Value {
				t.Errorf("completed %s %s (error %q), want %s %s", c.Type, c.Value, c.Error, tc.Type, tc.Value)
			}
			if !strings.Contains(c.Error, tc.Error) || (tc.Error == "") != (c.Error == "") {
				t.Errorf("error %q, want one containing %q", c.Error, tc.Error)
			}
		})
	}
}

// BenchCheck runs check over h as a sub-benchmark named name, reporting
// allocations, the txns figure and the anomaly counts of the last run, so
// the transactional workloads measure their checkers the same way.
func BenchCheck(b *testing.B, name string, h history.History, txns int, check func(history.History) workload.Result) {
	b.Run(name, func(b *testing.B) {
		b.ReportAllocs()
		var res any
		for b.Loop() {
			res = check(h).Metrics["anomaly_counts"]
		}
		b.ReportMetric(float64(txns), "txns")
		b.Logf("%s: %d ops, anomalies %v", name, len(h), res)
	})
}

// BenchParse measures a transactional workload's two parsers on the one
// transaction txn, as sub-benchmarks "parse" (the fast scanner, through
// parse) and "decode" (the reference decoder), reporting allocations:
// checking 100,000 transactions parses each twice, so a change to either
// parser shows here before it blurs into BenchCheck's figures.
func BenchParse[M any](b *testing.B, txn string, parse, decode func([]byte) ([]M, error)) {
	for _, p := range []struct {
		name string
		f    func([]byte) ([]M, error)
	}{{"parse", parse}, {"decode", decode}} {
		b.Run(p.name, func(b *testing.B) {
			raw := []byte(txn)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.f(raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
