// Package linkv is Maelstrom's lin-kv workload, its default: clients
// read, write and compare-and-set integer keys on the nodes, and every
// key's operations must be linearizable.
//
// It follows Maelstrom's src/maelstrom/workload/lin_kv.clj, which builds
// on Jepsen's jepsen.tests.linearizable-register and jepsen.independent
// (jepsen-io/jepsen):
//
//   - The generator (generator.go) is independent/concurrent-generator
//     with groups of 2n threads (n nodes): a group works on one key,
//     keys handed out 0, 1, 2, ...; in a group n threads read and n write
//     or cas (gen/reserve n r (gen/mix [w cas cas])), values drawn from 0
//     to 4 (rand-int 5), and a key is retired once more than 20 client
//     processes have touched it (gen/process-limit 20), each timeout
//     giving its thread a new process. Maelstrom passes no per-key limit,
//     so without timeouts a key lasts the whole run. The concurrency
//     must be a multiple of 2n, as Jepsen asserts (--concurrency 2n).
//   - The client (client.go) sends read {key}, write {key, value} and cas
//     {key, from, to}, expecting read_ok {value}, write_ok and cas_ok,
//     and waits max(10 × mean latency, 1 s) for each reply. Reads that
//     time out fail (with-errors treats :read as idempotent); writes and
//     cas that time out are info. Definite error codes fail: 20
//     key-does-not-exist, 22 precondition-failed, 11
//     temporarily-unavailable and the rest of Maelstrom's table.
//   - The checker (check.go) is Jepsen's independent checker over
//     Knossos's linearizable checker with its cas-register model
//     (jepsen-io/knossos src/knossos/model.clj): each key on its own must
//     be linearizable. We use porcupine (github.com/anishathalye/porcupine),
//     partitioned by key, with the same model: a write sets the value, a
//     cas succeeds only from the current value, a read must see it, and
//     a read of null is consistent with anything (Knossos's nil read).
//     An indeterminate write or cas may or may not have taken effect, at
//     any time after its invocation, as in Knossos: porcupine gets it
//     with a return time after every other operation, and an info cas
//     that does not match does nothing. Failed operations did not happen
//     and are left out.
//
// Porcupine's search is exponential in the worst case, and its cost grows
// with the square of a partition's length even in the best; Check cuts
// each key's operations where the operations before and after can be
// checked apart without changing the verdict: at every write that ran
// alone, and at quiet moments after a read that pinned the value
// (segments, tested against the uncut check in oracle_test.go). It takes a time budget and returns an unknown verdict with
// a note when the search does not finish, never a guess. The budget is
// the one clock the checker touches, through porcupine's timeout: within
// it, the verdict is a function of the history alone. Checking
// 100,000 operations takes under a second on a busy 2-core machine, a
// quarter of that in CPU (BenchmarkCheck100k).
//
// A key that cannot be linearized is one nonlinearizable anomaly. Its
// message follows porcupine's longest partial linearization to the
// operation it could not place next, and names the smallest set of
// operations around it that cannot be ordered even on their own; their
// history indexes are the anomaly's Ops. Visualize draws porcupine's
// page of those keys, which the report writes as linearizability.html.
package linkv
