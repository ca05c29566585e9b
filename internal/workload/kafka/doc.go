// Package kafka is Maelstrom's kafka workload (Gossip Glomers challenges
// 5a-5c): clients append messages to logs named by string keys and poll
// them back from offsets, committing how far they have read; the checker
// looks for logs that disagree, lose, skip or reorder messages.
//
// It ports the behaviour of Maelstrom's workload/kafka.clj
// (jepsen-io/maelstrom at cb7f072) and of Jepsen's tests/kafka.clj and Elle's
// wr-txns generator (jepsen-io/jepsen v0.3.7, jepsen-io/elle v0.2.2), which
// Maelstrom builds the workload from with txn? false, crash-clients? true and
// sub-via #{:assign}. Like every workload, it does no I/O: the harness
// hands it connections, time and a seeded random source.
//
// # Generator
//
// Main phase (New().NewGenerator): each transaction is a send of the next
// message to a key or a poll, with equal chance. Keys are "0", "1", ...;
// --key-count of them (default 10) are active, and active key i is twice as
// likely as key i-1 (Elle's exponential distribution, base 2). A key
// receives messages 1, 2, ..., --max-writes-per-key (default 16), then is
// replaced by a fresh key. Before a transaction, with probability 1/64,
// an assign of its key is issued instead (the transaction follows); a third
// of those assigns also cover every key with acknowledged sends that no
// poll has returned yet (Jepsen's poll-unseen). Crash operations, which
// make the harness replace the client, come at intervals uniform in
// [0, 2*30s/concurrency), the first at once.
//
// Final phase (NewFinalGenerator), per thread: crash, assign every key the
// main phase saw with seek-to-beginning, then poll, 0..0.4 s apart, until
// this thread's polls have reached, for every key, the highest offset any
// ok send or poll of the main phase reported. The harness caps the phase
// (Maelstrom: 10 s). All final operations are marked Final. One value from
// New serves one run at a time: the final generator reads the offsets its
// main generator saw.
//
// # Client
//
// A client holds an assignment: for each assigned key, the offset it polls
// from next. It is not reusable (a fresh client starts with no assignment,
// so its polls ask for nothing until an assign). Operations:
//
//   - send: send {key, msg} -> send_ok {offset}.
//   - poll: poll {offsets: the assignment} -> poll_ok {msgs: {key:
//     [[offset, msg], ...]}}; each key returned advances past its highest
//     offset; then, if anything came back, commit_offsets {offsets: the
//     highest offset returned per key} -> commit_offsets_ok.
//   - assign: with seek-to-beginning, every key starts at 0 and nothing is
//     sent; otherwise list_committed_offsets {keys} ->
//     list_committed_offsets_ok {offsets}, and each key keeps the client's
//     own position, else starts at 0: Maelstrom's client never finds a
//     key in the reply (it looks in the body, not its offsets map), so the
//     listed offsets only go to the checker.
//   - crash: completes info at once, with no request.
//
// Errors map as everywhere (workload.Failed) with kafka's idempotent set,
// {assign}: a definite error fails an operation, anything else (timeouts,
// crashes, unknown codes) makes send and poll info and assign fail; a
// malformed reply makes any of them info. Replies must match Maelstrom's closed schemas: required
// fields, offsets JSON integers.
//
// # History values
//
// send: invocation {"key":"3","msg":5}; ok completion
// {"key":"3","msg":5,"offset":12}; fail/info completions repeat the
// invocation. poll: invocation null; completion {"offsets":{"3":12},
// "msgs":{"3":[[12,5],[15,6]]},"commit":{"3":15}} where offsets is what the
// client asked for, msgs what the node returned (absent if the poll RPC
// failed) and commit is present when the commit was acknowledged. A poll
// whose commit failed completes fail or info, as in Maelstrom, but keeps
// its msgs (for the report; the checker, like Maelstrom's, ignores them). assign: invocation {"keys":["3","7"],"seek_to_beginning":true};
// ok completion adds "committed" (what list_committed_offsets returned) and
// "offsets" (the new assignment). crash: no values; info with an error
// saying it was deliberate. See SendValue, PollValue and AssignValue.
//
// # Checker
//
// Check builds, per key, the log of occupied offsets from every
// poll (whatever its outcome: a node never returns uncommitted data) and
// every ok send, and reports, each case as its own anomaly naming the
// operations:
//
//   - inconsistent-offsets: one offset holds two messages;
//   - duplicate: one message sits at two offsets;
//   - lost-write: an acknowledged message no ok poll returned, at or below
//     a position some ok poll reached (Jepsen's bound: the highest first
//     position of any message read);
//   - poll-skip, nonmonotonic-poll: a client's next poll of a key starts
//     past known messages, or at or before where its last poll ended;
//   - int-poll-skip, int-nonmonotonic-poll: the same within one poll;
//   - nonmonotonic-send: a client's sends to a key land at positions that
//     do not increase;
//   - G1a: an ok poll returned a message whose send failed;
//   - unseen: acknowledged messages no ok poll ever returned, even after
//     the final phase (a failure, as in Maelstrom);
//   - unknown-message (ours): a poll returned a message never sent to
//     that key (Jepsen's checker throws on these);
//   - committed-offset-regression (ours): list_committed_offsets returned,
//     for a key, less than an offset whose commit was acknowledged before
//     the list began (or left the key out). A note, not a failure, unless
//     CheckOptions.StrictCommits: neither Maelstrom nor Fly.io requires committed
//     offsets to only grow, Kafka itself lets a consumer commit backwards,
//     and a node that keeps each key's last commit passes Maelstrom;
//   - malformed-op, malformed-history: values or pairing the client and
//     harness never produce.
//
// Every kind but the regression note makes the history invalid, as Jepsen's
// allowed set for this configuration ({int-send-skip, G0...}) contains none
// of them. A history with no acknowledged send is unknown. Each kind lists
// at most MaxPerKind cases; the metric anomaly_counts has all counts.
//
// Differences from Jepsen's checker: positions are looked up by the
// offsets that polls and sends report rather than by message values
// (identical when the log is consistent, unambiguous when it is not). As
// in Jepsen, only ok polls move a client's position: a poll whose commit
// failed does not, though the client did move past its messages, so the
// next poll may be a poll-skip, as Maelstrom reports it. Where Jepsen
// forgets a client's position in a key that an ok poll returned as an
// empty list, the checker keeps it; a skip or reversal found only that way
// is strict (Anomaly.Strict): real Maelstrom would accept it, and the
// result's MaelstromValidity leaves it out.
//
// Left out: Elle's cycle search over write-read and realtime edges
// (G1c-realtime and friends), the realtime-lag and consume-count
// statistics, and the plots. int-send-skip, int-nonmonotonic-send and
// precommitted-read cannot occur with one operation per transaction.
//
// # Speed
//
// Check is linear in the history's length. Measured on the development
// machine (2 shared cores, Go 1.26) on simulated runs against a correct
// node, returning at most 4 messages per key and poll (maxpoll=4) or all of
// them (maxpoll=0):
//
//	go test -run XXX -bench Check ./internal/workload/kafka/
//	BenchmarkCheck/maxpoll=4/ops=10052/pairs=12155-2       43    26851198 ns/op
//	BenchmarkCheck/maxpoll=4/ops=100050/pairs=123309-2      4   287630380 ns/op
//	BenchmarkCheck/maxpoll=0/ops=10028/pairs=12109-2       63    21379467 ns/op
//	BenchmarkCheck/maxpoll=0/ops=100026/pairs=121619-2      5   212860348 ns/op
//
// that is 0.2-0.3 s for 100,000 operations, most of it decoding JSON.
package kafka
