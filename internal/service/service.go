// Package service implements Maelstrom's built-in services, lin-kv, seq-kv,
// lww-kv and lin-tso, as pure state machines. The harness routes messages
// addressed to a service id here (after network latency, like any server
// traffic) and sends the reply back through the network.
//
// A service never does I/O and never reads a clock; randomness (seq-kv's
// choice of a past state, lww-kv's choice of replicas) comes from the
// caller's seeded source, so a service is tested deterministically.
//
// Behaviour follows Maelstrom's src/maelstrom/service.clj (jepsen-io/maelstrom
// at cb7f072); the two places where we differ on purpose are documented on
// seq-kv and lww-kv. Keys and values are arbitrary JSON and are compared as
// Maelstrom compares decoded JSON: structurally, with integers and floats
// never equal (1 is not 1.0). Replies carry in_reply_to set to the request's
// msg_id (null when it had none) and no msg_id of their own.
//
// All returns a fresh set for one run; New builds one service by id.
package service

import (
	"encoding/json"
	"math/rand/v2"
)

// Service is one built-in service node.
type Service interface {
	// ID is the service's node id: "lin-kv", "seq-kv", "lww-kv", "lin-tso".
	ID() string
	// Handle processes one request from src and returns the reply body
	// (with in_reply_to set), or nil when Maelstrom would send no reply
	// (an unknown request type: the caller times out).
	Handle(src string, body json.RawMessage, rnd *rand.Rand) json.RawMessage
}
