// Package echo is the reference solution to step 1 of the course, Fly.io's
// "Echo" challenge: a node that answers every echo request with the same
// payload.
//
// Like every solution package it exports Register, which installs the
// node's handlers; the caller creates the node and runs it. It imports
// nothing from this repository, only the Maelstrom Go library, so it reads
// like the node a learner would write.
package echo

import (
	"encoding/json"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// Register installs the echo handler on n.
//
// The library answers init on its own, so there is nothing to set up.
func Register(n *maelstrom.Node) {
	n.Handle("echo", func(msg maelstrom.Message) error {
		// We never look inside the payload, so keep it as raw JSON
		// bytes: whatever JSON value the client sent goes back as it
		// came.
		var req struct {
			Echo json.RawMessage `json:"echo"`
		}
		if err := json.Unmarshal(msg.Body, &req); err != nil {
			return err
		}
		// Reply fills in in_reply_to from the request's msg_id, which is
		// how the client pairs our answer with its question.
		return n.Reply(msg, map[string]any{
			"type": "echo_ok",
			"echo": req.Echo,
		})
	})
}
