// Package txn is Maelstrom's txn-rw-register workload: transactions of
// reads and writes over integer registers, and a checker for the isolation
// levels of the Fly.io challenges 6a-6c (read uncommitted, read
// committed).
package txn
