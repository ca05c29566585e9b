package txn

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/glomers/glomers/internal/workload/jsonscan"
	"github.com/glomers/glomers/internal/workload/txngraph"
)

// mop is one micro-operation. A read asks for (and, completed, holds) a
// key's value; nil marks a read of null. Writes always carry a value.
type mop struct {
	f     byte // 'r' or 'w'
	nil   bool
	key   int64
	value int64
}

func (m mop) isRead() bool  { return m.f == 'r' }
func (m mop) isWrite() bool { return m.f == 'w' }

// encodeTxn renders mops in the wire and history shape,
// [["r",1,null],["w",1,6]].
func encodeTxn(mops []mop) json.RawMessage {
	return jsonscan.AppendTxn(make([]byte, 0, 2+len(mops)*14), len(mops),
		func(i int) (string, int64) { return string(mops[i].f), mops[i].key },
		func(b []byte, i int) []byte {
			if m := mops[i]; m.f != 'r' || !m.nil {
				return strconv.AppendInt(b, m.value, 10)
			}
			return append(b, "null"...)
		})
}

// parseTxn decodes a transaction value. Keys and written values must be
// JSON integers; read values null or integers. A fast scanner handles the
// shape the harness and well-behaved nodes produce; anything it does not
// recognise goes to the general decoder, whose verdict stands.
func parseTxn(raw []byte) ([]mop, error) { return txngraph.Parse(raw, scanTxn, decodeTxn) }

// fnames are the micro-ops' functions, as the wire writes them.
var fnames = []string{"r", "w"}

// decodeTxn is the reference decoder, built on encoding/json.
func decodeTxn(raw []byte) ([]mop, error) {
	return txngraph.MicroOps(raw, fnames, func(i int, f string, key int64, v json.RawMessage) (mop, error) {
		m := mop{f: f[0], key: key}
		if string(v) == "null" {
			if m.f == 'w' {
				return m, fmt.Errorf("micro-op %d: a write of null", i)
			}
			m.nil = true
			return m, nil
		}
		var err error
		if m.value, err = jsonscan.ParseInt(v); err != nil {
			return m, fmt.Errorf("micro-op %d: value %s", i, err)
		}
		return m, nil
	})
}

// scanTxn is the fast path of parseTxn: it accepts only plain arrays of
// ["r"|"w", integer, integer|null] with optional whitespace, and reports
// false for anything else (including valid JSON it does not handle, such
// as escaped strings), leaving the verdict to decodeTxn.
func scanTxn(b []byte) ([]mop, bool) {
	s := jsonscan.Scanner{B: b}
	return jsonscan.ScanTxn(&s, fnames, func(f string, key int64) (mop, bool) {
		m := mop{f: f[0], key: key}
		if s.Lit("null") {
			m.nil = true
			return m, m.f == 'r'
		}
		var ok bool
		m.value, ok = s.Int()
		return m, ok
	})
}
