package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/course"
	"github.com/glomers/glomers/solutions/broadcastefficient1"
	"github.com/glomers/glomers/solutions/broadcastefficient2"
	"github.com/glomers/glomers/solutions/broadcastfault"
	"github.com/glomers/glomers/solutions/broadcastmulti"
	"github.com/glomers/glomers/solutions/broadcastsingle"
	"github.com/glomers/glomers/solutions/datomic"
	"github.com/glomers/glomers/solutions/echo"
	"github.com/glomers/glomers/solutions/gcounter"
	"github.com/glomers/glomers/solutions/gset"
	"github.com/glomers/glomers/solutions/kafkaefficient"
	"github.com/glomers/glomers/solutions/kafkamulti"
	"github.com/glomers/glomers/solutions/kafkasingle"
	"github.com/glomers/glomers/solutions/pncounter"
	"github.com/glomers/glomers/solutions/raftelection"
	"github.com/glomers/glomers/solutions/raftlog"
	"github.com/glomers/glomers/solutions/raftread"
	"github.com/glomers/glomers/solutions/txncommitted"
	"github.com/glomers/glomers/solutions/txnsingle"
	"github.com/glomers/glomers/solutions/txnuncommitted"
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

// byPackage maps a reference solution's package directory, as the book
// names it (book.Step.Solution), to its entry point. Step ids live in the
// book alone; this table only knows packages, which the CLI must import
// to run them in-process.
var byPackage = map[string]solution{
	"solutions/echo":                {register: echo.Register},
	"solutions/uniqueids":           {register: uniqueids.Register},
	"solutions/broadcastsingle":     {register: broadcastsingle.Register},
	"solutions/broadcastmulti":      {register: broadcastmulti.Register},
	"solutions/broadcastfault":      {start: broadcastfault.Start},
	"solutions/broadcastefficient1": {start: broadcastefficient1.Start},
	"solutions/broadcastefficient2": {start: broadcastefficient2.Start},
	"solutions/gcounter":            {register: gcounter.Register},
	"solutions/kafkasingle":         {register: kafkasingle.Register},
	"solutions/kafkamulti":          {register: kafkamulti.Register},
	"solutions/kafkaefficient":      {register: kafkaefficient.Register},
	"solutions/txnsingle":           {register: txnsingle.Register},
	"solutions/txnuncommitted":      {start: txnuncommitted.Start},
	"solutions/txncommitted":        {start: txncommitted.Start},
	"solutions/raftelection":        {start: raftelection.Start},
	"solutions/raftlog":             {start: raftlog.Start},
	"solutions/raftread":            {start: raftread.Start},
	"solutions/gset":                {start: gset.Start},
	"solutions/pncounter":           {start: pncounter.Start},
	"solutions/datomic":             {register: datomic.Register},
}

// solutions maps a step id to its reference solution, through the book's
// steps. A test checks it against the book: every written solution is
// here, and only those.
func solutions() map[string]solution {
	m := map[string]solution{}
	for _, st := range book.Steps() {
		if sol, ok := byPackage[st.Solution]; ok {
			m[st.ID] = sol
		}
	}
	return m
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
	var wrappers string
	return &Command{
		Name:  "node",
		Args:  "STEP | --install-wrapper DIR",
		Short: "run a step's reference solution as a Maelstrom node",
		Long: `Runs the reference solution of STEP as a Maelstrom node: messages in on
stdin, one JSON object per line, messages out on stdout, logs on stderr.
It is the node tutor check runs when given no other. The node stops at
the end of its input, or when a message has no handler.

Real Maelstrom runs a --bin without arguments, so for it, write one small
script per step into DIR, each running "tutor node STEP" with this tutor
binary:

    go build -o tutor ./cmd/tutor
    ./tutor node --install-wrapper bin
    ./maelstrom test -w echo --bin bin/tutor-node-1 --node-count 1 --time-limit 10`,
		Flags: func(fs *flag.FlagSet) {
			fs.StringVar(&wrappers, "install-wrapper", "", "write a tutor-node-STEP script per step into `DIR`")
		},
		Run: func(env *Env, args []string) error {
			if wrappers != "" {
				if len(args) > 0 {
					return fmt.Errorf("node: --install-wrapper takes no STEP: it writes a script for every step")
				}
				return installWrappers(env, wrappers)
			}
			s, err := stepOfArgs("node", args)
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

// installWrappers writes dir/tutor-node-STEP for every step with a
// reference solution. The scripts name this binary by its absolute path,
// so a binary that go run built in a temporary directory, soon deleted,
// is refused.
func installWrappers(env *Env, dir string) error {
	self, err := SelfPath()
	if err != nil {
		return fmt.Errorf("node: find tutor's own binary: %v", err)
	}
	if strings.Contains(self, string(filepath.Separator)+"go-build") {
		return fmt.Errorf("node: this tutor was built by go run into %s, which is deleted when it exits; build one to keep first: go build -o tutor ./cmd/tutor", filepath.Dir(self))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("node: %v", err)
	}
	for _, id := range solved() {
		p := filepath.Join(dir, "tutor-node-"+id)
		script := "#!/bin/sh\n# Step " + id + "'s reference solution, as a Maelstrom --bin.\nexec " + course.ShellQuote(self) + " node " + id + " \"$@\"\n"
		if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
			return fmt.Errorf("node: %v", err)
		}
		fmt.Fprintln(env.Stdout, p)
	}
	return nil
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
