// Command raft-old-term-commit is step 7e's reference solution with
// Raft's commit rule broken (section 5.4.2, Figure 8): its leader commits
// any entry that a majority holds, even one of an earlier term. Such an
// entry can still be replaced by a later leader, so a client may be told
// that a write happened which every node then forgets. The step's
// transcript transcript_7e_old_term catches it deterministically: as the
// leader of term 4, with c1's write of term 2 on two nodes of three, it
// commits the write and answers c1.
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
