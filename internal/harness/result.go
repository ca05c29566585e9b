package harness

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/netsim"
	"github.com/glomers/glomers/internal/store"
	"github.com/glomers/glomers/internal/workload"
)

// Result is the outcome of a run, and the content of results.json. Field
// names are stable: add, never rename.
type Result struct {
	// Valid is the verdict: true only when every check passed.
	Valid bool `json:"valid"`
	// Verdict is "valid", "invalid", "unknown" (too little to judge) or
	// "interrupted".
	Verdict  string `json:"verdict"`
	Workload string `json:"workload"`
	// Step is the course step when the run was started by tutor check.
	Step string `json:"step,omitempty"`
	// Options are the effective flags, in Maelstrom's units.
	Options EffectiveOptions `json:"options"`
	Seed    uint64           `json:"seed"`
	Ops     OpCounts         `json:"ops"`
	Net     NetResult        `json:"net"`
	// LatencyMS summarises request latency (invoke to ok completion).
	LatencyMS *workload.Quantiles `json:"latency_ms,omitempty"`
	// StableLatencyMS is broadcast's stable latency: what the Fly.io 3d
	// and 3e targets call median and maximum latency.
	StableLatencyMS *workload.Quantiles `json:"stable_latency_ms,omitempty"`
	Availability    *Availability       `json:"availability,omitempty"`
	// Anomalies are the reasons the run is invalid, each with the history
	// indexes of the operations that show it.
	Anomalies []workload.Anomaly `json:"anomalies"`
	// Notes are findings that do not fail the run.
	Notes []workload.Anomaly `json:"notes,omitempty"`
	// Metrics are the workload checker's figures.
	Metrics map[string]any `json:"metrics,omitempty"`
	// Targets are the step's efficiency targets (tutor check).
	Targets []Target `json:"targets,omitempty"`
	// Problem is what stopped the run early: a crash, a protocol error, an
	// unanswered init, an interruption.
	Problem string `json:"problem,omitempty"`
	// ProblemLog holds the last log lines of a crashed node.
	ProblemLog  []string        `json:"problem_log,omitempty"`
	Interrupted bool            `json:"interrupted,omitempty"`
	Nemesis     []NemesisRecord `json:"nemesis,omitempty"`
	Started     time.Time       `json:"started"`
	Duration    time.Duration   `json:"-"`
	Seconds     float64         `json:"duration_seconds"`
	StoreDir    string          `json:"store_dir,omitempty"`
	History     history.History `json:"-"`
}

// EffectiveOptions are the options of a run as results.json shows them.
type EffectiveOptions struct {
	Workload          string   `json:"workload"`
	Bin               string   `json:"bin,omitempty"`
	NodeCount         int      `json:"node_count"`
	TimeLimit         float64  `json:"time_limit"`
	Rate              float64  `json:"rate"`
	Concurrency       int      `json:"concurrency"`
	Latency           float64  `json:"latency"`
	LatencyDist       string   `json:"latency_dist"`
	Nemesis           []string `json:"nemesis,omitempty"`
	NemesisInterval   float64  `json:"nemesis_interval"`
	Availability      string   `json:"availability,omitempty"`
	ConsistencyModels []string `json:"consistency_models,omitempty"`
	Topology          string   `json:"topology,omitempty"`
	KeyCount          int      `json:"key_count,omitempty"`
	MaxTxnLength      int      `json:"max_txn_length,omitempty"`
	MaxWritesPerKey   int      `json:"max_writes_per_key,omitempty"`
	RecoveryWait      float64  `json:"recovery_wait"`
	Seed              uint64   `json:"seed"`
}

func (o Options) effective() EffectiveOptions {
	e := EffectiveOptions{
		Workload: o.Workload, Bin: o.Bin, NodeCount: o.NodeCount, TimeLimit: o.TimeLimit.Seconds(),
		Rate: o.Rate, Concurrency: o.Concurrency, Latency: float64(o.Latency) / float64(time.Millisecond),
		LatencyDist: string(o.LatencyDist), Nemesis: o.Nemesis, NemesisInterval: o.NemesisInterval.Seconds(),
		Availability: o.Availability, RecoveryWait: o.RecoveryWait.Seconds(), Seed: o.Seed,
	}
	switch o.Workload {
	case "broadcast":
		e.Topology = o.Topology
	case "txn-rw-register":
		e.ConsistencyModels = o.ConsistencyModels
		e.KeyCount, e.MaxTxnLength, e.MaxWritesPerKey = o.KeyCount, o.MaxTxnLength, o.MaxWritesPerKey
	case "kafka":
		e.KeyCount, e.MaxWritesPerKey = o.KeyCount, o.MaxWritesPerKey
	}
	return e
}

// OpCounts count client operations by outcome.
type OpCounts struct {
	Invoked int `json:"invoked"`
	OK      int `json:"ok"`
	Fail    int `json:"fail"`
	Info    int `json:"info"`
}

