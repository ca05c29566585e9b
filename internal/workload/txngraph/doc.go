// Package txngraph is the dependency-graph machinery the transactional
// workloads share (txn-rw-register in package txn, txn-list-append in
// package listappend): a compact directed graph of transactions and
// helper nodes, Tarjan's strongly connected components, a shortest-cycle
// search, the real-time order of strict serializability, and the cycle
// classification Elle uses (G0, G1c, G-single, G2 and their realtime
// variants), after Adya's "Weak Consistency" (1999) and Elle
// (github.com/jepsen-io/elle, src/elle/txn.clj). Each workload infers its
// own edges and explains them in its own words; this package only
// searches. It is pure.
package txngraph
