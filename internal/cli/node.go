package cli

import (
	"fmt"
	"log"
	"slices"
	"strings"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/solutions/echo"
	"github.com/glomers/glomers/solutions/uniqueids"
)

// solutions maps a step id to its reference solution's Register. A test
// checks it against the book: every written solution is here, and only
// those.
func solutions() map[string]func(*maelstrom.Node) {
	return map[string]func(*maelstrom.Node){
		"1": echo.Register,
		"2": uniqueids.Register,
	}
}

func nodeCommand() *Command {
	return &Command{
		Name:  "node",
		Args:  "STEP",
		Short: "run a step's reference solution as a Maelstrom node",
		Long: `Runs the reference solution of STEP as a Maelstrom node: messages in on
stdin, one JSON object per line, messages out on stdout, logs on stderr.
It is the node tutor check runs when given no other, and one that real
Maelstrom can run too:

    maelstrom test -w echo --bin ./tutor-node-1 ...

where tutor-node-1 is a script that runs "tutor node 1".
The node stops at the end of its input, or when a message has no handler.`,
		Run: func(env *Env, args []string) error {
			id, err := stepArg("node", args, book.IDs())
			if err != nil {
				return err
			}
			s, err := book.Lookup(id)
			if err != nil {
				return err
			}
			register, ok := solutions()[s.ID]
			if !ok {
				return fmt.Errorf("step %s has no reference solution yet (steps with one: %s)", s.ID, strings.Join(solved(), ", "))
			}
			// The Maelstrom library logs through the standard logger;
			// point it at this command's stderr.
			log.SetOutput(env.Stderr)
			n := maelstrom.NewNode()
			n.Stdin, n.Stdout = env.Stdin, env.Stdout
			register(n)
			if err := n.Run(); err != nil {
				return &ExitError{Code: 1, Err: fmt.Errorf("node (step %s) stopped: %v", s.ID, err)}
			}
			return nil
		},
	}
}

// solved lists the steps with a reference solution, in course order.
func solved() []string {
	have := solutions()
	var ids []string
	for _, id := range book.IDs() {
		if have[id] != nil {
			ids = append(ids, id)
		}
	}
	return slices.Clip(ids)
}
