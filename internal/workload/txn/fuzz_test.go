package txn

import (
	"bytes"
	"testing"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/workloadtest"
)

// historyFromBytes interprets data as a program that writes a history:
// invocations of small transactions on a few processes and keys, and
// their completions with arbitrary results, sometimes not even JSON. It
// keeps invocations and completions paired, so that the checker gets past
// pairing and into its analysis.
func historyFromBytes(data []byte) history.History {
	return workloadtest.TxnHistory(data, func(next func() int) []mop {
		return workloadtest.TxnRequest(next, 4,
			func(key int64) mop { return mop{f: 'r', key: key, nil: true} },
			func(key, v int64) mop { return mop{f: 'w', key: key, value: v} })
	}, func(m *mop, next func() int) {
		if m.isRead() {
			if v := next() % 7; v > 0 {
				m.nil, m.value = false, int64(v-1)
			}
		}
	}, encodeTxn)
}

// checkWellFormed asserts what every result must satisfy.
func checkWellFormed(t *testing.T, h history.History, res workload.Result) {
	t.Helper()
	switch res.Validity {
	case workload.Valid, workload.Invalid, workload.Unknown:
	default:
		t.Fatalf("validity %q", res.Validity)
	}
	if res.Validity == workload.Valid && len(res.Anomalies) > 0 {
		t.Fatalf("valid with anomalies\n%s", dump(res))
	}
	for _, a := range append(append([]workload.Anomaly{}, res.Anomalies...), res.Notes...) {
		if a.Kind == "" || a.Message == "" {
			t.Fatalf("anomaly without kind or message: %+v", a)
		}
		for _, op := range a.Ops {
			if op < 0 || op >= len(h) {
				t.Fatalf("%s names op %d of a %d-op history", a.Kind, op, len(h))
			}
		}
	}
}

var fuzzSeeds = [][]byte{
	{0, 0, 2, 1, 1, 1, 1, 0, 1, 0, 2, 1, 1, 0, 0, 3},
	{0, 0, 3, 1, 1, 1, 0, 1, 1, 1, 2, 2, 0, 1, 1, 0, 1, 0, 0, 0, 1, 2, 0, 1, 2, 0, 0, 0},
	{0, 2, 4, 1, 0, 1, 1, 1, 2, 0, 3, 0, 2, 2, 3, 0, 0, 2, 3, 3, 2, 3, 3},
	[]byte("the quick brown fox jumps over the lazy dog, twice over"),
}

// FuzzCheck: on any history the checker returns a well-formed result,
// without panicking or hanging.
func FuzzCheck(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h := historyFromBytes(data)
		for _, m := range [][]string{ru, rc, ser} {
			checkWellFormed(t, h, Check(h, m))
		}
	})
}

// FuzzCheckJSONLines: the same for whatever bytes decode as a history.
func FuzzCheckJSONLines(f *testing.F) {
	for _, s := range fuzzSeeds {
		var buf bytes.Buffer
		if err := historyFromBytes(s).WriteJSONLines(&buf); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add([]byte(`{"index":0,"type":"ok","process":0,"f":"txn","value":[["r",1,2]]}`))
	f.Add([]byte(`{"index":0,"type":"invoke","process":0,"f":"txn","value":"x"}` + "\n" + `{"index":1,"type":"ok","process":0,"f":"txn","value":[["r",1,2]]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := history.ReadJSONLines(bytes.NewReader(data))
		if err != nil {
			return
		}
		checkWellFormed(t, h, Check(h, rc))
	})
}

// FuzzParseTxn: the fast scanner never accepts what the reference decoder
// refuses, and never disagrees with it.
func FuzzParseTxn(f *testing.F) {
	for _, s := range []string{`[["r",1,null],["w",1,6]]`, `[]`, `[["r",1,1.5]]`, `[["\u0072",1,null]]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, werr := decodeTxn(data)
		if got, ok := scanTxn(data); ok && (werr != nil || !bytes.Equal(encodeTxn(got), encodeTxn(want))) {
			t.Fatalf("%q: scanner %v, decoder %v / %v", data, got, want, werr)
		}
	})
}
