package harness

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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
	// Valid is the verdict the run is judged by (JudgedBy): true only when
	// every check passed.
	Valid bool `json:"valid"`
	// Verdict is "valid", "invalid", "unknown" (too little to judge) or
	// "interrupted".
	Verdict string `json:"verdict"`
	// JudgedBy says which verdict Valid and Verdict are: "maelstrom" (real
	// Maelstrom's rules; tutor test) or "strict" (those and the course's
	// own; tutor check, tutor test --strict).
	JudgedBy string `json:"judged_by"`
	// MaelstromValid and MaelstromVerdict are the verdict by real
	// Maelstrom's rules alone; StrictValid and StrictVerdict add the
	// course's rules, each of which fired is a StrictFinding.
	MaelstromValid   bool            `json:"maelstrom_valid"`
	MaelstromVerdict string          `json:"maelstrom_verdict"`
	StrictValid      bool            `json:"strict_valid"`
	StrictVerdict    string          `json:"strict_verdict"`
	StrictFindings   []StrictFinding `json:"strict_findings,omitempty"`
	// Stats are Jepsen's stats checker: completions by operation type.
	Stats    *Stats `json:"stats,omitempty"`
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
	// Journal is the run's message journal as the run kept it, for its
	// report: nil when the run wrote none (no store). Past a memory
	// budget it replays the journal file instead.
	Journal *store.Recorded `json:"-"`
	// NodeLogs are the nodes' stderr as the run kept it, for its report:
	// nil when the run wrote no directory. Past a memory budget a node's
	// log is read from its file instead.
	NodeLogs *store.Logs `json:"-"`
}

// StrictFinding is a rule the course adds to Maelstrom's that the run
// broke: real Maelstrom would accept the run for all of it.
type StrictFinding struct {
	// Rule is the anomaly kind ("garbage-read", "duplicate").
	Rule string `json:"rule"`
	// Why says why the course asks more than Maelstrom.
	Why string `json:"why"`
	// Maelstrom is always "real Maelstrom would accept this".
	Maelstrom string `json:"maelstrom"`
	Count     int    `json:"count"`
}

// Stats are Jepsen's stats checker: counts of completed client operations,
// overall and by operation type. It is invalid when some type never
// completed ok, crash and debug-topic-partitions aside (Maelstrom wraps
// the checker in Jepsen's kafka stats-checker for every workload).
type Stats struct {
	Valid bool `json:"valid"`
	StatCounts
	ByF map[string]StatCounts `json:"by_f"`
}

// StatCounts are one group of completions.
type StatCounts struct {
	Valid bool `json:"valid"`
	Count int  `json:"count"`
	OK    int  `json:"ok_count"`
	Fail  int  `json:"fail_count"`
	Info  int  `json:"info_count"`
}

func (c *StatCounts) add(t history.Type) {
	c.Count++
	switch t {
	case history.OK:
		c.OK++
	case history.Fail:
		c.Fail++
	default:
		c.Info++
	}
	c.Valid = c.OK > 0
}

// statsOf computes Jepsen's stats over the completions of h.
func statsOf(h history.History) *Stats {
	s := &Stats{Valid: true, ByF: map[string]StatCounts{}}
	for _, op := range h {
		if op.Type == history.Invoke {
			continue
		}
		s.StatCounts.add(op.Type)
		c := s.ByF[op.F]
		c.add(op.Type)
		s.ByF[op.F] = c
	}
	for f, c := range s.ByF {
		if !c.Valid && f != "crash" && f != "debug-topic-partitions" {
			s.Valid = false
		}
	}
	return s
}

// anomaly names the operation types that never succeeded.
func (s *Stats) anomaly() (workload.Anomaly, bool) {
	var parts []string
	fs := make([]string, 0, len(s.ByF))
	for f := range s.ByF {
		fs = append(fs, f)
	}
	slices.Sort(fs)
	for _, f := range fs {
		c := s.ByF[f]
		if !c.Valid && f != "crash" && f != "debug-topic-partitions" {
			parts = append(parts, fmt.Sprintf("no %s ever succeeded (%d failed, %d indeterminate)", f, c.Fail, c.Info))
		}
	}
	if len(parts) == 0 {
		return workload.Anomaly{}, false
	}
	return workload.Anomaly{Kind: "stats", Message: strings.Join(parts, "; ") +
		": Jepsen's stats checker, which Maelstrom runs, fails a run where an operation type never completes ok"}, true
}

