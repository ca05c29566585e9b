package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/report"
)

const maelstromFlags = `Maelstrom's flags, with its names and defaults:
  -w, --workload NAME       echo, unique-ids, broadcast, g-counter, kafka, txn-rw-register,
                            txn-list-append, g-set, pn-counter, lin-kv (the default, as in Maelstrom)
  --bin PATH                the node binary (any language)
  --node-count N            nodes n0..n{N-1} (default: Jepsen's five, n1..n5)
  --time-limit S            seconds of client operations (default 60)
  --rate R                  operations per second, all clients together (default 5)
  --concurrency N|Kn        client threads (default 1n: one per node; lin-kv needs a
                            multiple of 2n, two threads per node for each key)
  --latency MS              mean latency between servers (default 0)
  --latency-dist D          constant, uniform, exponential (default constant)
  --nemesis partition       inject network partitions
  --nemesis-interval S      mean seconds between partitions and heals (default 10)
  --availability total|F    require every operation (or the fraction F) to succeed
  --consistency-models M    for txn-rw-register, txn-list-append (default strict-serializable)
  --topology T              for broadcast: grid, line, total, tree2, tree3, tree4
  --key-count N, --max-txn-length N, --max-writes-per-key N
  --log-stderr              show node stderr as it is written

And ours:
  --seed N                  replay the same operations, latencies and partitions
  --recovery-wait S         seconds between healing and the final reads (default 10)
  --store DIR               where results go (default store; the newest in store/latest)
  --keep N                  runs of each workload the store keeps (default 20; 0: all)
  --json                    print results.json instead of the summary
  --strict                  judge by the course's stricter rules too (as tutor check does)`

func testCommand() *Command {
	return &Command{
		Name:    "test",
		Args:    "[-w WORKLOAD] --bin PATH [--FLAGS...] [-- BINARY ARGS]",
		Short:   "run any node binary through a Maelstrom workload",
		RawArgs: true,
		Long:    testHelp,
		Run:     runTest,
	}
}

// testHelp is tutor help test.
const testHelp = `Runs a Maelstrom-compatible test of any node binary in tutor's built-in
harness: the same workloads, checkers and simulated network (latency,
partitions, services) as Maelstrom, without Java. Arguments after the flags
are passed to the binary.

` + maelstromFlags + `

Verdicts: every run gets real Maelstrom's verdict, by Maelstrom's rules
(Jepsen's stats checker included: an operation type that never succeeds
fails the run), and a strict one that adds the course's own rules, which
real Maelstrom does not check: a read of a value nobody wrote
(txn-rw-register), a message listed twice or invented (broadcast), a poll
skip seen across an empty list (kafka), a read of null for a key already
written (lin-kv), a reply that does not match the workload's reply format
(Maelstrom records the operation as indeterminate), a message to a client
that answers none of its requests (Maelstrom's client skips it, and the
request times out), and any line a node writes that
is not a message (Maelstrom logs it, stops reading the node and judges
the rest; tutor stops the run there and judges what was recorded).
tutor test is judged by Maelstrom's verdict, --strict by the strict one;
results.json has both (maelstrom_verdict, strict_verdict, judged_by,
strict_findings), and each anomaly only the course counts carries
"strict": true.

Files: besides results.json, the run's directory has results.edn in
Maelstrom's shape, so scripts written against Maelstrom's store/latest
keep working:
  :valid?                           results.json maelstrom_valid
  :stats {:valid? :count :ok-count :fail-count :info-count :by-f}
                                    stats (Jepsen's stats checker)
  :net {:all :clients :servers {:send-count :recv-count :msg-count
        :msgs-per-op}}              net (msg_count, msgs_per_op, ...)
  :workload {:valid? :stable-latencies {0 .. 0.5 .. 1 ms}}
                                    stable_latency_ms (broadcast)
  :availability {:valid? :ok-fraction}  availability
A lin-kv run that fails also leaves linearizability.html, porcupine's
drawing of the operations of each key that cannot be linearized, which
report.html links to.

Exit status, by the verdict the run is judged by: 0 valid, 1 invalid or
unknown (a checker found a problem, too little to judge, or a node
crashed), 2 usage or harness error. (Maelstrom uses 0 valid, 1 invalid,
2 unknown, 254 bad arguments, 255 internal error.)`

