package cli

import (
	"context"
	"fmt"
	"io"
	"log"
	"slices"
	"strings"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/solutions/broadcastefficient1"
	"github.com/glomers/glomers/solutions/broadcastefficient2"
	"github.com/glomers/glomers/solutions/broadcastfault"
	"github.com/glomers/glomers/solutions/broadcastmulti"
	"github.com/glomers/glomers/solutions/broadcastsingle"
	"github.com/glomers/glomers/solutions/echo"
	"github.com/glomers/glomers/solutions/gcounter"
	"github.com/glomers/glomers/solutions/kafkaefficient"
	"github.com/glomers/glomers/solutions/kafkamulti"
	"github.com/glomers/glomers/solutions/kafkasingle"
	"github.com/glomers/glomers/solutions/uniqueids"
)

// solution is a step's reference solution: a package exports either
// Register(n), which only adds handlers, or Start(ctx, n) when it also runs
// background work (gossip tickers, batching), which must stop when ctx
// ends so that an in-process node shuts down cleanly in tests.
type solution struct {
	register func(*maelstrom.Node)
	start    func(context.Context, *maelstrom.Node)
}

// fn returns the function the table holds, for the test that checks it
// against the book.
func (s solution) fn() any {
	if s.start != nil {
		return s.start
	}
	return s.register
}

// solutions maps a step id to its reference solution. A test checks it
// against the book: every written solution is here, and only those.
func solutions() map[string]solution {
	return map[string]solution{
		"1":  {register: echo.Register},
		"2":  {register: uniqueids.Register},
		"3a": {register: broadcastsingle.Register},
		"3b": {register: broadcastmulti.Register},
		"3c": {start: broadcastfault.Start},
		"3d": {start: broadcastefficient1.Start},
		"3e": {start: broadcastefficient2.Start},
		"4":  {register: gcounter.Register},
		"5a": {register: kafkasingle.Register},
		"5b": {register: kafkamulti.Register},
		"5c": {register: kafkaefficient.Register},
	}
}

// RunSolution runs step's reference solution as a node over stdin and
// stdout until stdin ends or ctx is cancelled. Tests use it to host
// reference solutions in-process.
func RunSolution(ctx context.Context, step string, stdin io.Reader, stdout io.Writer) error {
	sol, ok := solutions()[step]
	if !ok {
		return fmt.Errorf("step %s has no reference solution yet (steps with one: %s)", step, strings.Join(solved(), ", "))
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	n := maelstrom.NewNode()
	n.Stdin, n.Stdout = stdin, stdout
	if sol.start != nil {
		sol.start(ctx, n)
	} else {
		sol.register(n)
	}
	return n.Run()
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
			if _, ok := solutions()[s.ID]; !ok {
				return fmt.Errorf("step %s has no reference solution yet (steps with one: %s)", s.ID, strings.Join(solved(), ", "))
			}
			// The Maelstrom library logs through the standard logger;
			// point it at this command's stderr.
			log.SetOutput(env.Stderr)
			if err := RunSolution(context.Background(), s.ID, env.Stdin, env.Stdout); err != nil {
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
		if _, ok := have[id]; ok {
			ids = append(ids, id)
		}
	}
	return slices.Clip(ids)
}
