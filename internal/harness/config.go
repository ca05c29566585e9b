package harness

import (
	"errors"
	"flag"
	"io"
	"strconv"

	"github.com/glomers/glomers/internal/store"
)

// Config is one run as its caller asks for it: the test's parameters
// (Options), and what is recorded and shown while it runs. Two runs whose
// Options are equal test the same thing, wherever their results go.
type Config struct {
	Options

	// Store is the directory the run's directory is made under (--store,
	// default "store"); "" writes nothing. Keep is how many runs of the
	// workload the store keeps, the newest (--keep, default
	// store.DefaultKeep; 0 keeps every run).
	Store string
	Keep  int
	// Step is the course step the run checks (tutor check), a label
	// results.json carries.
	Step string
	// Observers are told what happens as the run goes, after the run's
	// directory (which Store asks for) is: the CLI's live progress line
	// and its echo of the nodes' logs.
	Observers []Observer

	// JSON (--json) and LogStderr (--log-stderr) are the caller's to act
	// on, parsed with the rest of Maelstrom's flags: the caller prints
	// results.json instead of the summary, and passes an Observer that
	// echoes the nodes' logs (EchoLogs). The run itself reads neither.
	JSON      bool
	LogStderr bool
}

// DefaultConfig is Maelstrom's defaults, the results written under
// store.DefaultRoot.
func DefaultConfig() Config {
	return Config{Options: Defaults(), Store: store.DefaultRoot, Keep: store.DefaultKeep}
}

// FlagSet returns a flag set that parses Maelstrom's test flags into c:
// the test's parameters into c.Options, the rest (--store, --keep,
// --json, --log-stderr) into c. Flags may be given with one or two
// dashes, as --flag value or --flag=value. Call Finish after parsing.
func (c *Config) FlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.Options.declareFlags(fs)
	fs.BoolVar(&c.LogStderr, "log-stderr", c.LogStderr, "echo node stderr to the terminal")
	fs.StringVar(&c.Store, "store", c.Store, "directory to write results under")
	fs.Func("keep", "runs of each workload the store keeps (default "+strconv.Itoa(store.DefaultKeep)+"; 0 keeps all)", func(s string) error {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return errors.New("must be an integer >= 0 (0 keeps every run)")
		}
		c.Keep = n
		return nil
	})
	fs.BoolVar(&c.JSON, "json", c.JSON, "print "+store.Results+" to stdout")
	return fs
}