// runTest is tutor test: Maelstrom's arguments, any binary, Maelstrom's
// verdict (or the strict one, with --strict).
func runTest(env *Env, args []string) error {
	opts := harness.DefaultConfig()
	fs := opts.FlagSet("test")
	if err := opts.Parse(fs, args); err != nil {
		return fmt.Errorf("test: %v", err)
	}
	if !opts.NodeCountSet() {
		opts.JepsenNodes = true // Maelstrom's nodes are Jepsen's n1..n5 then
	}
	if opts.Workload == "" {
		opts.Workload = "lin-kv" // Maelstrom's default workload
	}
	if err := opts.Finish(); err != nil {
		return fmt.Errorf("test: %v", err)
	}
	res, err := runHarness(opts, env)
	if err != nil {
		return fmt.Errorf("test: %v", err)
	}
	printResult(env, res, opts.JSON, nil)
	if code := exitCode(res); code != 0 {
		return &ExitError{Code: code}
	}
	return nil
}

// runHarness runs one test with a live progress line when stderr is a
// terminal, stopping cleanly on Ctrl-C.
func runHarness(opts harness.Config, env *Env) (*harness.Result, error) {
	return runHarnessContext(context.Background(), opts, env)
}

// runHarnessContext is runHarness stopping also when ctx ends (tutor
// check's signals, tutor watch's next save). The CLI's observers show
// the run on stderr: the nodes' logs with --log-stderr, and the progress
// line on a terminal.
func runHarnessContext(ctx context.Context, opts harness.Config, env *Env) (*harness.Result, error) {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if opts.LogStderr {
		opts.Observers = append(opts.Observers, harness.EchoLogs(env.Stderr))
	}
	live := isTerminal(env.Stderr) && !opts.JSON
	if live {
		opts.Observers = append(opts.Observers, harness.ProgressFunc(func(p harness.Progress) { progressLine(env.Stderr, p) }))
	}
	res, err := harness.Run(ctx, opts)
	if live {
		fmt.Fprint(env.Stderr, "\r\033[K")
	}
	return res, err
}

// exitCode maps a result to tutor's exit status: 0 valid with every target
// met, 1 invalid or a target missed, 2 interrupted.
func exitCode(res *harness.Result) int {
	switch {
	case res.Interrupted:
		return 2
	case res.Valid && res.TargetsMet():
		return 0
	}
	return 1
}

// printResult explains the result's anomalies, writes the report files
// into the run's store directory, and prints the summary (or
// results.json). hints are the chapter's hints about the anomalies found.
func printResult(env *Env, res *harness.Result, asJSON bool, hints []string) {
	ev := report.Gather(res)
	ex := report.Explain(res, ev)
	if err := report.WriteFiles(res, ev, ex, hints); err != nil {
		fmt.Fprintf(env.Stderr, "tutor: warning: could not write the run's report: %v\n", err)
	}
	if asJSON {
		b, _ := json.MarshalIndent(res, "", "  ")
		fmt.Fprintf(env.Stdout, "%s\n", b)
		return
	}
	// The report files keep the hints' Markdown; the terminal reads them
	// rendered, without Markdown's marks.
	opts := renderOptions(env)
	shown := make([]string, len(hints))
	for i, h := range hints {
		shown[i] = book.RenderHint(h, opts)
	}
	report.Explained(env.Stdout, res, ex, shown)
}

func progressLine(w io.Writer, p harness.Progress) {
	el := p.Elapsed.Truncate(100 * time.Millisecond)
	of := ""
	if p.Limit > 0 {
		of = fmt.Sprintf(" of %gs", p.Limit.Seconds())
	}
	fmt.Fprintf(w, "\r\033[K%-8s %6.1fs%s  %d ops  %d errors", p.Phase, el.Seconds(), of, p.Ops, p.Errors)
}

func isTerminal(w io.Writer) bool {
	if u, ok := w.(interface{ Unwrap() io.Writer }); ok {
		return isTerminal(u.Unwrap()) // tutor watch's shared terminal
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// wantsHelp reports whether args ask for help before any "--".
func wantsHelp(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if a == "-h" || a == "--help" || a == "-help" {
			return true
		}
	}
	return false
}
