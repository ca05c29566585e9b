// Command datomic-whole-tree is not broken: it is step 7c's first
// version, with the whole database in lin-kv's root key, kept so that its
// cost in messages and bytes can be measured against the reference
// solution's, which keeps each list under a key of its own.
package main

import (
	"log"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"

	"github.com/glomers/glomers/solutions/datomic"
)

func main() {
	n := maelstrom.NewNode()
	datomic.RegisterWholeTree(n)
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
