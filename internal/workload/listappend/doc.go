// Package listappend is Maelstrom's txn-list-append workload
// (maelstrom src/maelstrom/workload/txn_list_append.clj): transactions of
// appends to and reads of integer lists, a client that sends them, and
// Elle's list-append checker (elle src/elle/list_append.clj) for the
// models of --consistency-models (default strict-serializable). It is
// pure: the harness drives it through the contracts of package workload.
package listappend
