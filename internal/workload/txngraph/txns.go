package txngraph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/jsonscan"
)

// Kinds both transactional checkers report, besides the cycles.
const (
	// KindMalformed: a transaction value that is not a list of
	// micro-ops, or an ok value that does not answer its request.
	KindMalformed = "malformed-txn"
	// KindGarbage: a read of a value no transaction wrote.
	KindGarbage = "garbage-read"
	// KindFutureRead: a read of a value before it was written.
	KindFutureRead = "future-read"
	// KindInternal: a read that disagrees with what the same transaction
	// wrote or read before.
	KindInternal = "internal"
	// KindG1a: an aborted read.
	KindG1a = "G1a"
	// KindG1b: an intermediate read.
	KindG1b = "G1b"
	// KindLostUpdate: two committed transactions read the same version of
	// a key and both wrote it.
	KindLostUpdate = "lost-update"
)

// Status is how a transaction ended.
type Status uint8

// Statuses.
const (
	StOK   Status = iota // committed, reads known
	StFail               // definitely did not happen (aborted)
	StInfo               // unknown: may or may not have happened
	StOpen               // never completed (an interrupted run): like info
)

// Record is one transaction as the checkers first read it from a
// history: M is the workload's micro-operation.
type Record[M any] struct {
	Num       int // T number, from 1, in invocation order
	Inv, Done int // history indexes of the invocation and completion (-1: none)
	St        Status
	// Mops are the completed micro-ops of an ok transaction, the
	// requested ones otherwise; nil when Parsed is false.
	Mops   []M
	Parsed bool // the invocation could be read at all
}

// Op is the history index that shows the transaction's outcome: its
// completion, or its invocation if it never completed.
func (r *Record[M]) Op() int {
	if r.Done >= 0 {
		return r.Done
	}
	return r.Inv
}

// Collect reads the transactions of a history (operations "txn"). An
// unreadable invocation, or an ok completion that does not answer its
// request (match says why), is a malformed-txn case handed to bad; such
// a transaction counts as indeterminate.
func Collect[M any](h history.History, pairs []int, parse func([]byte) ([]M, error), match func(req, got []M) error, bad func(Case)) []Record[M] {
	txns := make([]Record[M], 0, len(h)/2+1)
	for i, op := range h {
		if op.Type != history.Invoke || op.F != "txn" {
			continue
		}
		t := Record[M]{Num: len(txns) + 1, Inv: i, Done: pairs[i]}
		if t.Done < 0 {
			t.St = StOpen
		} else {
			switch h[t.Done].Type {
			case history.OK:
				t.St = StOK
			case history.Fail:
				t.St = StFail
			default:
				t.St = StInfo
			}
		}
		req, err := parse(op.Value)
		if err != nil {
			bad(Case{
				Msg: fmt.Sprintf("T%d (op %d) was invoked with an unreadable transaction %s: %v", t.Num, i, Quote(op.Value), err),
				Ops: []int{i},
			})
			txns = append(txns, t)
			continue
		}
		t.Parsed, t.Mops = true, req
		if t.St == StOK {
			got, err := parse(h[t.Done].Value)
			if err == nil {
				err = match(req, got)
			}
			if err != nil {
				bad(Case{
					Msg: fmt.Sprintf("T%d (op %d) completed ok with %s, which does not answer its request %s: %v; counted as indeterminate",
						t.Num, t.Done, Quote(h[t.Done].Value), Quote(op.Value), err),
					Ops: []int{t.Done},
				})
				t.St = StInfo
			} else {
				t.Mops = got
			}
		}
		txns = append(txns, t)
	}
	return txns
}

// Label names a transaction with the op that shows its outcome (its
// completion, or its invocation if it never completed). inferred says
// why an indeterminate one counts as committed, or is "".
func Label(num, op int, st Status, inferred string) string {
	switch st {
	case StFail:
		return fmt.Sprintf("T%d (op %d, failed)", num, op)
	case StInfo, StOpen:
		what := "indeterminate"
		if st == StOpen {
			what = "never completed"
		}
		if inferred != "" {
			return fmt.Sprintf("T%d (op %d, %s)", num, op, inferred)
		}
		return fmt.Sprintf("T%d (op %d, %s)", num, op, what)
	}
	return fmt.Sprintf("T%d (op %d)", num, op)
}

// Tally counts n transactions by outcome (st gives the i-th's), as the
// metrics report them.
func Tally(n int, st func(i int) Status) map[string]int {
	m := map[string]int{"ok": 0, "fail": 0, "info": 0}
	for i := range n {
		switch st(i) {
		case StOK:
			m["ok"]++
		case StFail:
			m["fail"]++
		default:
			m["info"]++
		}
	}
	return m
}

// Quote shows a value in a message, cut short when long.
func Quote(b []byte) string {
	const limit = 120
	if len(b) > limit {
		return fmt.Sprintf("%s... (%d bytes)", b[:limit], len(b))
	}
	if len(b) == 0 {
		return "(nothing)"
	}
	return string(b)
}

// Client sends one transaction per operation, {"type":"txn","txn":...},
// and expects txn_ok with the completed transaction. It keeps no state,
// so it is reusable after an indeterminate outcome, as Maelstrom's is. No
// transaction is idempotent: a timeout or an indefinite error is info, a
// definite error (30 txn-conflict, ...) fail. Fail and info completions
// carry the request as their value, as Jepsen's do.
type Client struct {
	// valid checks a request before it is sent.
	valid func(req json.RawMessage) error
	// complete checks a reply's transaction against the request and
	// returns it in history form, or says why it does not answer the
	// request: then the completion is a malformed reply, an info the
	// harness reports.
	complete func(req, got json.RawMessage) (json.RawMessage, error)
}