// NetResult is Maelstrom's :net statistics.
type NetResult struct {
	All     BucketResult `json:"all"`
	Clients BucketResult `json:"clients"`
	Servers BucketResult `json:"servers"`
}

// BucketResult is one class of traffic; MsgsPerOp is msg_count over the
// number of client operations invoked (absent for clients, as in
// Maelstrom).
type BucketResult struct {
	netsim.Bucket
	MsgsPerOp *float64 `json:"msgs_per_op,omitempty"`
}

func netResult(s netsim.Stats, h history.History) NetResult {
	invoked, _, _, _ := h.Count()
	per := func(b netsim.Bucket) *float64 {
		if invoked == 0 {
			return nil
		}
		v := b.PerOp(invoked)
		return &v
	}
	return NetResult{
		All:     BucketResult{Bucket: s.All, MsgsPerOp: per(s.All)},
		Clients: BucketResult{Bucket: s.Clients},
		Servers: BucketResult{Bucket: s.Servers, MsgsPerOp: per(s.Servers)},
	}
}

// Availability is the availability check.
type Availability struct {
	OKFraction float64 `json:"ok_fraction"`
	Valid      bool    `json:"valid"`
	// Required is "total" or the minimum fraction.
	Required string `json:"required"`
}

// Target is an efficiency target of a step and how the run measured up.
type Target struct {
	Name  string  `json:"name"`
	Limit float64 `json:"limit"`
	Value float64 `json:"value"`
	Met   bool    `json:"met"`
	// Missing is set when the run produced no value for the metric.
	Missing bool `json:"missing,omitempty"`
}

// NemesisRecord is one nemesis action as carried out.
type NemesisRecord struct {
	Time        time.Duration `json:"time"`
	Kind        string        `json:"kind"`
	Spec        string        `json:"spec,omitempty"`
	Grudge      netsim.Grudge `json:"grudge,omitempty"`
	Description string        `json:"description"`
}

// finishProblem fills a result for a run that stopped early.
func (res *Result) finishProblem(err error) {
	res.countOps()
	res.Valid = false
	res.Verdict = "invalid"
	res.Problem = err.Error()
	kind := "run-stopped"
	var ce *CrashError
	var pe *protocolError
	var ie *InitError
	switch {
	case errors.Is(err, ErrInterrupted):
		res.Verdict = "interrupted"
		kind = "interrupted"
		res.Problem = "the run was interrupted before it finished; nothing was checked"
	case errors.As(err, &ce):
		kind = "node-crashed"
		res.ProblemLog = ce.Log
	case errors.As(err, &pe):
		kind = "protocol"
	case errors.As(err, &ie):
		kind = "init"
	}
	res.Anomalies = append(res.Anomalies, workload.Anomaly{Kind: kind, Message: res.Problem})
}

func (res *Result) countOps() {
	inv, ok, fail, info := res.History.Count()
	res.Ops = OpCounts{Invoked: inv, OK: ok, Fail: fail, Info: info}
}

// check runs the workload checker and the checks every run gets.
func (res *Result) check(wl workload.Workload, wopts workload.Options, opts Options) {
	res.countOps()
	res.LatencyMS = requestLatency(res.History)
	wr := safeCheck(wl, res.History, wopts)
	res.Anomalies = append(res.Anomalies, wr.Anomalies...)
	res.Notes = append(res.Notes, wr.Notes...)
	res.Metrics = wr.Metrics
	res.StableLatencyMS = wr.StableLatency
	verdict := wr.Validity
	if bad := malformedReplies(res.History); len(bad.Ops) > 0 {
		res.Anomalies = append(res.Anomalies, bad)
		verdict = workload.Invalid
	}
	if opts.Availability != "" {
		a := availability(res.Ops, opts.Availability)
		res.Availability = &a
		if !a.Valid {
			verdict = workload.Invalid
			res.Anomalies = append(res.Anomalies, workload.Anomaly{
				Kind: "availability",
				Message: fmt.Sprintf("--availability %s: %.4f of operations succeeded (%d of %d; %d failed, %d indeterminate)",
					opts.Availability, a.OKFraction, res.Ops.OK, res.Ops.Invoked, res.Ops.Fail, res.Ops.Info),
				Ops: unavailableOps(res.History, 20),
			})
		}
	}
	if verdict == workload.Valid && len(res.Anomalies) > 0 {
		verdict = workload.Invalid
	}
	res.Verdict = string(verdict)
	res.Valid = verdict == workload.Valid
	if res.Anomalies == nil {
		res.Anomalies = []workload.Anomaly{}
	}
}

// safeCheck runs a checker, turning a panic into an unknown verdict rather
// than losing the run.
func safeCheck(wl workload.Workload, h history.History, wopts workload.Options) (res workload.Result) {
	defer func() {
		if p := recover(); p != nil {
			res = workload.Result{Validity: workload.Unknown, Anomalies: []workload.Anomaly{{
				Kind: "checker-error", Message: fmt.Sprintf("the %s checker failed: %v (a bug in tutor: please report it with this run's history)", wl.Name(), p),
			}}}
		}
	}()
	return wl.Check(h, wopts)
}