// judge sets the maelstrom and strict verdicts, and Valid and Verdict by
// the one the run is judged by.
func (res *Result) judge(maelstrom, strict workload.Validity, byStrict bool) {
	res.MaelstromVerdict, res.MaelstromValid = string(maelstrom), maelstrom == workload.Valid
	res.StrictVerdict, res.StrictValid = string(strict), strict == workload.Valid
	res.JudgedBy = "maelstrom"
	res.Verdict, res.Valid = res.MaelstromVerdict, res.MaelstromValid
	if byStrict {
		res.JudgedBy = "strict"
		res.Verdict, res.Valid = res.StrictVerdict, res.StrictValid
	}
	res.StrictFindings = nil
	counts := map[string]int{}
	for _, a := range res.Anomalies {
		if !a.Strict {
			continue
		}
		if counts[a.Kind] == 0 {
			res.StrictFindings = append(res.StrictFindings, StrictFinding{
				Rule: a.Kind, Why: workload.StrictRule(res.Workload, a.Kind), Maelstrom: "real Maelstrom would accept this",
			})
		}
		counts[a.Kind] += a.Count()
	}
	for i := range res.StrictFindings {
		res.StrictFindings[i].Count = counts[res.StrictFindings[i].Rule]
	}
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

// effective are the options of a run with wl as results.json shows them:
// those every workload reads, and of the rest only those wl says it uses.
func (o Options) effective(wl workload.Workload) EffectiveOptions {
	e := EffectiveOptions{
		Workload: o.Workload, Bin: o.Bin, NodeCount: o.NodeCount, TimeLimit: o.TimeLimit.Seconds(),
		Rate: o.Rate, Concurrency: o.Concurrency, Latency: float64(o.Latency) / float64(time.Millisecond),
		LatencyDist: string(o.LatencyDist), Nemesis: o.Nemesis, NemesisInterval: o.NemesisInterval.Seconds(),
		Availability: o.Availability, RecoveryWait: o.RecoveryWait.Seconds(), Seed: o.Seed,
	}
	for _, opt := range workload.Uses(wl) {
		switch opt {
		case workload.OptTopology:
			e.Topology = o.Topology
		case workload.OptConsistencyModels:
			e.ConsistencyModels = o.ConsistencyModels
		case workload.OptKeyCount:
			e.KeyCount = o.KeyCount
		case workload.OptMaxTxnLength:
			e.MaxTxnLength = o.MaxTxnLength
		case workload.OptMaxWritesPerKey:
			e.MaxWritesPerKey = o.MaxWritesPerKey
		}
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
	res.Stats = statsOf(res.History)
	if res.Verdict == "interrupted" {
		res.judge("interrupted", "interrupted", res.JudgedBy == "strict")
		return
	}
	res.judge(workload.Invalid, workload.Invalid, res.JudgedBy == "strict")
}

// judgeRecorded gives a run that a protocol fault stopped Maelstrom's
// verdict on what was recorded. Maelstrom does not stop on a bad line: it
// logs it and stops reading that node, whose later replies are lost, and
// its verdict is the checkers' on the history. The harness stops at once,
// to name the cause while it is fresh; the checkers then judge the
// operations recorded so far. The fault stays the first anomaly, and the
// strict verdict invalid: when Maelstrom's checkers find nothing, the
// fault is a strict finding (real Maelstrom would accept the run).
func (res *Result) judgeRecorded(err error, wl workload.Workload, wopts workload.Options) {
	var pe *protocolError
	if !errors.As(err, &pe) || res.Interrupted {
		return
	}
	if _, perr := res.History.Pair(); perr != nil {
		return
	}
	wr := safeCheck(wl, res.History, wopts)
	lax := wr.Maelstrom()
	for _, a := range wr.Anomalies {
		if !a.Strict {
			res.Anomalies = append(res.Anomalies, a)
		}
	}
	if a, bad := res.Stats.anomaly(); bad {
		res.Anomalies = append(res.Anomalies, a)
		lax = workload.Invalid
	}
	if lax == workload.Valid {
		res.Anomalies[0].Strict = true // the fault is the only reason
	}
	ops := "operations"
	if res.Ops.Invoked == 1 {
		ops = "operation"
	}
	res.Notes = append(res.Notes, workload.Anomaly{Kind: "stopped-early", Message: fmt.Sprintf(
		"the run stopped at the protocol fault, where real Maelstrom would log it, stop reading %s and go on; its checkers' verdict on the %d %s recorded: %s",
		pe.node, res.Ops.Invoked, ops, lax)})
	res.judge(lax, workload.Invalid, res.JudgedBy == "strict")
}

// addDropped reports the replies the router dropped: the strict
// unexpected-reply finding, if any message answered no request of its
// client, and the late-reply note, if any came after its client had given
// up and closed. The verdicts are set after it.
func (res *Result) addDropped(u unexpectedReplies, l lateReplies) {
	if a, ok := u.anomaly(); ok {
		res.Anomalies = append(res.Anomalies, a)
	}
	if n, ok := l.note(); ok {
		res.Notes = append(res.Notes, n)
	}
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
	verdict, lax := wr.Validity, wr.Maelstrom()
	if bad := malformedReplies(res.History); len(bad.Ops) > 0 {
		// Strict: Maelstrom records such an operation as info, as the
		// history does, and its checkers judge the rest.
		res.Anomalies = append(res.Anomalies, bad)
		verdict = workload.Invalid
	}
	res.Stats = statsOf(res.History)
	if a, bad := res.Stats.anomaly(); bad {
		res.Anomalies = append(res.Anomalies, a)
		verdict, lax = workload.Invalid, workload.Invalid
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
			lax = workload.Invalid
		}
	}
	if verdict == workload.Valid && len(res.Anomalies) > 0 {
		verdict = workload.Invalid
	}
	for _, a := range res.Anomalies {
		if !a.Strict && lax == workload.Valid {
			lax = workload.Invalid
		}
	}
	res.judge(lax, verdict, opts.Strict)
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
// response schema into one strict anomaly, whose message names the first:
// its node, its request and what was wrong. Maelstrom records each such
// operation as info (an exception its client does not catch), as the
// history does, so only the course fails the run for them.
func malformedReplies(h history.History) workload.Anomaly {
	a := workload.Anomaly{Kind: "malformed-reply", Strict: true}
	var first string
	n := 0
	for _, op := range h {
		if op.Type == history.Invoke {
			continue
		}
		why, ok := malformedError(op.Error)
		if !ok {
			continue
		}
		n++
		if len(a.Ops) < 20 {
			a.Ops = append(a.Ops, op.Index)
		}
		if first == "" {
			first = fmt.Sprintf("%s answered op %d (%s) with a %s", op.Node, op.Index, op.F, why)
		}
	}
	switch {
	case n == 1:
		a.Message = first + "; real Maelstrom records the operation as indeterminate"
	case n > 1:
		a.Message = fmt.Sprintf("%d replies did not match the workload's reply format, each operation indeterminate in real Maelstrom; the first: %s", n, first)
	}
	return a
}

// malformedError returns the part of a completion's error that says its
// reply was malformed ("malformed reply {...}: why"), behind the prefixes
// clients put before it ("indeterminate: " for the clients without an
// error wrapper, "commit_offsets: " for kafka's poll).
func malformedError(e string) (string, bool) {
	for _, prefix := range []string{"indeterminate: ", "commit_offsets: "} {
		e = strings.TrimPrefix(e, prefix)
	}
	return e, strings.HasPrefix(e, "malformed reply")
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

// write writes results.json and the history, closes the logs, points
// the latest links at this run and removes the workload's oldest runs
// beyond the ones to keep.
func (s *storeDir) write(res *Result) error {
	s.mu.Lock()
	for _, f := range s.logs {
		f.Close()
	}
	s.mu.Unlock()
	var errs []error
	errs = append(errs, s.journal.Close())
	res.Seconds = res.Duration.Seconds()
	res.StoreDir = s.dir
	res.NodeLogs = s.kept
	b, err := json.MarshalIndent(res, "", "  ")
	if err == nil {
		err = os.WriteFile(filepath.Join(s.dir, store.Results), append(b, '\n'), 0o644)
	}
	errs = append(errs, err, res.writeEDN(s.dir))
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
