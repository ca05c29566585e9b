// Package listappend is Maelstrom's txn-list-append workload (maelstrom
// src/maelstrom/workload/txn_list_append.clj): transactions of appends to
// and reads of lists, a client that sends them, and Elle's list-append
// checker (elle src/elle/list_append.clj, with the anomaly names and the
// model table of src/elle/txn.clj and consistency_model.clj) for the
// models of --consistency-models, strict-serializable by default. It is
// pure: no processes, clocks or network; the harness drives it through
// the contracts of package workload.
//
// # The workload
//
// A transaction is a list of micro-operations, [f, key, value]. The
// client sends
//
//	{"type":"txn","txn":[["r",1,null],["append",1,6],["append",2,9]]}
//
// and expects {"type":"txn_ok","txn":[["r",1,[8]],["append",1,6],["append",2,9]]}:
// the same micro-ops with each read's null replaced by the key's list
// (null, or [], for a key nothing was appended to). The generator is
// Elle's append-txns: txn-rw-register's transactions (1 to
// --max-txn-length micro-ops, half reads, on --key-count active keys drawn
// exponentially, a key retired after --max-writes-per-key appends) with
// every write an append, so each key's elements are 1, 2, 3, ..., each
// appended at most once. The client treats no transaction as idempotent:
// error 30 (txn-conflict) and other definite errors make a fail, timeouts
// and indefinite errors an info; a reply that does not answer its request
// is a malformed reply, an info the harness reports. There is no final
// phase. Keys and elements are integers here; Maelstrom allows any JSON
// value, but its clients, like ours, send integers.
//
// # What the checker infers
//
// Appends make what registers hide visible: a read returns the whole list,
// so every read shows the order in which the key's elements were
// appended. The version order of a key is its longest read, and every
// other read of the key must be a prefix of it; two reads that are not
// (incompatible-order) mean no single order of appends explains them, and
// the key gives no ww or rw edges. From the orders come the dependencies
// between committed transactions (Adya's, as Elle infers them):
//
//	T1 -ww-> T2   on some key, T2 appended the element right after T1's
//	T1 -wr-> T2   T2 read a list whose last element T1 appended
//	T1 -rw-> T2   T1 read the first n elements of a key; T2 appended element n+1
//
// An append of a committed transaction that no read saw still has a
// place, as in Elle: after every element read (the longest read would
// hold it otherwise). Each key gets a write hub, entered by the appender
// of its last element read, and a read hub, entered by the readers of the
// whole order, both leading to every such appender, so that the graph
// stays linear in the history. An indeterminate transaction one of whose
// elements a read saw took effect, and joins the graph; failed ones never
// do. Under strict serializability real-time order joins too: a
// transaction that completed before another was invoked precedes it.
// Process order, which Elle adds only for its strong-session models, is
// not used: --consistency-models does not offer them.
//
// The cycle search is txn-rw-register's (package txngraph): per strongly
// connected component of ww edges (G0), ww and wr (G1c), all three
// (G-single with one rw edge, G2, Elle's G2-item, with more) and, for
// strict serializability, with real-time edges (the -realtime kinds), it
// finds a cycle with the fewest transactions and explains every edge.
//
// Without a graph it finds: G1a, a read holding an element a failed
// transaction appended; G1b, a read whose last element its appender
// followed with another append to the key; dirty-update, a committed
// append right after a failed one in a key's order; duplicate-elements, a
// read holding one element twice; garbage-read, an element nobody
// appended; future-read, a read holding an element its own transaction
// appends later; internal, a read that is not what the transaction read
// before with its own appends since (Elle's op-int-case); lost-update,
// two committed transactions that read the same state of a key and both
// appended to it (Elle's lost-update-cases); and
// malformed-txn, a value that is not a transaction, does not answer its
// request, or appends one element twice.
//
// # Models
//
// What each --consistency-models value forbids follows Elle's
// consistency-model table among these kinds: read-uncommitted (PL-1)
// forbids G0 and duplicate-elements; read-committed (PL-2) also G1a,
// G1b, G1c and what Elle says implies G1 (incompatible-order,
// dirty-update, future-read); repeatable-read adds G-single, G2 and
// lost-update; snapshot-isolation internal, G-single and lost-update;
// serializable internal, G-single, G2 and lost-update;
// strict-serializable (Maelstrom's default) all of these and the
// realtime cycles. malformed-txn and garbage-read fail every
// model: Elle cannot analyse such a history. Anomalies a model allows are
// notes. The verdict is invalid when a forbidden anomaly was found and
// valid otherwise, as Elle's is, with a note that models above read
// committed forbid more than the dependencies show.
//
// # Speed
//
// Checking 100,000 generated transactions (ten clients, default
// generator settings, strict serializability) takes 0.6 to 0.8 s of CPU
// on this project's 2-core build machine, against a target of 2 s: see
// BenchmarkCheck100k.
package listappend