// availability is Maelstrom's availability checker: the fraction of
// invocations that completed ok.
func availability(ops OpCounts, required string) Availability {
	frac := 1.0
	if ops.Invoked > 0 {
		frac = float64(ops.OK) / float64(ops.Invoked)
	}
	a := Availability{OKFraction: frac, Required: required}
	if required == "total" {
		a.Valid = ops.OK == ops.Invoked
	} else {
		min, _ := strconv.ParseFloat(required, 64)
		a.Valid = frac >= min
	}
	return a
}

func unavailableOps(h history.History, max int) []int {
	var out []int
	for _, op := range h {
		if op.Type == history.Fail || op.Type == history.Info {
			out = append(out, op.Index)
			if len(out) == max {
				break
			}
		}
	}
	return out
}

// malformedReplies collects completions whose reply broke the workload's
// response schema: each names what was wrong.
func malformedReplies(h history.History) workload.Anomaly {
	a := workload.Anomaly{Kind: "malformed-reply"}
	var first string
	n := 0
	for _, op := range h {
		if op.Type != history.Invoke && strings.HasPrefix(op.Error, "malformed reply") {
			n++
			if len(a.Ops) < 20 {
				a.Ops = append(a.Ops, op.Index)
			}
			if first == "" {
				first = fmt.Sprintf("op %d (%s to %s): %s", op.Index, op.F, op.Node, op.Error)
			}
		}
	}
	if n > 0 {
		a.Message = fmt.Sprintf("%d replies did not match the %s reply format; the first: %s", n, "expected", first)
	}
	return a
}

// requestLatency summarises invoke-to-ok latency in ms.
func requestLatency(h history.History) *workload.Quantiles {
	pairs, err := h.Pair()
	if err != nil {
		return nil
	}
	var ms []float64
	for i, op := range h {
		if op.Type == history.OK && pairs[i] >= 0 {
			ms = append(ms, float64(op.Time-h[pairs[i]].Time)/float64(time.Millisecond))
		}
	}
	return workload.NewQuantiles(ms)
}

// Measure returns the value of a metric path of the result, as a target
// names it: "servers.msgs_per_op" (also "all."), "stable_latency.median"
// (also p95, p99, max, min) and "latency.median" (request latency).
func (res *Result) Measure(metric string) (float64, bool) {
	group, field, _ := strings.Cut(metric, ".")
	quantile := func(q *workload.Quantiles) (float64, bool) {
		if q == nil {
			return 0, false
		}
		switch field {
		case "min":
			return q.Min, true
		case "median":
			return q.Median, true
		case "p95":
			return q.P95, true
		case "p99":
			return q.P99, true
		case "max":
			return q.Max, true
		}
		return 0, false
	}
	switch group {
	case "servers", "all":
		b := res.Net.Servers
		if group == "all" {
			b = res.Net.All
		}
		if field == "msgs_per_op" && b.MsgsPerOp != nil {
			return *b.MsgsPerOp, true
		}
	case "stable_latency":
		return quantile(res.StableLatencyMS)
	case "latency":
		return quantile(res.LatencyMS)
	}
	return 0, false
}

// evaluate measures each target. A target with no value (a run with no
// stable values) is missed.
func (res *Result) evaluate(specs []TargetSpec) {
	for _, s := range specs {
		v, ok := res.Measure(s.Metric)
		res.Targets = append(res.Targets, Target{Name: s.Name, Limit: s.Limit, Value: v, Met: ok && v < s.Limit, Missing: !ok})
	}
}

// TargetsMet reports whether every target of the run was met.
func (res *Result) TargetsMet() bool {
	for _, t := range res.Targets {
		if !t.Met {
			return false
		}
	}
	return true
}

// finish writes results.json and the history, closes the logs, points
// the latest links at this run and removes the workload's oldest runs
// beyond the ones to keep.
func (s *storeDir) finish(res *Result) error {
	s.mu.Lock()
	for _, f := range s.logs {
		f.Close()
	}
	s.mu.Unlock()
	var errs []error
	errs = append(errs, s.journal.Close())
	res.Seconds = res.Duration.Seconds()
	res.StoreDir = s.dir
	b, err := json.MarshalIndent(res, "", "  ")
	if err == nil {
		err = os.WriteFile(filepath.Join(s.dir, store.Results), append(b, '\n'), 0o644)
	}
	errs = append(errs, err)
	hf, err := os.Create(filepath.Join(s.dir, store.History))
	if err == nil {
		err = res.History.WriteJSONLines(hf)
		errs = append(errs, err, hf.Close())
	} else {
		errs = append(errs, err)
	}
	errs = append(errs, store.Link(s.root, s.wl, s.stamp))
	_, err = store.Prune(s.root, s.wl, s.keep)
	errs = append(errs, err)
	return errors.Join(errs...)
}
