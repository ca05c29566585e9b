package workloadtest

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/glomers/glomers/internal/history"
)

// TxnHistory interprets data as a program that writes a history of
// transactions ("txn" operations with micro-ops M) for the transactional
// checkers' fuzz tests: four processes invoke transactions that request
// builds from the bytes (through next, 0 once data runs dry) and complete
// them ok (with a copy of the request in which complete fills in each
// micro-op, a read's value say, or now and then with raw bytes that may
// not even be JSON), failed or indeterminate. It keeps invocations and
// completions paired, so that a checker gets past pairing and into its
// analysis.
func TxnHistory[M any](data []byte, request func(next func() int) []M, complete func(m *M, next func() int), encode func([]M) json.RawMessage) history.History {
	var b history.Builder
	open := map[int][]M{}
	i := 0
	next := func() int {
		if i >= len(data) {
			return 0
		}
		i++
		return int(data[i-1])
	}
	for i < len(data) {
		code, p := next()%5, next()%4
		req, busy := open[p]
		switch {
		case !busy:
			req = request(next)
			open[p] = req
			b.Add(history.Op{Type: history.Invoke, Process: p, F: "txn", Value: encode(req)})
			continue
		case code <= 1:
			res := slices.Clone(req)
			for j := range res {
				complete(&res[j], next)
			}
			val := encode(res)
			if code == 1 && next()%8 == 0 {
				val = data[i:min(len(data), i+next()%16)]
			}
			b.Add(history.Op{Type: history.OK, Process: p, F: "txn", Value: val})
		case code == 2:
			b.Add(history.Op{Type: history.Fail, Process: p, F: "txn", Value: encode(req), Error: "txn-conflict"})
		default:
			b.Add(history.Op{Type: history.Info, Process: p, F: "txn"})
		}
		delete(open, p)
	}
	return b.History()
}

// TxnRequest builds, for TxnHistory's request, the transaction both
// transactional fuzz tests invoke: up to four micro-ops (through next),
// each on one of keys keys, a read (read makes it) or, when the byte
// after the key is odd, a write of a value below six (write). Both draw
// their bytes in this one order, so that a fuzz input means the same
// history to either workload.
func TxnRequest[M any](next func() int, keys int, read func(key int64) M, write func(key, v int64) M) []M {
	var mops []M
	for range next() % 5 {
		key := int64(next() % keys)
		if next()%2 == 1 {
			mops = append(mops, write(key, int64(next()%6)))
		} else {
			mops = append(mops, read(key))
		}
	}
	return mops
}

// ScanMatchesDecode checks a transactional workload's fast scanner
// against its reference decoder on the cases given and on 5,000 strings
// drawn from alphabet: whenever the scanner accepts, it must yield what
// the decoder yields (compared through encode), and parse (scanner, then
// decoder) must fail exactly when the decoder does.
func ScanMatchesDecode[M any](t *testing.T, cases, alphabet []string, scan func([]byte) ([]M, bool), decode, parse func([]byte) ([]M, error), encode func([]M) json.RawMessage) {
	t.Helper()
	rnd := rand.New(rand.NewPCG(1, 1))
	for range 5000 {
		var sb strings.Builder
		for range rnd.IntN(16) {
			sb.WriteString(alphabet[rnd.IntN(len(alphabet))])
		}
		cases = append(cases, sb.String())
	}
	for _, c := range cases {
		want, werr := decode([]byte(c))
		got, ok := scan([]byte(c))
		if ok && (werr != nil || string(encode(got)) != string(encode(want))) {
			t.Errorf("%q: scanner %v, decoder %v / %v", c, got, want, werr)
		}
		if _, err := parse([]byte(c)); (err == nil) != (werr == nil) {
			t.Errorf("%q: parse and the decoder disagree", c)
		}
	}
}
