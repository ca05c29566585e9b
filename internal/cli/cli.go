// Package cli is the tutor command: it parses arguments, calls the book,
// the course's use cases (internal/course), the reference solutions and
// (for test) the harness, and prints what they return. cmd/tutor's main
// only calls Main.
//
// Nothing below Main exits the process or reads os.Args: a command gets
// an Env and its arguments, and returns an error that Main turns into a
// message and an exit status:
//
//	0  success
//	1  the thing checked is at fault (*ExitError with Code 1): a check
//	   found the node invalid, or a node stopped on an error
//	2  usage or harness error: an unknown step, command or flag, a
//	   missing binary; any other error
//
// Adding a command is adding an entry to the table in commands: a
// function returning a *Command, in a file of its own.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/glomers/glomers/book"
)

// Env is what a command may use of the outside world.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads an environment variable (os.Getenv outside tests).
	Getenv func(string) string
}

// Command is one tutor subcommand.
type Command struct {
	// Name is the word that selects the command: "read".
	Name string
	// Args is the synopsis after the name: "[--raw] [--width N] STEP".
	Args string
	// Short is one line for the command list of `tutor help`.
	Short string
	// Long is the body of `tutor help NAME`: what the command does, in a
	// few plain paragraphs.
	Long string
	// Flags, if set, declares the command's flags on fs. Declare them
	// into variables of the function that built the Command, which Run
	// then reads: the table is rebuilt for every Main, so nothing is
	// global. Put the argument's name in backquotes in the usage text
	// ("wrap at `N` columns"), as package flag expects.
	Flags func(fs *flag.FlagSet)
	// RawArgs hands Run every argument unparsed (but --help), for
	// commands that take Maelstrom's flags and parse them themselves.
	RawArgs bool
	// Run does the work with the arguments left once flags are parsed.
	// Flags and arguments may be interleaved; "--" ends the flags.
	Run func(env *Env, args []string) error
}

// commands is the table of tutor's subcommands, in the order help lists
// them.
func commands() []*Command {
	return []*Command{
		listCommand(),
		readCommand(),
		checkCommand(),
		watchCommand(),
		testCommand(),
		nodeCommand(),
		startCommand(),
		hintCommand(),
		diffCommand(),
		cleanCommand(),
		completionCommand(),
		helpCommand(),
	}
}

// ExitError ends a command with a given status. Err, if not nil, is
// printed first.
type ExitError struct {
	Code int
	Err  error
}

// Error returns Err's message, or the status when there is none.
func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

// Unwrap returns Err.
func (e *ExitError) Unwrap() error { return e.Err }

// Main runs tutor with args (os.Args[1:]) and returns the exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: os.Getenv}
	return run(env, commands(), args)
}

func run(env *Env, cmds []*Command, args []string) int {
	name := "list"
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	switch name {
	case "-h", "-help", "--help":
		name, args = "help", nil
	}
	cmd := find(cmds, name)
	if cmd == nil {
		return exitStatus(env, unknownCommand(cmds, name))
	}
	if cmd.RawArgs {
		if wantsHelp(args) {
			writeCommandHelp(env.Stdout, cmd)
			return 0
		}
		return exitStatus(env, cmd.Run(env, args))
	}
	rest, err := parseFlags(cmd, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		writeCommandHelp(env.Stdout, cmd)
		return 0
	case err != nil:
		return exitStatus(env, err)
	}
	return exitStatus(env, cmd.Run(env, rest))
}

// exitStatus prints err, if any, on one line and returns the exit status.
func exitStatus(env *Env, err error) int {
	if err == nil {
		return 0
	}
	code := 2
	var exit *ExitError
	if errors.As(err, &exit) {
		code = exit.Code
		err = exit.Err
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "tutor: %v\n", err)
	}
	return code
}

