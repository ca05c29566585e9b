// Command txn-madeup runs transactions on one node under one lock, but
// reads a key nobody has written as 0, the zero value a Go map hands out
// for a missing key, instead of null. The workload writes 1, 2, 3, ... to
// each key, so no transaction ever wrote that 0: the txn-rw-register
// checker must report garbage-read. Real Maelstrom misses it (Elle ignores
// values nobody wrote), so it is a strict finding: tutor test passes the
// node by Maelstrom's verdict, tutor test --strict and tutor check fail it.
package main

import "github.com/glomers/glomers/testdata/nodes/txnnode"

func main() {
	regs := map[int]int{}
	txnnode.Serve(func(txn [][]any) error {
		for _, op := range txn {
			k := txnnode.Key(op)
			if op[0] == "r" {
				op[2] = regs[k] // the bug: 0 for a key never written
			} else {
				regs[k] = txnnode.Value(op)
			}
		}
		return nil
	})
}
