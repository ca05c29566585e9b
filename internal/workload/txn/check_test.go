package txn

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// Each test is a minimal history for one rule, with the rule cited. Keys
// are small integers; values are unique per key.

// Adya G0 (write cycle), found through an order Elle cannot infer: T1
// wrote key 1 = 1 and T2 read it and finished before T3 was invoked, so
// T3's write of key 1 came later (writes of a transaction invoked after a
// value was seen follow that value); T1 read T3's key 2 = 2 and then
// overwrote it (writes follow reads). T1 -ww-> T3 -ww-> T1.
func TestG0ThroughReadBeforeInvoke(t *testing.T) {
	h := newHist()
	h.invoke(0, "w1=1 r2=nil w2=1")
	h.run(1, "r1=1")
	_, t3 := h.run(2, "w1=2 w2=2")
	t1 := h.ok(0, "w1=1 r2=2 w2=1")
	res := Check(h.history(), ru)
	expectInvalid(t, res, KindG0)
	expectOps(t, res.Anomalies, KindG0, t1, t3)
	if a := find(res.Anomalies, KindG0); !strings.Contains(a.Message, "invoked afterwards") {
		t.Errorf("the G0 explanation does not give the realtime reason: %s", a.Message)
	}
}

// Adya G0, both orders from writes-follow-reads (what Elle finds too):
// each transaction read the other's write and then overwrote the key.
func TestG0ThroughWritesFollowReads(t *testing.T) {
	h := newHist()
	h.invoke(0, "w1=1 r2=nil w2=1")
	h.invoke(1, "r1=nil w1=2 w2=2")
	a := h.ok(1, "r1=1 w1=2 w2=2")
	b := h.ok(0, "w1=1 r2=2 w2=1")
	res := Check(h.history(), ru)
	expectInvalid(t, res, KindG0)
	expectOps(t, res.Anomalies, KindG0, a, b)
}

// G0 as the Fly.io 6b page and maelstrom issue #56 describe it: two
// transactions interleave their writes of a single key. T2 wrote 1, T3
// read it and wrote 10, T2 read 10 and wrote 2 and 3, T3 read 3 and wrote
// 11: 1 < 10 < 2 < 3 < 11. Adya, who counts only final writes, would call
// it a dirty write; the message says so.
func TestG0IssueFiftySix(t *testing.T) {
	h := newHist()
	h.invoke(0, "w0=1 r0=nil r0=nil w0=2 w0=3 r0=nil")
	h.invoke(1, "r0=nil w0=10 r0=nil w0=11")
	a := h.ok(0, "w0=1 r0=1 r0=10 w0=2 w0=3 r0=3")
	b := h.ok(1, "r0=1 w0=10 r0=3 w0=11")
	res := Check(h.history(), ru)
	expectInvalid(t, res, KindG0)
	expectOps(t, res.Anomalies, KindG0, a, b)
	if !strings.Contains(find(res.Anomalies, KindG0).Message, "dirty write") {
		t.Errorf("no mention that Adya would call it a dirty write: %s", find(res.Anomalies, KindG0).Message)
	}
}

// Near miss for G0: a write cycle appears only if the writes of a
// transaction that finished are assumed to precede those of one invoked
// later (by another process, or by the same process: process order is a
// special case). That is unsound under read uncommitted, and under read
// committed too: a store may acknowledge A and apply its writes
// afterwards. Here A (done at op 2) writes key 1 = 1 and B, by the same
// process, invoked at op 3, writes key 1 = 2; C read B's key 2 = 1 and
// then overwrote it; A read C's key 3 = 1 and then overwrote it. Assuming
// 1 < 2 on key 1 would close A -ww-> B -ww-> C -ww-> A; nothing sound
// orders key 1, so there is no cycle.
func TestNoG0FromRealtimeWriteOrder(t *testing.T) {
	h := newHist()
	h.invoke(2, "w3=1 r2=nil w2=2")
	h.run(0, "r3=1 w3=2 w1=1")
	h.run(0, "w2=1 w1=2")
	h.ok(2, "w3=1 r2=1 w2=2")
	for _, m := range [][]string{ru, rc} {
		res := Check(h.history(), m)
		expectValid(t, res)
		if len(res.Notes) > 0 {
			t.Errorf("%v: unexpected notes\n%s", m, dump(res))
		}
	}
}

