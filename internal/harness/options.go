package harness

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/glomers/glomers/internal/nemesis"
	"github.com/glomers/glomers/internal/netsim"
	"github.com/glomers/glomers/internal/proc"
)

// Options are a run's parameters: what the test does to the node and how
// it is judged, whatever is shown or written about it (that is Config's).
// Fields carry Maelstrom's flag names and defaults, so a Fly.io command
// line means the same thing here.
type Options struct {
	// Workload is the workload name (-w, --workload; tutor test defaults
	// to lin-kv, as Maelstrom does).
	Workload string `json:"workload"`
	// Bin is the node binary (--bin); Args are passed to it.
	Bin  string   `json:"bin,omitempty"`
	Args []string `json:"args,omitempty"`
	// NodeCount is the number of nodes, n0..n{N-1} (--node-count, default
	// 5, Jepsen's default node list length).
	NodeCount int `json:"node_count"`
	// TimeLimit is the main phase (--time-limit, seconds, default 60).
	TimeLimit time.Duration `json:"time_limit"`
	// Rate is client operations per second over all clients (--rate,
	// default 5).
	Rate float64 `json:"rate"`
	// Concurrency is the number of client threads (--concurrency, an
	// integer or Kn for K times the node count; default 1n).
	Concurrency int `json:"concurrency"`
	// Latency is the mean server-to-server latency (--latency, ms, default
	// 0); LatencyDist its distribution (--latency-dist, default constant).
	Latency     time.Duration `json:"latency"`
	LatencyDist netsim.Dist   `json:"latency_dist"`
	// Nemesis lists the faults (--nemesis; only "partition"), injected on
	// average every NemesisInterval (--nemesis-interval, seconds, default
	// 10).
	Nemesis         []string      `json:"nemesis,omitempty"`
	NemesisInterval time.Duration `json:"nemesis_interval"`
	// Availability is "" (not checked), "total" (every operation must
	// succeed) or a minimum fraction of ok operations (--availability).
	Availability string `json:"availability,omitempty"`
	// ConsistencyModels for transactional workloads (--consistency-models,
	// default strict-serializable).
	ConsistencyModels []string `json:"consistency_models"`
	// Topology for broadcast (--topology, default grid).
	Topology string `json:"topology"`
	// KeyCount, MaxTxnLength, MaxWritesPerKey: see workload.Options.
	KeyCount        int `json:"key_count"`
	MaxTxnLength    int `json:"max_txn_length"`
	MaxWritesPerKey int `json:"max_writes_per_key"`

	// Seed makes generated operations, latency draws, the nemesis
	// schedule and services' choices reproducible (--seed; 0 picks one,
	// which the report prints).
	Seed uint64 `json:"seed"`
	// Strict judges the run by the course's rules as well as Maelstrom's
	// (--strict; tutor check always does). See workload.StrictRules.
	Strict bool `json:"strict,omitempty"`
	// JepsenNodes names the nodes n1..n5, Jepsen's default node list, as
	// Maelstrom does when --node-count is not given (tutor test sets it
	// then); otherwise they are n0..n{N-1}.
	JepsenNodes bool `json:"jepsen_nodes,omitempty"`
	// RecoveryWait is the pause between healing and the final phase
	// (--recovery-wait, seconds, default 10 as in Maelstrom).
	RecoveryWait time.Duration `json:"recovery_wait"`
	// RPCTimeout bounds each client request (default 5 s as in Maelstrom).
	RPCTimeout time.Duration `json:"rpc_timeout"`
	// InitTimeout bounds the wait for init_ok (10 s as in Maelstrom).
	InitTimeout time.Duration `json:"init_timeout"`
	// FinalLimit caps the final phase (10 s, Maelstrom's cap for kafka).
	FinalLimit time.Duration `json:"final_limit"`

	// Targets are the step's efficiency goals (tutor check), judged
	// after the checker.
	Targets []TargetSpec `json:"-"`

	// Launcher, when set, starts nodes instead of Bin.
	Launcher proc.Launcher `json:"-"`

	concurrencySpec string
	nodeCountSet    bool
}

// NodeCountSet reports whether --node-count was given.
func (o *Options) NodeCountSet() bool { return o.nodeCountSet }

// nodeNames are the run's node ids: Jepsen's default n1..n5 when
// JepsenNodes is set and the count is Jepsen's five, n0..n{N-1} otherwise
// (Maelstrom's --node-count).
func nodeNames(o Options) []string {
	nodes := make([]string, o.NodeCount)
	for i := range nodes {
		if o.JepsenNodes && o.NodeCount == 5 {
			nodes[i] = fmt.Sprintf("n%d", i+1)
		} else {
			nodes[i] = fmt.Sprintf("n%d", i)
		}
	}
	return nodes
}

func judgedBy(strict bool) string {
	if strict {
		return "strict"
	}
	return "maelstrom"
}

