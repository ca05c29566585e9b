// Package txn is Maelstrom's txn-rw-register workload, the one behind
// the Fly.io challenges 6a-6c: transactions of reads and writes over
// integer registers, a client that sends them, and a checker for the
// isolation levels the challenges ask for, read uncommitted and read
// committed. It is pure: no processes, clocks or network; the harness
// drives it through the contracts of package workload.
//
// # The workload
//
// A transaction is a list of micro-operations, [f, key, value]. The
// client sends
//
//	{"type":"txn","txn":[["r",1,null],["w",1,6]]}
//
// and expects {"type":"txn_ok","txn":[["r",1,3],["w",1,6]]}: the same
// micro-ops with each read's null replaced by the value the node saw
// (null for a key never written). The generator follows Elle's wr-txns
// (elle src/elle/txn.clj): 1 to --max-txn-length (4) micro-ops, each a
// read or a write with equal chance, on a pool of --key-count (10) keys
// drawn with an exponential distribution (each slot twice as likely as
// the one before); a key's writes carry 1, 2, 3, ..., so every value is
// written at most once; a key that has had --max-writes-per-key (16)
// writes is retired when the next write is drawn for it, and a fresh key
// takes its slot.
//
// The client is reusable and treats no transaction as idempotent: error
// 30 (txn-conflict) and other definite errors make a fail, timeouts and
// indefinite errors an info. A reply must answer its request — same
// length, same function and key at each position, writes echoed
// unchanged, reads null or an integer — or it is a malformed reply, an
// info the harness reports (Maelstrom checks only each micro-op's shape:
// its issue #14). There is no final phase.
//
// History values: an invocation holds the request,
// [["r",1,null],["w",1,6]]; an ok completion the completed transaction,
// [["r",1,3],["w",1,6]]; fail and info completions hold the request again
// and say why in Error ("txn-conflict: ...", "timeout", "malformed
// reply ..."). The checker takes writes from invocations and reads from
// ok completions, and checks that each ok value answers its invocation.
//
// # What the checker looks for
//
// Adya (Weak Consistency, 1999) defines isolation levels by the anomalies
// they forbid, in terms of a dependency graph over committed
// transactions. Three kinds of edges relate two transactions that touch
// the same key:
//
//	T1 -ww-> T2   T2 wrote a version of the key that came after one T1 wrote
//	T1 -wr-> T2   T2 read a version T1 wrote
//	T1 -rw-> T2   T2 wrote a version after the one T1 read (an anti-dependency)
//
// Read uncommitted (PL-1) forbids G0: a cycle of ww edges, transactions
// that overwrote each other. Read committed (PL-2) also forbids G1: G1a,
// reading a value written by a transaction that aborted; G1b, reading a
// value its writer overwrote before committing; G1c, a cycle of ww and wr
// edges with at least one wr edge. Cycles with rw edges — G-single (one
// rw edge) and G2 (more) — are allowed by both and forbidden by
// serializability; they are reported as notes.
//
// The checker also reports what no execution of any store can produce:
// a read of a value nobody wrote (garbage-read), a value written twice to
// one key (duplicate-write: unique values are the premise of everything
// else), a value read before it was written (future-read: by the reader
// itself, or a value whose only writer was invoked after the read had
// completed), and a key whose inferred version order is cyclic
// (cyclic-versions). These fail the run under every model, as Elle's
// cyclic-versions and duplicate-elements fail PL-1. Internal
// inconsistencies (a read that disagrees with the transaction's own
// earlier write or read of the key) and lost updates (two committed
// transactions read the same version of a key and both wrote it) are
// notes under read committed and failures under models that forbid them,
// as in Elle's consistency-model graph.
//
// # The hard part: which version came first
//
// wr edges are easy: values are unique, so a read names its writer. ww
// and rw edges need the order of a key's versions, and a register never
// shows it: a read returns one value, not the history of the key. In
// Adya's formalism the version order is simply part of what the store
// did, and a store that claims read uncommitted may choose any order that
// makes its history legal. With registers it always can: order every key
// by one serial order of the committed transactions and no write cycle
// exists. So a checker that reports G0 on registers has assumed something
// about how the order relates to what clients saw. Elle assumes
// writes-follow-reads; this checker makes its assumption explicit and
// infers only what it implies.
//
// The version order of a key here is the order in which writes took
// effect: a write takes effect when the store first makes its value
// available to be read. That is what "T2 overwrote T1" means on the Fly.io
// pages ("T1 appends 1 to x, T2 appends 2, T1 appends 3"). It rests on
// three facts about any store that runs transactions at all:
//
//  1. A transaction's micro-operations take effect in their order.
//  2. A read returns nil or a value whose write had already taken effect.
//  3. A store cannot act on a request before it arrives, and cannot
//     report a read before performing it: a transaction's writes take
//     effect after its invocation, its reads before its completion.
//
// Nothing is assumed about when a write takes effect relative to the
// reply: a store may acknowledge a transaction and apply its writes later.
//
// # The inferences, and why each is sound
//
// The checker orders two values x < y of one key only when one of these
// holds; each follows from the three facts alone, whatever model the
// store claims.
//
//   - Initial state: nil precedes every value. Every register starts
//     empty (Adya's x_init). A reader of nil anti-depends on every writer
//     of the key.
//   - Write order: a transaction that wrote x and later y to one key put
//     them in that order (fact 1).
//   - Writes follow reads: a committed transaction that read x and later
//     wrote y to the same key: x had taken effect before the read (fact
//     2), y after it (fact 1). Elle uses this only for a transaction's
//     first read of a key before its first write; it holds for any read.
//   - Read before invoke: a committed transaction R read x and completed
//     before transaction T was invoked; then x precedes every write of T
//     to that key. x had taken effect before R read it (fact 2), which was
//     before R completed, before T was invoked, before T's writes took
//     effect (fact 3). Only reads by other transactions count: a
//     transaction may read its own write from a private buffer before the
//     store applies it. This is what lets the checker see orders between
//     blind writes, and with them G0 cycles that Elle misses (maelstrom
//     issue #56; the Fly.io 6b page).
//
// What it does not infer. That a transaction which completed before
// another was invoked wrote first (realtime order), or that one process's
// successive writes are in order (process order): a store may acknowledge
// a transaction and apply its writes afterwards, so under read
// uncommitted and read committed these orders are not sound; Elle uses
// them only for models that promise them, and so does this checker: under
// strict serializability, real-time order joins the dependency graph
// (see Results). That a value read after the
// transaction's own write is newer than that write, or that two reads of
// one key come in version order: stale replicas break both. These are
// internal inconsistencies, reported as such, never turned into orders.
//
// Orders compose: x < y and y < z give x < z, through values of any
// transaction, committed or not. A write of a transaction that never
// happened never took effect, and an order that mentions it says
// nothing; but every order that leads from one of its values to another
// transaction's requires that value to have been read, which shows that
// it did take effect, so chains through such values stay sound. If a key's orders form a cycle, facts
// 1-3 were broken for it (a store that showed a write before executing
// the reads that precede it, or predicted a value): the key is reported
// as cyclic-versions and none of its orders is used.
//
// # Indeterminate transactions
//
// A failed transaction did not commit; an ok one did. An info (or
// never-completed) transaction may have done either, and its reads are
// unknown. Under read uncommitted it stays out of every cycle: it may
// have aborted, and a cycle through an aborted transaction is no G0 —
// its values still carry orders between others. Under read committed
// or stronger, an indeterminate transaction whose write another committed
// transaction read must have committed, since otherwise that read is an
// aborted read (G1a), which the model forbids: the checker treats it as
// committed, and messages say so. Under either model a read of an
// indeterminate transaction's write is fine in itself.
//
// # G0 with intermediate writes
//
// Adya counts only each transaction's final write of a key as a version;
// this checker, like the Fly.io page and Elle's list-append checker,
// counts every write. T1 wrote x = 1, T2 read it and wrote x = 2, T1 read
// that and wrote x = 3 is a write cycle here (the history in maelstrom
// issue #56); by Adya's strict definition it is a dirty write (P0) but
// not G0, since each transaction installs one version of x. Messages say
// so whenever a reported G0 cycle rests on such a write.
//
// # The dependency graph and the cycle search
//
// Composing orders naively would be quadratic: with orders from "read
// before invoke", every read value relates to every later writer. The
// graph instead has helper nodes: each value has a write lane and a read
// lane (its writer enters the first, its readers the second); each
// inferred order x < y is an edge from x's lanes to y's writer (or to
// y's lanes, when y's writer is not in the graph); and each key has a
// time line per lane, a chain of nodes in history order, with an entry
// where a value was first read by another transaction and an exit to
// every transaction that writes the key at its invocation. A path from
// one transaction to another then is a dependency, whose kind is that of
// its first edge: ww out of a write lane, rw out of a read lane, wr
// straight from writer to reader. The graph is linear in the size of
// the history.
//
// Cycles are searched per strongly connected component (Tarjan's
// algorithm, iterative, so no depth limit) of three subgraphs: ww edges
// (G0); ww and wr (G1c, through a wr edge); all (G-single, G2, through an
// rw edge). In each component a breadth-first search from a few starting
// transactions finds a cycle with the fewest transactions through that
// start, never one that merely returns to its start through helper nodes
// (a transaction that read a value and then overwrote it). Each result
// explains every edge of the cycle in words: who wrote or read what, and
// which inference ordered it.
//
// Soundness is tested against ground truth: simulated stores (serial;
// micro-ops interleaved with dirty reads, dirty writes and in-place
// rollback; asynchronously replicated; applying writes after the reply)
// record when each write really took effect, and every cycle the checker
// reports, failure or note, must exist in that truth. A serial store gets
// no report at all.
//
// # Results
//
// Anomalies are the findings the models forbid; notes the others, marked
// with the models that allow them. Each lists in Ops, for every
// transaction involved, the index of the operation that shows its outcome
// (its completion, or its invocation if it never completed); cycles list
// them in cycle order. At most eight cases of a kind are listed; Metrics
// counts them all (anomaly_counts) and says how much was inferred.
//
// The verdict is invalid when a forbidden anomaly was found, and valid
// otherwise, as Elle's is. For stronger models than read committed
// (--consistency-models serializable, snapshot-isolation,
// strict-serializable — Maelstrom's default — and their aliases) the
// checker also fails the run on the anomalies it finds that those models
// forbid (internal, lost-update, G-single, G2), and a clean verdict comes
// with a note: its rw edges reach only as far as its version orders, so a
// valid verdict is no proof. Under strict serializability real-time order
// joins the graph: a chain of nodes in history order that each ok
// transaction enters at its completion and that leads to each committed
// transaction at its invocation, so a cycle through it (G0-, G1c-,
// G-single- or G2-realtime, named by its other edges as Elle names them)
// is a transaction ordered both before and after one that completed
// before it began: a stale read, typically. Unknown model names are
// refused by Validate (Maelstrom accepts any name and fails only at
// analysis).
//
// # Speed
//
// Checking 100,000 generated transactions (10 clients, default
// generator settings, read committed) on this project's 2-core build
// machine:
//
//	go test -run XXX -bench Check100k -benchtime 5x ./internal/workload/txn
//	BenchmarkCheck100k/interleaved-2  5  773500747 ns/op  100000 txns  242179852 B/op  764512 allocs/op
//	BenchmarkCheck100k/replicated-2   5  336954505 ns/op  100000 txns  221312537 B/op  348919 allocs/op
//
// that is 0.77 s and 0.34 s per check, against a target of 2 s.
// "interleaved" is a store with dirty reads and writes whose history is
// full of G0, G1 and G2 cycles; "replicated" a Fly.io 6b-style store,
// read committed with many G-single and G2 notes.
package txn