// Near miss for G0: a cycle through an indeterminate transaction. T3 may
// have aborted, and then it is in no cycle: under read uncommitted nothing
// says it committed. Under read committed it must have, since T1 read its
// write (else an aborted read): then the cycle is real.
func TestG0ThroughIndeterminateWriter(t *testing.T) {
	h := newHist()
	h.invoke(0, "w2=5 r1=nil w1=2")
	h.run(1, "r2=5")
	h.invoke(2, "w1=1 w2=1")
	h.info(2)
	t1 := h.ok(0, "w2=5 r1=1 w1=2")
	expectValid(t, Check(h.history(), ru))
	res := Check(h.history(), rc)
	expectInvalid(t, res, KindG0, KindG1c)
	expectOps(t, res.Anomalies, KindG0, t1, 4)
}

// Adya G1a (aborted read): T2 read a value written by a transaction that
// failed. Allowed under read uncommitted.
func TestG1a(t *testing.T) {
	h := newHist()
	h.invoke(0, "w1=1")
	t1 := h.fail(0)
	_, t2 := h.run(1, "r1=1")
	res := Check(h.history(), rc)
	expectInvalid(t, res, KindG1a)
	expectOps(t, res.Anomalies, KindG1a, t1, t2)
	msg := find(res.Anomalies, KindG1a).Message
	if !strings.Contains(msg, "T1 (op 1, failed)") || !strings.Contains(msg, "txn-conflict") {
		t.Errorf("message does not name the failed writer and its error: %s", msg)
	}
	ruRes := Check(h.history(), ru)
	expectValid(t, ruRes)
	if find(ruRes.Notes, KindG1a) == nil {
		t.Errorf("read uncommitted: G1a not reported as a note\n%s", dump(ruRes))
	}
}

// Near miss for G1a: reading the write of an indeterminate transaction is
// fine; it may have committed.
func TestReadFromIndeterminateIsFine(t *testing.T) {
	h := newHist()
	h.invoke(0, "w1=1")
	h.info(0)
	h.run(1, "r1=1")
	for _, m := range [][]string{ru, rc} {
		res := Check(h.history(), m)
		expectValid(t, res)
		if len(res.Notes) > 0 {
			t.Errorf("%v: unexpected notes\n%s", m, dump(res))
		}
	}
}

// Adya G1b (intermediate read): T2 read key 1 = 1, which T1 overwrote
// with 2 in the same transaction.
func TestG1b(t *testing.T) {
	h := newHist()
	_, t1 := h.run(0, "w1=1 w1=2")
	_, t2 := h.run(1, "r1=1")
	res := Check(h.history(), rc)
	expectInvalid(t, res, KindG1b)
	expectOps(t, res.Anomalies, KindG1b, t1, t2)
	expectValid(t, Check(h.history(), ru))
}

// Near miss for G1b: a transaction reading its own intermediate write is
// not an intermediate read.
func TestOwnIntermediateReadIsFine(t *testing.T) {
	h := newHist()
	h.run(0, "w1=1 r1=1 w1=2")
	h.run(1, "r1=2")
	res := Check(h.history(), rc)
	expectValid(t, res)
}

// Adya G1c (circular information flow): T1 wrote key 1 = 1 and read key
// 2 = 1; T2 wrote key 2 = 1 and read key 1 = 1 (the Fly.io 6c example).
// Read uncommitted allows it.
func TestG1c(t *testing.T) {
	h := newHist()
	h.invoke(0, "w1=1 r2=nil")
	h.invoke(1, "w2=1 r1=nil")
	a := h.ok(0, "w1=1 r2=1")
	b := h.ok(1, "w2=1 r1=1")
	res := Check(h.history(), rc)
	expectInvalid(t, res, KindG1c)
	expectOps(t, res.Anomalies, KindG1c, a, b)
	ruRes := Check(h.history(), ru)
	expectValid(t, ruRes)
	if find(ruRes.Notes, KindG1c) == nil {
		t.Errorf("read uncommitted: G1c not reported as a note\n%s", dump(ruRes))
	}
}

