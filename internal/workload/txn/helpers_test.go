package txn

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// hist writes histories by hand. Micro-ops are written "w1=6" (write 6
// to key 1), "r1=3" (read 3 from key 1), "r1=nil"; invocations take the
// same text and send reads as null.
type hist struct {
	b   history.Builder
	now time.Duration
	req map[int]string
}

func newHist() *hist { return &hist{req: map[int]string{}} }

func (h *hist) add(op history.Op) int {
	h.now += time.Millisecond
	op.Time = h.now
	op.F = "txn"
	return h.b.Add(op)
}

// invoke starts a transaction on process p.
func (h *hist) invoke(p int, mops string) int {
	h.req[p] = mops
	return h.add(history.Op{Type: history.Invoke, Process: p, Value: txnValue(mops, true)})
}

// ok completes p's transaction with the given results.
func (h *hist) ok(p int, mops string) int {
	delete(h.req, p)
	return h.add(history.Op{Type: history.OK, Process: p, Value: txnValue(mops, false)})
}

// fail completes p's transaction with a definite error.
func (h *hist) fail(p int) int {
	v := txnValue(h.req[p], true)
	delete(h.req, p)
	return h.add(history.Op{Type: history.Fail, Process: p, Value: v, Error: "txn-conflict: aborted"})
}

// info completes p's transaction without an answer.
func (h *hist) info(p int) int {
	v := txnValue(h.req[p], true)
	delete(h.req, p)
	return h.add(history.Op{Type: history.Info, Process: p, Value: v, Error: "timeout"})
}

// run invokes and completes a transaction at once; the request is the
// result with its reads blanked.
func (h *hist) run(p int, mops string) (inv, done int) {
	return h.invoke(p, mops), h.ok(p, mops)
}

func (h *hist) history() history.History { return h.b.History() }

// txnValue parses the micro-op shorthand. With request set, reads are null.
func txnValue(s string, request bool) json.RawMessage {
	var mops []mop
	for _, f := range strings.Fields(s) {
		k, v, ok := strings.Cut(f[1:], "=")
		if !ok || (f[0] != 'r' && f[0] != 'w') {
			panic("bad micro-op " + f)
		}
		m := mop{f: f[0], key: mustInt(k)}
		switch {
		case m.f == 'r' && (request || v == "nil"):
			m.nil = true
		default:
			m.value = mustInt(v)
		}
		mops = append(mops, m)
	}
	return encodeTxn(mops)
}

func mustInt(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		panic(err)
	}
	return n
}

// kinds lists the distinct kinds of anomalies, in order.
func kinds(as []workload.Anomaly) []string {
	var ks []string
	for _, a := range as {
		if !slices.Contains(ks, a.Kind) {
			ks = append(ks, a.Kind)
		}
	}
	return ks
}

func find(as []workload.Anomaly, kind string) *workload.Anomaly {
	for i := range as {
		if as[i].Kind == kind {
			return &as[i]
		}
	}
	return nil
}

// expectInvalid asserts that res failed for exactly the kinds given.
func expectInvalid(t *testing.T, res workload.Result, want ...string) {
	t.Helper()
	if res.Validity != workload.Invalid {
		t.Fatalf("validity %s, want invalid\n%s", res.Validity, dump(res))
	}
	if got := kinds(res.Anomalies); !slices.Equal(got, want) {
		t.Fatalf("anomaly kinds %v, want %v\n%s", got, want, dump(res))
	}
}

// expectValid asserts that nothing failed.
func expectValid(t *testing.T, res workload.Result) {
	t.Helper()
	if res.Validity != workload.Valid || len(res.Anomalies) > 0 {
		t.Fatalf("validity %s, want valid\n%s", res.Validity, dump(res))
	}
}

// expectOps asserts that the first anomaly (or note) of kind shows
// exactly the given ops, in any rotation (cycles have no first element).
func expectOps(t *testing.T, as []workload.Anomaly, kind string, want ...int) {
	t.Helper()
	a := find(as, kind)
	if a == nil {
		t.Fatalf("no %s among %v", kind, kinds(as))
	}
	if len(a.Ops) == len(want) {
		for r := range want {
			if slices.Equal(append(slices.Clone(a.Ops[r:]), a.Ops[:r]...), want) {
				return
			}
		}
	}
	t.Fatalf("%s ops %v, want %v (%s)", kind, a.Ops, want, a.Message)
}

func dump(res workload.Result) string {
	var sb strings.Builder
	for _, a := range res.Anomalies {
		fmt.Fprintf(&sb, "  anomaly %s %v: %s\n", a.Kind, a.Ops, a.Message)
	}
	for _, a := range res.Notes {
		fmt.Fprintf(&sb, "  note %s %v: %s\n", a.Kind, a.Ops, a.Message)
	}
	return sb.String()
}

var (
	ru  = []string{"read-uncommitted"}
	rc  = []string{"read-committed"}
	ser = []string{"serializable"}
	si  = []string{"snapshot-isolation"}
)