// TargetSpec is an efficiency goal: Metric must be strictly below Limit.
// Metric is a path Result.Measure reads; the course's targets name theirs
// with the book's Metric constants, which the harness does not import.
type TargetSpec struct {
	Name   string
	Metric string
	Limit  float64
}

// Progress is a snapshot of a run, for a live progress line.
type Progress struct {
	Phase string
	// Elapsed is the time spent in the phase so far; Limit is the most
	// it may take (0 for a phase without a set length, like setup).
	Elapsed time.Duration
	Limit   time.Duration
	Ops     int
	Errors  int
}

// Defaults returns Maelstrom's defaults.
func Defaults() Options {
	return Options{
		NodeCount:         5,
		TimeLimit:         60 * time.Second,
		Rate:              5,
		LatencyDist:       netsim.Constant,
		NemesisInterval:   10 * time.Second,
		ConsistencyModels: []string{"strict-serializable"},
		Topology:          "grid",
		KeyCount:          10,
		MaxTxnLength:      4,
		MaxWritesPerKey:   16,
		RecoveryWait:      10 * time.Second,
		RPCTimeout:        5 * time.Second,
		InitTimeout:       10 * time.Second,
		FinalLimit:        10 * time.Second,
		concurrencySpec:   "1n",
	}
}

// UsageError is a problem with the command line: exit status 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// declareFlags declares Maelstrom's test flags on fs, parsing into o:
// the node and the workload's rates, the network and its faults, the
// workloads' own parameters, and the judging.
func (o *Options) declareFlags(fs *flag.FlagSet) {
	o.declareRunFlags(fs)
	o.declareNetFlags(fs)
	o.declareWorkloadFlags(fs)
	fs.Func("seed", "random seed for a reproducible schedule (default: chosen and printed)", func(s string) error {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return errors.New("must be a non-negative integer")
		}
		o.Seed = n
		return nil
	})
	fs.BoolVar(&o.Strict, "strict", o.Strict, "judge by the course's stricter rules too")
	fs.Func("recovery-wait", "seconds between healing and the final reads (default 10)", func(s string) error {
		d, err := seconds(s)
		if err != nil || d < 0 {
			return errors.New("must be a number of seconds >= 0")
		}
		o.RecoveryWait = d
		return nil
	})
}

// declareRunFlags declares the workload, the node and the clients' load.
func (o *Options) declareRunFlags(fs *flag.FlagSet) {
	fs.StringVar(&o.Workload, "w", o.Workload, "workload: echo, unique-ids, broadcast, g-counter, kafka, txn-rw-register, txn-list-append, g-set, pn-counter, lin-kv")
	fs.StringVar(&o.Workload, "workload", o.Workload, "workload (same as -w)")
	fs.StringVar(&o.Bin, "bin", o.Bin, "node binary to test")
	fs.Func("node-count", "number of nodes (default 5)", func(s string) error {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			return errors.New("must be an integer from 1 to 1000")
		}
		o.NodeCount = n
		o.nodeCountSet = true
		return nil
	})
	fs.Func("time-limit", "seconds of client operations (default 60)", positiveSeconds(&o.TimeLimit))
	fs.Func("rate", "client operations per second, total (default 5)", func(s string) error {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
			return errors.New("must be a number >= 0")
		}
		o.Rate = f
		return nil
	})
	fs.Func("concurrency", "client threads: N, or Kn for K per node (default 1n)", func(s string) error {
		if _, err := parseConcurrency(s, 1); err != nil {
			return err
		}
		o.concurrencySpec = s
		return nil
	})
}

// declareNetFlags declares the network's latency and its faults.
func (o *Options) declareNetFlags(fs *flag.FlagSet) {
	fs.Func("latency", "mean server-to-server latency in ms (default 0)", func(s string) error {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 0 || f > 3.6e6 {
			return errors.New("must be a number of milliseconds >= 0")
		}
		o.Latency = time.Duration(f * float64(time.Millisecond))
		return nil
	})
	fs.Func("latency-dist", "constant, uniform or exponential (default constant)",
		parsedInto(&o.LatencyDist, netsim.ParseDist, "must be constant, uniform or exponential"))
	fs.Func("nemesis", "faults to inject: partition",
		parsedInto(&o.Nemesis, nemesis.ParseList, "must be a comma-separated list of faults; the only fault is partition"))
	fs.Func("nemesis-interval", "mean seconds between faults (default 10)", positiveSeconds(&o.NemesisInterval))
}