// Near miss for G1c: the same reads, one after the other, form no cycle.
func TestSequentialReadsNoG1c(t *testing.T) {
	h := newHist()
	h.run(0, "w1=1 r2=nil")
	h.run(1, "w2=1 r1=1")
	expectValid(t, Check(h.history(), rc))
}

// Internal consistency: a read must return the transaction's own last
// write of the key (or, with no write, what it read before). Read
// committed and read uncommitted allow a non-repeatable read, and Elle
// does not prohibit internal anomalies below serializability or snapshot
// isolation: a note there, a failure under serializable.
func TestInternal(t *testing.T) {
	for _, tc := range []struct{ name, mops string }{
		{"read after own write", "w1=1 r1=2"},
		{"non-repeatable read", "r1=nil r1=2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHist()
			h.invoke(0, tc.mops)
			h.run(1, "w1=2")
			t1 := h.ok(0, tc.mops)
			rcRes := Check(h.history(), rc)
			expectValid(t, rcRes)
			expectOps(t, rcRes.Notes, KindInternal, t1)
			res := Check(h.history(), ser)
			if res.Validity != workload.Invalid || find(res.Anomalies, KindInternal) == nil {
				t.Fatalf("serializable: internal not a failure\n%s", dump(res))
			}
		})
	}
}

// Cyclic versions: each transaction read the other's write and then wrote
// the key, so each value precedes the other. No store that runs micro-ops
// in order can do this; Elle forbids it under read uncommitted (its
// consistency-model graph: PL-1 prohibits cyclic-versions). The key's
// orders are then not used, so no G0 is claimed on top.
func TestCyclicVersions(t *testing.T) {
	h := newHist()
	h.invoke(0, "r1=nil w1=1")
	h.invoke(1, "r1=nil w1=2")
	a := h.ok(0, "r1=2 w1=1")
	b := h.ok(1, "r1=1 w1=2")
	res := Check(h.history(), ru)
	expectInvalid(t, res, KindCyclicVersions)
	expectOps(t, res.Anomalies, KindCyclicVersions, a, b)
}

// Garbage read: a value nobody wrote.
func TestGarbageRead(t *testing.T) {
	h := newHist()
	h.run(0, "w1=1")
	_, t2 := h.run(1, "r1=99")
	res := Check(h.history(), ru)
	expectInvalid(t, res, KindGarbage)
	expectOps(t, res.Anomalies, KindGarbage, t2)
}

// Duplicate write: values are unique per key; a value written twice makes
// every read of it ambiguous (Elle: duplicate-elements, PL-1).
func TestDuplicateWrite(t *testing.T) {
	h := newHist()
	_, a := h.run(0, "w1=1")
	_, b := h.run(1, "w1=1")
	h.run(2, "r1=1")
	res := Check(h.history(), ru)
	expectInvalid(t, res, KindDuplicate)
	expectOps(t, res.Anomalies, KindDuplicate, a, b)
}

// Future reads: a value read before it was written, by the reader itself
// or because its writer was invoked only after the read had completed.
func TestFutureRead(t *testing.T) {
	t.Run("own later write", func(t *testing.T) {
		h := newHist()
		_, t1 := h.run(0, "r1=1 w1=1")
		res := Check(h.history(), ru)
		expectInvalid(t, res, KindFutureRead)
		expectOps(t, res.Anomalies, KindFutureRead, t1)
	})
	t.Run("writer invoked later", func(t *testing.T) {
		h := newHist()
		_, t1 := h.run(0, "r1=5")
		t2, _ := h.run(1, "w1=5")
		res := Check(h.history(), ru)
		expectInvalid(t, res, KindFutureRead)
		expectOps(t, res.Anomalies, KindFutureRead, t1, t2)
	})
}

