package report

// Meaning is what an anomaly kind says about a node, in plain words: a
// title, and a paragraph on what happened and its usual cause.
type Meaning struct {
	Title string
	Text  string
}

// meanings are keyed by "workload/kind" where the same kind name means
// different things in different workloads (broadcast's duplicate is a
// repeated value in one read, kafka's a message at two offsets), and by
// the bare kind otherwise. Every kind a checker or the harness reports has
// one; a test keeps the table complete.
var meanings = map[string]Meaning{
	// The harness, for every workload.
	"run-stopped": {"The run stopped early",
		"Something outside the checks stopped the run before it finished, so nothing was checked. The message above says what."},
	"interrupted": {"The run was interrupted",
		"The run was stopped (Ctrl-C) before it finished; nothing was checked. Run it again to get a verdict."},
	"node-crashed": {"A node crashed",
		"A node process exited while the run was going on. Its last log lines usually show why: a panic, an unhandled message type (the Maelstrom Go library stops the node on a message it has no handler for), or a log.Fatal on an error."},
	"protocol": {"A node broke the protocol",
		"A node wrote something to stdout that is not one JSON message per line, or a message without src, dest or body. Stdout is for messages only: send debugging output to stderr, which becomes the node's log."},
	"init": {"A node did not start properly",
		"A node did not answer init with init_ok in time, or did not answer the workload's setup. Check that the node reads stdin line by line and replies to init before anything else."},
	"availability": {"Too many operations failed",
		"The run asks for a share of operations to succeed (--availability), and fewer did. Operations fail when the node answers with an error, and are indeterminate when no reply came before the client's timeout: look for requests the node never answered, and for handlers that wait on a partitioned peer."},
	"stats": {"An operation type never succeeded",
		"Maelstrom runs Jepsen's stats checker on every test, and it fails a run in which some kind of operation (every read, say) never completed ok. Look for a handler that always answers with an error, or never answers at all."},
	"checker-error": {"The checker itself failed",
		"This is a bug in tutor, not in your node. Please report it with the run's history.jsonl."},
	"malformed-reply": {"A reply had the wrong shape",
		"A node answered a client with a body that does not match the workload's reply format: a missing field, a field of the wrong type, or the wrong reply type. Compare the reply with the one the challenge describes."},
	"malformed-history": {"The history could not be read",
		"Operations in the history do not pair up or hold values of the wrong shape. The client never records such operations, so the history file was damaged or edited."},
	"malformed-op": {"An operation had the wrong shape",
		"An operation's value is not what the client records: usually a reply field of the wrong type (a string where a number belongs)."},

	// Echo.
	"echo-mismatch": {"An echo came back different",
		"The node answered echo_ok, but the echo field was not the text the client sent. An echo reply must carry the request's echo field unchanged."},
	"echo-not-ok": {"An echo failed",
		"The client sent echo and got an error back, or no reply before its timeout. Every echo deserves an echo_ok with in_reply_to set to the request's msg_id."},
	"echo-incomplete": {"An echo never completed",
		"An echo was sent but the run ended before its reply arrived; this usually comes with an interrupted run."},

	// Unique ids.
	"duplicate-id": {"Two generate requests got the same id",
		"Ids must be unique across every node for the whole run, even while the network is partitioned. Two nodes counting from the same start, or a counter read and written without a lock, give out the same id twice; combine something only this node has (its id) with something only this request has (a counter under a lock)."},

	// Broadcast.
	"lost": {"A value was lost",
		"A broadcast was acknowledged (or once read), but later reads on some nodes did not hold it. Usually the node forwarded the value to its neighbours once and never again: a message sent into a partition is dropped, so gossip must be retried until the peer acknowledges it, or repeated periodically."},
	"broadcast/duplicate": {"A read listed a value twice",
		"A read returns a set: each value once. Keep the values in a set (a map), not a list you append to whenever a copy arrives."},
	"unexpected": {"A read returned a value nobody broadcast",
		"A node read back a value no client had broadcast by then. Look for values made up or mangled on the way: a number parsed as the wrong type, or a message field read from the wrong key."},

	// Grow-only counter.
	"wrong-final-read": {"The final count was wrong",
		"After the network healed and the nodes had time to agree, a read returned a total that no set of the acknowledged adds could make. Usually an add was lost (a lost update on the shared counter: read, add, write without a compare-and-swap), or counted twice (a retry applied again)."},
	"read-exceeds-adds": {"A read counted more than was added",
		"A read returned more than every add invoked so far could sum to: something was counted twice, or a delta was applied more than once after a retry."},
	"negative-read": {"The counter went below zero",
		"A grow-only counter starts at 0 and only grows, yet a read returned a negative number."},

	// Kafka-style log.
	"inconsistent-offsets": {"One offset held two messages",
		"Two different messages were reported at the same offset of a key. Offsets must be handed out once per key: two nodes assigning offsets independently, or an increment without a lock or compare-and-swap, give the same offset twice."},
	"kafka/duplicate": {"One message sat at two offsets",
		"The same sent message appeared at two offsets of a key, typically because a retried send was appended twice."},
	"lost-write": {"An acknowledged message vanished",
		"A send was acknowledged with an offset, and polls returned later messages of that key, but never this one. The node acknowledged before the message was stored where every node can see it."},
	"poll-skip": {"A poll skipped messages",
		"A client's next poll of a key started past messages that follow where its previous poll ended, so the client never saw them. Polls should return everything from the requested offset on."},
	"nonmonotonic-poll": {"A poll went backwards",
		"A client's next poll of a key started at or before where its previous one ended: it saw messages again it had already consumed."},
	"int-poll-skip": {"One poll jumped over messages",
		"Within a single poll, the offsets of a key skipped messages known to exist between them."},
	"int-nonmonotonic-poll": {"One poll went backwards",
		"Within a single poll, the offsets of a key went backwards or repeated."},
	"nonmonotonic-send": {"Sends landed out of order",
		"A client's successive sends to one key got offsets that did not increase."},
	"unseen": {"Acknowledged messages were never seen",
		"Messages whose sends were acknowledged were never returned by any poll, not even in the final phase."},
	"unknown-message": {"A poll returned a message nobody sent",
		"A poll returned a message that no client ever sent to that key: a value mangled or attached to the wrong key."},
	"committed-offset-regression": {"A committed offset went backwards",
		"list_committed_offsets returned less than an offset whose commit had already been acknowledged."},

	// Transactions (Adya's and Elle's names).
	"malformed-txn": {"A transaction had the wrong shape",
		"A transaction is a list of [f, key, value] micro-operations, and the reply must echo the request with read values filled in. This one did not."},
	"garbage-read": {"A read returned a value never written",
		"A transaction read a value that no transaction ever wrote to that key."},
	"duplicate-write": {"One value was written twice",
		"The same value was written to one key twice; the workload writes every value once, so a write was applied again (a retry)."},
	"future-read": {"A read saw the future",
		"A transaction read a value before the transaction that wrote it had started."},
	"cyclic-versions": {"The order of versions is a cycle",
		"The versions of a key, as the reads show them, go round in a circle: no single order of writes explains them."},
	"G0": {"Write cycle (G0)",
		"Transactions overwrote each other's writes in a cycle: each key saw the writes in a different order. Even read uncommitted forbids this. " +
			"Real Maelstrom often misses G0 (the Fly.io 6b page warns of it): its checker infers too few write orders to see most of these cycles, so a run it passes may fail here."},
	"G1a": {"Aborted read (G1a)",
		"A read saw a value written by a transaction (or a send) that failed. Do not expose writes of an operation you report as failed."},
	"G1b": {"Intermediate read (G1b)",
		"A read saw a value that its transaction later overwrote: the intermediate state of another transaction leaked."},
	"G1c": {"Circular information flow (G1c)",
		"Transactions read each other's writes in a cycle: each saw the other's effects. Read committed forbids this."},
	"internal": {"A transaction disagreed with itself",
		"A read in a transaction did not return what the same transaction wrote or read just before."},
	"lost-update": {"Lost update",
		"Two committed transactions read the same version of a key and both wrote it, so one write was lost."},
	"G-single": {"Read skew (G-single)",
		"A dependency cycle with exactly one anti-dependency: a transaction saw part of another's writes but not the rest."},
	"G2": {"Anti-dependency cycle (G2)",
		"A dependency cycle with two or more anti-dependencies (write skew): each transaction missed the other's writes."},
	"G0-realtime": {"Write cycle through real time (G0-realtime)",
		"Writes were ordered against a transaction that had completed before they began: under strict serializability (Maelstrom's default model) a transaction takes effect after every one that completed before it was invoked."},
	"G1c-realtime": {"Information flow against real time (G1c-realtime)",
		"A transaction saw the effects of one that began only after it had completed, or the reads and writes go round against real time. Strict serializability (Maelstrom's default model) forbids it."},
	"G-single-realtime": {"Stale read (G-single-realtime)",
		"A transaction missed a write of one that had completed before it began: a stale read, such as reading from a replica that has not heard of the write yet. Strict serializability (Maelstrom's default model) forbids it; serializable and weaker models allow it."},
	"G2-realtime": {"Anti-dependency cycle through real time (G2-realtime)",
		"Transactions missed each other's writes in a cycle that closes through real time: some began only after another had completed. Strict serializability (Maelstrom's default model) forbids it."},
	"bad-options": {"The checker's options were wrong",
		"The options given to the checker (the consistency models) were not valid."},
}

// MeaningOf returns the plain words for an anomaly kind of a workload.
func MeaningOf(workload, kind string) (Meaning, bool) {
	if m, ok := meanings[workload+"/"+kind]; ok {
		return m, true
	}
	m, ok := meanings[kind]
	return m, ok
}
