// Command tutor guides a learner through the Gossip Glomers challenges:
// it lists the steps, renders their chapters, runs reference solutions as
// Maelstrom nodes and checks nodes. See internal/cli.
package main

import (
	"os"

	"github.com/glomers/glomers/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