// Malformed: a reply that does not answer its request (maelstrom issue
// #14: a write turned into a read), and an unreadable request.
func TestMalformed(t *testing.T) {
	h := newHist()
	h.invoke(0, "w1=1")
	bad := h.ok(0, "r1=1")
	res := Check(h.history(), ru)
	expectInvalid(t, res, KindMalformed)
	expectOps(t, res.Anomalies, KindMalformed, bad)

	var b history.Builder
	b.Add(history.Op{Type: history.Invoke, F: "txn", Value: []byte(`[["x",1,2]]`)})
	b.Add(history.Op{Type: history.OK, F: "txn", Value: []byte(`[["x",1,2]]`)})
	res = Check(b.History(), ru)
	expectInvalid(t, res, KindMalformed)
	expectOps(t, res.Anomalies, KindMalformed, 0)
}

// Lost update (Elle's lost-update: two committed transactions read the
// same version of a key and both wrote it): allowed by read committed,
// forbidden by snapshot isolation and serializability.
func TestLostUpdate(t *testing.T) {
	h := newHist()
	h.invoke(0, "r1=nil w1=1")
	h.invoke(1, "r1=nil w1=2")
	a := h.ok(0, "r1=nil w1=1")
	b := h.ok(1, "r1=nil w1=2")
	rcRes := Check(h.history(), rc)
	expectValid(t, rcRes)
	expectOps(t, rcRes.Notes, KindLostUpdate, a, b)
	res := Check(h.history(), si)
	if res.Validity != workload.Invalid || find(res.Anomalies, KindLostUpdate) == nil {
		t.Fatalf("snapshot isolation: lost update not a failure\n%s", dump(res))
	}
}

// Adya G-single (read skew): T1 read key 1 = nil, older than T2's write
// of key 1 (rw), and read T2's key 2 = 2 (wr): one anti-dependency. A note
// under read committed, a failure under snapshot isolation.
func TestGSingle(t *testing.T) {
	h := newHist()
	h.invoke(0, "r1=nil r2=nil")
	_, t2 := h.run(1, "w1=1 w2=2")
	t1 := h.ok(0, "r1=nil r2=2")
	rcRes := Check(h.history(), rc)
	expectValid(t, rcRes)
	expectOps(t, rcRes.Notes, KindGSingle, t1, t2)
	res := Check(h.history(), si)
	if res.Validity != workload.Invalid || !slices.Equal(kinds(res.Anomalies), []string{KindGSingle}) {
		t.Fatalf("snapshot isolation: want G-single only\n%s", dump(res))
	}
}

// Adya G2 (write skew): two anti-dependencies. Snapshot isolation allows
// it; serializability does not.
func TestG2(t *testing.T) {
	h := newHist()
	h.invoke(0, "r1=nil w2=1")
	h.invoke(1, "r2=nil w1=1")
	a := h.ok(0, "r1=nil w2=1")
	b := h.ok(1, "r2=nil w1=1")
	rcRes := Check(h.history(), rc)
	expectValid(t, rcRes)
	expectOps(t, rcRes.Notes, KindG2, a, b)
	if res := Check(h.history(), si); res.Validity == workload.Invalid {
		t.Fatalf("snapshot isolation must allow write skew\n%s", dump(res))
	}
	res := Check(h.history(), ser)
	if res.Validity != workload.Invalid || find(res.Anomalies, KindG2) == nil {
		t.Fatalf("serializable: G2 not a failure\n%s", dump(res))
	}
}

