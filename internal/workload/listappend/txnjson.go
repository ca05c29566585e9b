package listappend

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/glomers/glomers/internal/workload/jsonscan"
	"github.com/glomers/glomers/internal/workload/txngraph"
)

// mop is one micro-operation: an append of an element to a key's list,
// or a read of the list. A requested read, and a read of a key nothing
// was appended to, carry null (nil set).
type mop struct {
	f    byte // 'r' or 'a'
	key  int64
	val  int64   // an append's element
	nil  bool    // a read of null
	list []int64 // a read's list, when not null
}

func (m mop) isRead() bool   { return m.f == 'r' }
func (m mop) isAppend() bool { return m.f == 'a' }

// encodeTxn renders mops in the wire and history shape,
// [["r",1,[1,2]],["append",1,3]].
func encodeTxn(mops []mop) json.RawMessage {
	return jsonscan.AppendTxn(make([]byte, 0, 2+len(mops)*20), len(mops),
		func(i int) (string, int64) {
			if mops[i].isRead() {
				return "r", mops[i].key
			}
			return "append", mops[i].key
		},
		func(b []byte, i int) []byte {
			switch m := mops[i]; {
			case m.isAppend():
				return strconv.AppendInt(b, m.val, 10)
			case m.nil:
				return append(b, "null"...)
			default:
				return jsonscan.AppendInts(b, m.list)
			}
		})
}

// parseTxn decodes a transaction value. Keys and elements must be JSON
// integers (our generator's; Maelstrom allows any value, but every
// client it ships sends integers); a read's value is null or a list. A
// fast scanner handles the plain shapes; anything else goes to
// decodeTxn, whose verdict stands.
func parseTxn(raw []byte) ([]mop, error) { return txngraph.Parse(raw, scanTxn, decodeTxn) }

// fnames are the micro-ops' functions, as the wire writes them.
var fnames = []string{"r", "append"}

// scanTxn is parseTxn's fast path: it accepts only arrays of
// ["r", integer, null | [integer, ...]] and ["append", integer, integer]
// with optional white space, and reports false for anything else.
func scanTxn(b []byte) ([]mop, bool) {
	s := jsonscan.Scanner{B: b}
	return jsonscan.ScanTxn(&s, fnames, func(f string, key int64) (m mop, ok bool) {
		m = mop{f: f[0], key: key}
		switch {
		case m.isAppend():
			m.val, ok = s.Int()
		case s.Lit("null"):
			m.nil, ok = true, true
		default:
			m.list = make([]int64, 0, 8)
			ok = s.List(func() bool {
				v, ok := s.Int()
				m.list = append(m.list, v)
				return ok
			})
		}
		return m, ok
	})
}

// decodeTxn is the reference decoder, built on encoding/json.
func decodeTxn(raw []byte) ([]mop, error) {
	return txngraph.MicroOps(raw, fnames, func(i int, f string, key int64, v json.RawMessage) (m mop, err error) {
		m = mop{f: f[0], key: key}
		switch {
		case m.isAppend():
			if m.val, err = jsonscan.ParseInt(v); err != nil {
				return m, fmt.Errorf("micro-op %d: element %s", i, err)
			}
		case string(v) == "null":
			m.nil = true
		default:
			var list []json.RawMessage
			if err := json.Unmarshal(v, &list); err != nil || list == nil {
				return m, fmt.Errorf("micro-op %d: a read's value is %s, not null or a list", i, v)
			}
			m.list = make([]int64, len(list))
			for j, e := range list {
				if m.list[j], err = jsonscan.ParseInt(e); err != nil {
					return m, fmt.Errorf("micro-op %d: element %d of the list: %s", i, j, err)
				}
			}
		}
		return m, nil
	})
}

// matchReply reports how a completed transaction differs from the
// request: it must have the same micro-ops, appends unchanged, with each
// read's null replaced by a list (or left null for an empty key).
func matchReply(req, got []mop) error {
	return txngraph.MatchMops(req, got, func(i int, q, g mop) error {
		switch {
		case g.f != q.f:
			return fmt.Errorf("micro-op %d is %s, the request had %s", i, fname(g), fname(q))
		case g.key != q.key:
			return fmt.Errorf("micro-op %d is on key %d, the request had key %d", i, g.key, q.key)
		case q.isAppend() && g.val != q.val:
			return fmt.Errorf("micro-op %d appends %d to key %d, the request appended %d", i, g.val, g.key, q.val)
		case q.isRead() && !q.nil:
			return fmt.Errorf("micro-op %d: the request's read carries a value", i)
		}
		return nil
	})
}

func fname(m mop) string {
	if m.isRead() {
		return `"r"`
	}
	return `"append"`
}
