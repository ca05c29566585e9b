// Command raft-two-leaders is step 7d's reference solution with one rule
// of Raft's elections broken: it grants its vote to every candidate of
// the current term whose log is up to date, even when it has voted for
// another candidate of that term already. Two candidates of one term can
// then both gather a majority, and the term has two leaders, each serving
// clients from its own map. The step's transcript transcript_7d_vote
// catches it deterministically: after voting for n2 in term 2, the node
// must refuse n1 in term 2, and this one grants.
package main

import (
	"context"
	"log"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

func main() {
	n := maelstrom.NewNode()
	Start(context.Background(), n)
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