// The verdict: stronger models than read committed are valid when clean,
// as Elle's verdict is, with a note naming what is not shown; nothing to
// judge is unknown; a broken history or option is unknown with the
// reason; many cases of one kind are counted, a few shown.
func TestVerdicts(t *testing.T) {
	h := newHist()
	h.run(0, "w1=1")
	h.run(1, "r1=1")
	res := Check(h.history(), []string{"serializable"})
	if res.Validity != workload.Valid || len(res.Anomalies) > 0 {
		t.Fatalf("serializable, clean: %s\n%s", res.Validity, dump(res))
	}
	if n := find(res.Notes, "unchecked"); n == nil || !strings.Contains(n.Message, "no proof of serializable") {
		t.Errorf("no note saying serializable is not proven\n%s", dump(res))
	}
	if res := Check(h.history(), nil); res.Validity != workload.Valid || find(res.Notes, "unchecked") == nil {
		t.Errorf("no models: want Maelstrom's default, strict-serializable, valid with a note\n%s", dump(res))
	}

	if res := Check(nil, rc); res.Validity != workload.Unknown || find(res.Notes, "no-transactions") == nil {
		t.Errorf("empty history: %s\n%s", res.Validity, dump(res))
	}
	var b history.Builder
	b.Add(history.Op{Type: history.OK, Process: 3, F: "txn"})
	if res := Check(b.History(), rc); res.Validity != workload.Unknown || find(res.Anomalies, "malformed-history") == nil {
		t.Errorf("unpaired completion: %s\n%s", res.Validity, dump(res))
	}
	if res := Check(h.history(), []string{"eventual"}); res.Validity != workload.Unknown || find(res.Anomalies, "bad-options") == nil {
		t.Errorf("unknown model: %s\n%s", res.Validity, dump(res))
	}

	many := newHist()
	for i := range 20 {
		many.run(i, fmt.Sprintf("r%d=7", i))
	}
	res = Check(many.history(), ru)
	garbage := 0
	for _, a := range res.Anomalies {
		if a.Kind == KindGarbage {
			garbage++
		}
	}
	counts, _ := res.Metrics["anomaly_counts"].(map[string]int)
	if garbage != maxShown || counts[KindGarbage] != 20 || !strings.Contains(res.Anomalies[maxShown-1].Message, "12 more garbage-read cases not shown") {
		t.Errorf("%d garbage reads shown, %d counted\n%s", garbage, counts[KindGarbage], dump(res))
	}
}

// A transaction that reads the same aborted value twice shows one G1a
// case, not two.
func TestG1aReportedOncePerReader(t *testing.T) {
	h := newHist()
	h.invoke(0, "w1=1")
	h.fail(0)
	h.run(1, "r1=1 r1=1")
	res := Check(h.history(), rc)
	expectInvalid(t, res, KindG1a)
	n := 0
	for _, a := range res.Anomalies {
		if a.Kind == KindG1a {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d G1a cases, want 1\n%s", n, dump(res))
	}
}

// Under strict serializability a transaction follows every one that
// completed before it was invoked: a read of nil after a write of the key
// completed is a stale read, a G-single-realtime cycle (T2 -rw-> T1 -rt->
// T2). Serializability allows it.
func TestRealtimeStaleRead(t *testing.T) {
	h := newHist()
	_, t1 := h.run(0, "w1=1")
	_, t2 := h.run(1, "r1=nil")
	res := Check(h.history(), []string{"strict-serializable"})
	expectInvalid(t, res, KindGSingleRT)
	expectOps(t, res.Anomalies, KindGSingleRT, t2, t1)
	if a := find(res.Anomalies, KindGSingleRT); !strings.Contains(a.Message, "completed;") || !strings.Contains(a.Message, "strict serializability puts it later") {
		t.Errorf("the cycle does not say why real time orders it: %s", a.Message)
	}
	if res := Check(h.history(), []string{"serializable"}); res.Validity != workload.Valid {
		t.Errorf("serializable: %s\n%s", res.Validity, dump(res))
	}

	// Overlapping transactions have no real-time order: the same reads
	// are fine when the read began before the write completed.
	h = newHist()
	h.invoke(0, "w1=1")
	h.invoke(1, "r1=nil")
	h.ok(0, "w1=1")
	h.ok(1, "r1=nil")
	if res := Check(h.history(), []string{"strict-serializable"}); res.Validity != workload.Valid {
		t.Errorf("concurrent: %s\n%s", res.Validity, dump(res))
	}
}
