package txn

import (
	"fmt"

	"github.com/glomers/glomers/internal/workload/txngraph"
)

// client sends one transaction per operation (txngraph.Client). The reply
// must be the request with its reads filled in: same length, same
// function and key at every position, writes unchanged, reads null or an
// integer. Maelstrom checks only the shape of each micro-op (its issue
// #14); a reply that does not match is malformed here, and so info, with
// an error the harness reports. The checker reads writes from the
// invocation.
var client = txngraph.NewClient(parseTxn, matchReply, encodeTxn)

// matchReply reports how a completed transaction differs from the request.
func matchReply(req, got []mop) error {
	return txngraph.MatchMops(req, got, func(i int, q, g mop) error {
		switch {
		case g.f != q.f:
			return fmt.Errorf("micro-op %d is %q, the request had %q", i, g.f, q.f)
		case g.key != q.key:
			return fmt.Errorf("micro-op %d is on key %d, the request had key %d", i, g.key, q.key)
		case q.isWrite() && g.value != q.value:
			return fmt.Errorf("micro-op %d writes %d to key %d, the request wrote %d", i, g.value, g.key, q.value)
		}
		return nil
	})
}