// NewClient returns a client for micro-ops M: parse reads a transaction,
// match says how a completed one fails to answer its request, encode
// writes one in history form.
func NewClient[M any](parse func([]byte) ([]M, error), match func(req, got []M) error, encode func([]M) json.RawMessage) Client {
	return Client{
		valid: func(req json.RawMessage) error {
			_, err := parse(req)
			return err
		},
		complete: func(req, got json.RawMessage) (json.RawMessage, error) {
			q, err := parse(req)
			if err != nil {
				return nil, err
			}
			g, err := parse(got)
			if err == nil {
				err = match(q, g)
			}
			if err != nil {
				return nil, err
			}
			return encode(g), nil
		},
	}
}

type txnRequest struct {
	Type string          `json:"type"`
	Txn  json.RawMessage `json:"txn"`
}

type txnReply struct {
	Txn json.RawMessage `json:"txn"`
}

// Invoke implements workload.Client.
func (c Client) Invoke(ctx context.Context, conn workload.Conn, inv workload.Invocation) workload.Completion {
	if err := c.valid(inv.Value); err != nil {
		// Never sent: our own generator built something unusable.
		return workload.Completion{Type: history.Fail, Value: inv.Value, Error: "invalid transaction: " + err.Error()}
	}
	var reply txnReply
	if err := workload.Call(ctx, conn, txnRequest{Type: "txn", Txn: inv.Value}, "txn_ok", &reply); err != nil {
		f := workload.Failed(err, false)
		f.Value = inv.Value
		return f
	}
	done, err := c.complete(inv.Value, reply.Txn)
	if err != nil {
		f := workload.Failed(&workload.MalformedError{Reply: reply.Txn, Why: err.Error()}, false)
		f.Value = inv.Value
		return f
	}
	return workload.Completion{Type: history.OK, Value: done}
}

// Begin starts a check: it reads the models named and pairs the
// history's operations. When either fails, the returned result is the
// verdict (unknown, saying why).
func Begin(h history.History, names []string, f Forbidden) (Policy, []int, *workload.Result) {
	pol, err := NewPolicy(names, f)
	if err != nil {
		return pol, nil, &workload.Result{Validity: workload.Unknown, Anomalies: []workload.Anomaly{{Kind: "bad-options", Message: err.Error()}}}
	}
	pairs, err := h.Pair()
	if err != nil {
		return pol, nil, &workload.Result{Validity: workload.Unknown, Anomalies: []workload.Anomaly{{Kind: "malformed-history", Message: err.Error()}}}
	}
	return pol, pairs, nil
}

// MatchMops checks that a completed transaction has as many micro-ops as
// its request, and hands each pair to diff, which says how the completed
// one fails to answer the requested one (or nil).
func MatchMops[M any](req, got []M, diff func(i int, q, g M) error) error {
	if len(got) != len(req) {
		return fmt.Errorf("txn has %d micro-ops, the request had %d", len(got), len(req))
	}
	for i := range req {
		if err := diff(i, req[i], got[i]); err != nil {
			return err
		}
	}
	return nil
}

// Parse decodes a transaction with fast, and when fast does not accept
// it, with slow, whose verdict stands: a fast scanner for the plain
// shapes (package jsonscan), the reference decoder for the rest.
func Parse[M any](raw []byte, fast func([]byte) ([]M, bool), slow func([]byte) ([]M, error)) ([]M, error) {
	if mops, ok := fast(raw); ok {
		return mops, nil
	}
	return slow(raw)
}

// MicroOps decodes a transaction for a reference decoder built on
// encoding/json: a list of micro-ops [f, key, value], f one of fnames,
// key an integer. Only once every micro-op's frame is sound does value
// make the i-th micro-op from its function, key and value (white space
// trimmed), or say what is wrong with the value: a fault in any frame is
// named before a fault in a value. The workloads' decoders differ only in
// their values, so the frame is read here once.
func MicroOps[M any](raw []byte, fnames []string, value func(i int, f string, key int64, v json.RawMessage) (M, error)) ([]M, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, errors.New("transaction is missing")
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil || elems == nil {
		return nil, errors.New("transaction is not a JSON array")
	}
	type rawMop struct {
		f   string
		key int64
		v   json.RawMessage
	}
	raws := make([]rawMop, len(elems))
	for i, e := range elems {
		var parts []json.RawMessage
		if err := json.Unmarshal(e, &parts); err != nil || parts == nil {
			return nil, fmt.Errorf("micro-op %d is not an array", i)
		}
		if len(parts) != 3 {
			return nil, fmt.Errorf("micro-op %d has %d elements, not 3 ([f, key, value])", i, len(parts))
		}
		if err := json.Unmarshal(parts[0], &raws[i].f); err != nil || !slices.Contains(fnames, raws[i].f) {
			return nil, fmt.Errorf(`micro-op %d: function is %s, not "%s"`, i, parts[0], strings.Join(fnames, `" or "`))
		}
		k, err := jsonscan.ParseInt(parts[1])
		if err != nil {
			return nil, fmt.Errorf("micro-op %d: key %s", i, err)
		}
		raws[i].key, raws[i].v = k, bytes.TrimSpace(parts[2])
	}
	mops := make([]M, len(raws))
	for i, r := range raws {
		m, err := value(i, r.f, r.key, r.v)
		if err != nil {
			return nil, err
		}
		mops[i] = m
	}
	return mops, nil
}

// Labels names transactions, joined by sep, and lists the ops that show
// their outcomes: op and label give each one's.
func Labels(ts []int32, sep string, op func(int32) int, label func(int32) string) (ops []int, s string) {
	names := make([]string, len(ts))
	for i, t := range ts {
		ops = append(ops, op(t))
		names[i] = label(t)
	}
	return ops, strings.Join(names, sep)
}
