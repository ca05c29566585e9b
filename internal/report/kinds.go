package report

import (
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/registry"
)

// Meaning is what an anomaly kind says about a node, in plain words: a
// title, and a paragraph on what happened and its usual cause.
type Meaning = workload.Meaning

// meanings are the words for the kinds the harness reports, whatever the
// workload; each workload's checker kinds come with the workload (its
// Kinds, found through the registry). A test keeps both complete.
var meanings = map[string]Meaning{
	// The harness, for every workload.
	"run-stopped": {Title: "The run stopped early",
		Text: "Something outside the checks stopped the run before it finished, so nothing was checked. The message above says what."},
	"interrupted": {Title: "The run was interrupted",
		Text: "The run was stopped (Ctrl-C) before it finished; nothing was checked. Run it again to get a verdict."},
	"node-crashed": {Title: "A node crashed",
		Text: "A node process exited while the run was going on. Its last log lines usually show why: a panic, an unhandled message type (the Maelstrom Go library stops the node on a message it has no handler for), or a log.Fatal on an error."},
	"protocol": {Title: "A node broke the protocol",
		Text: "A node wrote something to stdout that is not one JSON message per line, or a message without src, dest or body. Stdout is for messages only: send debugging output to stderr, which becomes the node's log."},
	"init": {Title: "A node did not start properly",
		Text: "A node did not answer init with init_ok in time, or did not answer the workload's setup. Check that the node reads stdin line by line and replies to init before anything else."},
	"availability": {Title: "Too many operations failed",
		Text: "The run asks for a share of operations to succeed (--availability), and fewer did. Operations fail when the node answers with an error, and are indeterminate when no reply came before the client's timeout: look for requests the node never answered, and for handlers that wait on a partitioned peer."},
	"stats": {Title: "An operation type never succeeded",
		Text: "Maelstrom runs Jepsen's stats checker on every test, and it fails a run in which some kind of operation (every read, say) never completed ok. Look for a handler that always answers with an error, or never answers at all."},
	"checker-error": {Title: "The checker itself failed",
		Text: "This is a bug in tutor, not in your node. Please report it with the run's history.jsonl."},
	"malformed-reply": {Title: "A reply had the wrong shape",
		Text: "A node answered a client with a body that does not match the workload's reply format: a missing field, an extra one, a field of the wrong type, or the wrong reply type. Real Maelstrom's client throws on such a reply and records the operation as indeterminate, so its verdict may still pass; the course fails the run. Compare the reply with the one the challenge describes."},
	"unexpected-reply": {Title: "A node answered a request nobody made",
		Text: "A node sent a client a message whose in_reply_to names none of the client's requests, or has no in_reply_to at all. Real Maelstrom's client skips it while it waits for the reply to its own request, and that request times out; the course fails the run. Reply with the request's msg_id in in_reply_to (the library's Reply does it), and send clients replies only."},
}

// MeaningOf returns the plain words for an anomaly kind of a workload.
// The workload's own kinds come first: a kind it reports is its to
// explain.
func MeaningOf(workload, kind string) (Meaning, bool) {
	if m, ok := registry.Meaning(workload, kind); ok {
		return m, true
	}
	m, ok := meanings[kind]
	return m, ok
}