// declareWorkloadFlags declares what some workloads alone read, and the
// availability every workload's checker may be asked for.
func (o *Options) declareWorkloadFlags(fs *flag.FlagSet) {
	fs.Func("availability", "total, or a minimum fraction of ok operations", func(s string) error {
		if s != "total" {
			f, err := strconv.ParseFloat(s, 64)
			if err != nil || f < 0 || f > 1 {
				return errors.New("must be total or a number from 0 to 1")
			}
		}
		o.Availability = s
		return nil
	})
	fs.Func("consistency-models", "models to check transactions against (default strict-serializable)", func(s string) error {
		var models []string
		for _, m := range strings.Split(s, ",") {
			if m = strings.TrimSpace(m); m != "" {
				models = append(models, m)
			}
		}
		if len(models) == 0 {
			return errors.New("must name at least one model")
		}
		o.ConsistencyModels = models
		return nil
	})
	fs.StringVar(&o.Topology, "topology", o.Topology, "broadcast topology: grid, line, total, tree2, tree3, tree4")
	intFlag := func(name, usage string, dst *int) {
		fs.Func(name, usage, func(s string) error {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				return errors.New("must be an integer >= 1")
			}
			*dst = n
			return nil
		})
	}
	intFlag("key-count", "active keys (default 10)", &o.KeyCount)
	intFlag("max-txn-length", "micro-operations per transaction at most (default 4)", &o.MaxTxnLength)
	intFlag("max-writes-per-key", "writes to a key before it is retired (default 16)", &o.MaxWritesPerKey)
}

// Parse parses a Maelstrom-style command line: flags, then any arguments
// for the binary. Errors are *UsageError naming the flag.
func (o *Options) Parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usagef("%s", FlagError(err))
	}
	o.Args = append(o.Args, fs.Args()...)
	return nil
}

// Finish resolves options that depend on others (concurrency relative to
// the node count) and checks what flags alone cannot.
func (o *Options) Finish() error {
	c, err := parseConcurrency(o.concurrencySpec, o.NodeCount)
	if err != nil {
		return usagef("--concurrency %s: %v", o.concurrencySpec, err)
	}
	o.Concurrency = c
	if o.Latency > 0 && o.LatencyDist != netsim.Constant && o.Latency < time.Millisecond {
		return usagef("--latency: must be at least 1 ms with --latency-dist %s", o.LatencyDist)
	}
	return nil
}

// SetConcurrency sets the concurrency spec programmatically ("2n", "4").
func (o *Options) SetConcurrency(spec string) error {
	if _, err := parseConcurrency(spec, 1); err != nil {
		return usagef("--concurrency %s: %v", spec, err)
	}
	o.concurrencySpec = spec
	return nil
}

// ConcurrencySpec returns the concurrency as given ("2n").
func (o *Options) ConcurrencySpec() string { return o.concurrencySpec }

// parsedInto sets *dst from a flag's text through parse, or fails with
// msg, which says what the flag takes.
func parsedInto[T any](dst *T, parse func(string) (T, error), msg string) func(string) error {
	return func(s string) error {
		v, err := parse(s)
		if err != nil {
			return errors.New(msg)
		}
		*dst = v
		return nil
	}
}

// positiveSeconds parses a flag's number of seconds, greater than zero,
// into d.
func positiveSeconds(d *time.Duration) func(string) error {
	return func(s string) error {
		v, err := seconds(s)
		if err != nil || v <= 0 {
			return errors.New("must be a number of seconds > 0")
		}
		*d = v
		return nil
	}
}

func parseConcurrency(s string, nodes int) (int, error) {
	bad := errors.New("must be a positive integer, or Kn for K per node (like 2n)")
	if k, ok := strings.CutSuffix(s, "n"); ok {
		f, err := strconv.Atoi(k)
		if err != nil || f < 1 {
			return 0, bad
		}
		return f * nodes, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, bad
	}
	return n, nil
}

func seconds(s string) (time.Duration, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f > 1e6 {
		return 0, errors.New("bad number")
	}
	return time.Duration(f * float64(time.Second)), nil
}

// FlagError rewrites the flag package's errors into one line that names
// the flag and what it accepts.
func FlagError(err error) string {
	s := err.Error()
	// "invalid value "x" for flag -rate: must be ..." -> "--rate x: must be ..."
	if rest, ok := strings.CutPrefix(s, "invalid value "); ok {
		if i := strings.Index(rest, " for flag -"); i >= 0 {
			val := rest[:i]
			tail := rest[i+len(" for flag -"):]
			if j := strings.Index(tail, ": "); j >= 0 {
				return fmt.Sprintf("--%s %s: %s", tail[:j], val, tail[j+2:])
			}
		}
	}
	if rest, ok := strings.CutPrefix(s, "flag provided but not defined: -"); ok {
		return fmt.Sprintf("unknown flag --%s", strings.TrimPrefix(rest, "-"))
	}
	if rest, ok := strings.CutPrefix(s, "flag needs an argument: -"); ok {
		return fmt.Sprintf("--%s needs a value", strings.TrimPrefix(rest, "-"))
	}
	return s
}
