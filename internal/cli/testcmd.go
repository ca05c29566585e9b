package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/report"
)

const testUsage = `usage: tutor test -w WORKLOAD --bin PATH [flags] [-- args for the binary]

Runs a Maelstrom-compatible test of any node binary in the built-in
harness. The flags have Maelstrom's names and defaults:

  -w, --workload NAME       echo, unique-ids, broadcast, g-counter, kafka, txn-rw-register
  --bin PATH                the node binary (any language)
  --node-count N            nodes n0..n{N-1} (default 5)
  --time-limit S            seconds of client operations (default 60)
  --rate R                  operations per second, all clients together (default 5)
  --concurrency N|Kn        client threads (default 1n: one per node)
  --latency MS              mean latency between servers (default 0)
  --latency-dist D          constant, uniform, exponential (default constant)
  --nemesis partition       inject network partitions
  --nemesis-interval S      mean seconds between partitions and heals (default 10)
  --availability total|F    require every operation (or fraction F) to succeed
  --consistency-models M    for txn-rw-register (default strict-serializable)
  --topology T              for broadcast: grid, line, total, tree2, tree3, tree4
  --key-count, --max-txn-length, --max-writes-per-key
  --log-stderr              show node stderr as it is written

And ours:
  --seed N                  reproduce operations, latencies and partitions
  --recovery-wait S         seconds between healing and final reads (default 10)
  --store DIR               where results go (default store; latest in store/latest)
  --json                    print results.json instead of the summary

Exit status: 0 valid, 1 invalid (a checker found a problem, or a node
crashed or broke the protocol), 2 usage or harness error. (Maelstrom uses
0 valid, 1 invalid, 2 unknown, 254 bad arguments, 255 internal error.)
`

// cmdTest is `tutor test`: a Maelstrom-compatible run of any binary.
func cmdTest(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	opts := harness.Defaults()
	fs := opts.FlagSet("test")
	if wantsHelp(args) {
		fmt.Fprint(stdout, testUsage)
		return 0
	}
	if err := opts.Parse(fs, args); err != nil {
		fmt.Fprintf(stderr, "tutor test: %v\n", err)
		return 2
	}
	if opts.Workload == "" {
		fmt.Fprintln(stderr, "tutor test: -w/--workload is required (echo, unique-ids, broadcast, g-counter, kafka, txn-rw-register)")
		return 2
	}
	if err := opts.Finish(); err != nil {
		fmt.Fprintf(stderr, "tutor test: %v\n", err)
		return 2
	}
	res, code := runHarness(opts, stdout, stderr, "tutor test")
	if res == nil {
		return code
	}
	printResult(res, opts.JSON, stdout)
	return code
}

// runHarness runs one test with a live progress line on a terminal and
// Ctrl-C handling, and maps the outcome to an exit status.
func runHarness(opts harness.Options, stdout, stderr io.Writer, who string) (*harness.Result, int) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts.Stderr = stderr
	live := isTerminal(stderr) && !opts.JSON
	if live {
		opts.Progress = func(p harness.Progress) { progressLine(stderr, p) }
	}
	res, err := harness.Run(ctx, opts)
	if live {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if err != nil {
		var ue *harness.UsageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "%s: %v\n", who, err)
		} else {
			fmt.Fprintf(stderr, "%s: %v\n", who, err)
		}
		return res, 2
	}
	return res, exitCode(res)
}

func exitCode(res *harness.Result) int {
	switch {
	case res.Valid:
		return 0
	case res.Interrupted:
		return 2
	}
	return 1
}

func printResult(res *harness.Result, asJSON bool, stdout io.Writer) {
	if asJSON {
		b, _ := json.MarshalIndent(res, "", "  ")
		fmt.Fprintf(stdout, "%s\n", b)
		return
	}
	report.Summary(stdout, res)
}

func progressLine(w io.Writer, p harness.Progress) {
	el := p.Elapsed.Truncate(100 * time.Millisecond)
	fmt.Fprintf(w, "\r\033[K%-8s %6.1fs of %gs  %d ops  %d errors", p.Phase, el.Seconds(), p.Limit.Seconds(), p.Ops, p.Errors)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

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