func find(cmds []*Command, name string) *Command {
	for _, c := range cmds {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func names(cmds []*Command) string {
	var ns []string
	for _, c := range cmds {
		ns = append(ns, c.Name)
	}
	return strings.Join(ns, ", ")
}

func unknownCommand(cmds []*Command, name string) error {
	if strings.HasPrefix(name, "-") {
		return fmt.Errorf("unknown flag %s (see tutor help)", name)
	}
	if s, err := book.Lookup(name); err == nil {
		return fmt.Errorf("unknown command %q (to read step %s: tutor read %s)", name, s.ID, s.ID)
	}
	return fmt.Errorf("unknown command %q; commands: %s", name, names(cmds))
}

// parseFlags parses cmd's flags wherever they appear among args and
// returns the other arguments. --help is flag.ErrHelp.
func parseFlags(cmd *Command, args []string) ([]string, error) {
	rest, _, err := parseInterleaved(newFlagSet(cmd), args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %v", cmd.Name, err)
	}
	return rest, nil
}

// parseInterleaved parses args with fs where flags and positional
// arguments may be interleaved ("check 1 --quick ./node"), and "--" ends
// the flags. It returns the positional arguments, in order, and the flag
// tokens, so that a caller can parse them again on top of other flags.
func parseInterleaved(fs *flag.FlagSet, args []string) (positional, flagTokens []string, err error) {
	for {
		if err := fs.Parse(args); err != nil {
			return nil, nil, err
		}
		rest := fs.Args()
		consumed := args[:len(args)-len(rest)]
		if len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			return append(positional, rest...), append(flagTokens, consumed[:len(consumed)-1]...), nil
		}
		flagTokens = append(flagTokens, consumed...)
		if len(rest) == 0 {
			return positional, flagTokens, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func newFlagSet(cmd *Command) *flag.FlagSet {
	fs := flag.NewFlagSet("tutor "+cmd.Name, flag.ContinueOnError)
	// Errors are reported on one line by Main; help has its own format.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if cmd.Flags != nil {
		cmd.Flags(fs)
	}
	return fs
}

// stepArg checks that args hold exactly one step id and returns it.
func stepArg(cmd string, args []string, valid []string) (string, error) {
	switch {
	case len(args) == 0:
		return "", fmt.Errorf("%s: missing STEP; valid steps: %s", cmd, strings.Join(valid, ", "))
	case len(args) > 1:
		return "", fmt.Errorf("%s: unexpected argument %q after the step", cmd, args[1])
	}
	return args[0], nil
}

// stepOfArgs is the step a command taking exactly one STEP was given:
// stepArg over the course's steps, then book.Lookup.
func stepOfArgs(cmd string, args []string) (book.Step, error) {
	id, err := stepArg(cmd, args, book.IDs())
	if err != nil {
		return book.Step{}, err
	}
	return book.Lookup(id)
}

func helpCommand() *Command {
	return &Command{
		Name:  "help",
		Args:  "[COMMAND]",
		Short: "show this help, or a command's",
		Long:  "Shows how to use tutor, or with a COMMAND, the details of that command.\nEvery command also takes --help.",
		Run: func(env *Env, args []string) error {
			cmds := commands()
			switch len(args) {
			case 0:
				writeHelp(env.Stdout, cmds)
				return nil
			case 1:
				cmd := find(cmds, args[0])
				if cmd == nil {
					return fmt.Errorf("help: unknown command %q; commands: %s", args[0], names(cmds))
				}
				writeCommandHelp(env.Stdout, cmd)
				return nil
			}
			return fmt.Errorf("help: unexpected argument %q", args[1])
		},
	}
}

func writeHelp(w io.Writer, cmds []*Command) {
	fmt.Fprint(w, `tutor guides you through the Gossip Glomers distributed-systems challenges
(https://fly.io/dist-sys/): read a step's chapter, write a node, check it.

Usage: tutor [COMMAND] [ARGS]

Commands:
`)
	// The overview leaves flags to each command's help, to stay narrow.
	short := func(c *Command) string {
		return strings.TrimSpace(c.Name + " " + flagsInSynopsis.ReplaceAllString(c.Args, ""))
	}
	width := 0
	for _, c := range cmds {
		width = max(width, len(short(c)))
	}
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-*s  %s\n", width, short(c), c.Short)
	}
	fmt.Fprintf(w, `
Steps: %s.
Step ids ignore case and a leading "#": 3D and #3d are step 3d.
Progress is kept in your config directory (or the file $%s names).

Exit status: 0 success, 1 failure (a check found a problem, a node stopped
on an error), 2 usage error (unknown step, command or flag).

Run "tutor help COMMAND" or "tutor COMMAND --help" for a command's details.
`, strings.Join(book.IDs(), ", "), progressEnv)
}

// flagsInSynopsis matches the optional flags of a synopsis: "[--width N] ".
var flagsInSynopsis = regexp.MustCompile(`\[--[^\]]*\]\s*`)

func synopsis(c *Command) string {
	return strings.TrimSpace(c.Name + " " + c.Args)
}

func writeCommandHelp(w io.Writer, c *Command) {
	fmt.Fprintf(w, "Usage: tutor %s\n\n%s\n", synopsis(c), strings.TrimSpace(c.Long))
	fs := newFlagSet(c)
	type row struct{ flag, usage string }
	var rows []row
	width := 0
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if arg != "" {
			name += " " + arg
		}
		width = max(width, len(name))
		rows = append(rows, row{name, usage})
	})
	if len(rows) == 0 {
		return
	}
	slices.SortFunc(rows, func(a, b row) int { return strings.Compare(a.flag, b.flag) })
	fmt.Fprint(w, "\nFlags:\n")
	for _, r := range rows {
		fmt.Fprintf(w, "  %-*s  %s\n", width, r.flag, r.usage)
	}
}
