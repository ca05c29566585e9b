// Package uniqueids is the reference solution to step 2 of the course,
// Fly.io's "Unique ID Generation" challenge: every node hands out ids that
// no other request, on this node or any other, ever receives.
//
// The id is the node's own id followed by a per-node counter ("n1-7"). Node
// ids are unique by construction, so two nodes can never produce the same
// id, and the counter makes ids unique within a node. No node ever talks to
// another, which is why the scheme keeps working, and answering, while the
// network is partitioned.
package uniqueids

import (
	"fmt"
	"sync/atomic"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// Register installs the generate handler on n.
func Register(n *maelstrom.Node) {
	// The library runs every handler in its own goroutine, so requests
	// arrive concurrently: the counter must be atomic. It lives in this
	// closure rather than in a package variable so that two nodes in one
	// process (as in tests) do not share it.
	var counter atomic.Uint64

	n.Handle("generate", func(msg maelstrom.Message) error {
		seq := counter.Add(1)
		// n.ID() is only known after init. That is safe here: Maelstrom
		// sends no request until the node has answered init, and the
		// library answers only after it has recorded the id.
		id := fmt.Sprintf("%s-%d", n.ID(), seq)
		return n.Reply(msg, map[string]any{
			"type": "generate_ok",
			"id":   id,
		})
	})
}
