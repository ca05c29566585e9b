// Command raft-stale-read is step 7f's reference solution with reads
// served unsafely: its leader answers a read from its own map at once,
// without a round of heartbeats to confirm that it still leads, and it
// never steps down on its own, only when a message shows it a higher
// term. Cut off from the majority by a partition, it goes on answering
// reads while the majority elects another leader and writes new values:
// its answers are stale. The lin-kv checker must find the history not
// linearizable, under --nemesis partition.
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
