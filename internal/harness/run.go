// Package harness runs a Maelstrom-compatible test: it starts the nodes,
// sends init and the workload's setup, drives client operations through the
// simulated network while the nemesis partitions it, runs the final phase,
// and checks the history. One call, Run, does it all, given a Config: the
// test's parameters (Options) and what is recorded and shown. It resolves
// the workload, then the run goes through launch (node.go), drive (the
// phases; sched.go paces them), teardown and judge, telling its
// Observers (observer.go: the run's directory under the store, and the
// caller's, such as the CLI's progress line) as it goes.
//
// The harness is the thin driver around pure parts: the network model
// (internal/netsim), the nemesis plan (internal/nemesis), the services
// (internal/service) and the workloads' generators and checkers
// (internal/workload/...). It owns the clock and the processes. Time comes
// from the time package, so a whole run, nodes included, can execute inside
// testing/synctest on a fake clock when the nodes are in-process functions
// (proc.Func).
package harness

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/glomers/glomers/internal/nemesis"
	"github.com/glomers/glomers/internal/netsim"
	"github.com/glomers/glomers/internal/proc"
	"github.com/glomers/glomers/internal/proto"
	"github.com/glomers/glomers/internal/service"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/registry"
)

// ErrInterrupted is the cause of a run stopped by its caller (Ctrl-C).
var ErrInterrupted = errors.New("interrupted")

// run is the state of one Run.
type run struct {
	opts   Options
	step   string // the course step, for results.json
	wl     workload.Workload
	wopts  workload.Options
	start  time.Time
	router *router
	rec    *recorder
	nodes  []*node

	genRand *rand.Rand
	pick    *rand.Rand

	workers []*worker
	done    chan completion

	clientMu sync.Mutex
	clientN  int

	phaseMu    sync.Mutex
	phase_     string
	phaseStart time.Duration // since run.start

	problemMu sync.Mutex
	problem   error
	cancel    context.CancelCauseFunc

	nemesisMu  sync.Mutex
	nemesisLog []NemesisRecord

	obs observers

	// stopping closes when teardown begins; readers are the goroutines
	// reading the nodes' stdout and stderr; the router loop runs until
	// routerStop closes and closes routerDone when it has returned.
	stopping   chan struct{}
	readers    sync.WaitGroup
	routerStop chan struct{}
	routerDone chan struct{}
}

func (run *run) now() time.Duration { return time.Since(run.start) }

func (run *run) nextClient() string {
	run.clientMu.Lock()
	defer run.clientMu.Unlock()
	id := fmt.Sprintf("c%d", run.clientN)
	run.clientN++
	return id
}

func (run *run) setPhase(p string) {
	run.phaseMu.Lock()
	run.phase_ = p
	run.phaseStart = run.now()
	run.phaseMu.Unlock()
}

// phaseProgress is the current phase, the time spent in it and what it
// may take at most (0 when it has no set length): a progress line reads
// "recovery 1.2s of 2s", never the whole run's time against one phase's
// length.
func (run *run) phaseProgress() (string, time.Duration, time.Duration) {
	run.phaseMu.Lock()
	name, start := run.phase_, run.phaseStart
	run.phaseMu.Unlock()
	var limit time.Duration
	switch name {
	case "init":
		limit = run.opts.InitTimeout
	case "main":
		limit = run.opts.TimeLimit
	case "recovery":
		limit = run.opts.RecoveryWait
	case "final":
		limit = run.opts.FinalLimit
	}
	return name, run.now() - start, limit
}

func (run *run) phaseName() string {
	run.phaseMu.Lock()
	defer run.phaseMu.Unlock()
	return run.phase_
}

// fail records the first problem that stops the run and stops it.
func (run *run) fail(err error) {
	run.problemMu.Lock()
	if run.problem == nil {
		run.problem = err
	}
	run.problemMu.Unlock()
	run.cancel(err)
}

func (run *run) firstProblem() error {
	run.problemMu.Lock()
	defer run.problemMu.Unlock()
	return run.problem
}

// Run executes one test: cfg's parameters, its observers told as it
// goes. It returns an error only when the test could not be set up
// (unknown workload, bad options, a binary that does not exist):
// everything a node does wrong is part of the Result, which is written to
// the store even when the run stops early or ctx is cancelled.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Concurrency == 0 {
		if err := cfg.Finish(); err != nil {
			return nil, err
		}
	}
	wl, err := registry.Lookup(cfg.Workload)
	if err != nil {
		return nil, &UsageError{Msg: err.Error()}
	}
	return runWith(ctx, cfg, wl)
}

// runWith is Run with the workload already resolved: the registry's for
// Run, one of their own for the harness's tests, which can then run in
// parallel. A run goes through launch, drive, teardown and judge, in that
// order, whatever stops it.
func runWith(ctx context.Context, cfg Config, wl workload.Workload) (*Result, error) {
	run, launcher, err := newRun(cfg.Options, wl)
	if err != nil {
		return nil, err
	}
	run.step = cfg.Step
	runCtx, cancel := context.WithCancelCause(context.Background())
	run.cancel = cancel
	defer cancel(nil)
	stopWatch := context.AfterFunc(ctx, func() { run.fail(ErrInterrupted) })
	defer stopWatch()

	if run.obs, err = observersOf(cfg); err != nil {
		return nil, err
	}
	run.startRouter()
	launchErr := run.launch(launcher)
	if launchErr == nil {
		run.drive(runCtx)
	}
	run.teardown()
	res := run.judge(launchErr)
	res.Journal = run.router.kept
	if err := run.obs.finish(res); err != nil {
		return res, err
	}
	return res, launchErr
}

// newRun checks the options against the workload and settles what they
// leave open (the seed, how nodes start).
func newRun(opts Options, wl workload.Workload) (*run, proc.Launcher, error) {
	wopts := workload.Options{
		Nodes: nodeNames(opts), Concurrency: opts.Concurrency, Rate: opts.Rate, TimeLimit: opts.TimeLimit,
		Latency: opts.Latency, Topology: opts.Topology, KeyCount: opts.KeyCount,
		MaxTxnLength: opts.MaxTxnLength, MaxWritesPerKey: opts.MaxWritesPerKey,
		ConsistencyModels: opts.ConsistencyModels,
	}
	if err := wl.Validate(wopts); err != nil {
		return nil, nil, &UsageError{Msg: err.Error()}
	}
	launcher := opts.Launcher
	if launcher == nil {
		if opts.Bin == "" {
			return nil, nil, &UsageError{Msg: "--bin is required: the node binary to test"}
		}
		e, err := proc.NewExec(opts.Bin, opts.Args...)
		if err != nil {
			return nil, nil, &UsageError{Msg: err.Error()}
		}
		launcher = e
	}
	if opts.Seed == 0 {
		opts.Seed = rand.Uint64()>>1 + 1
	}
	genRand, pick, _, _, _ := streams(opts.Seed)
	return &run{
		opts: opts, wl: wl, wopts: wopts, genRand: genRand, pick: pick, done: make(chan completion),
		stopping: make(chan struct{}), routerStop: make(chan struct{}), routerDone: make(chan struct{}),
	}, launcher, nil
}

// startRouter builds the network, every node and service on it, and
// starts the router that owns it; the run's clock starts here.
func (run *run) startRouter() {
	_, _, latRand, _, svcRand := streams(run.opts.Seed)
	net := netsim.New(netsim.Config{Latency: run.opts.Latency, Dist: run.opts.LatencyDist, Rand: latRand})
	for _, id := range run.wopts.Nodes {
		net.Add(id, netsim.Node)
	}
	services := map[string]service.Service{}
	for _, s := range newServices() {
		services[s.ID()] = s
		net.Add(s.ID(), netsim.Service)
	}
	run.start = time.Now()
	run.rec = &recorder{start: run.start}
	r := &router{
		start: run.start, net: net, inbox: make(chan routed, 1024), ctl: make(chan func()),
		nodes: map[string]*node{}, services: services, svcRand: svcRand, abort: run.fail,
		clients: map[string]*conn{}, abandoned: map[string]bool{},
	}
	run.router = r
	if w := run.obs.events(); w != nil {
		r.setJournal(w, run.obs.journalFile())
	}
	go func() { r.loop(run.routerStop); close(run.routerDone) }()
}

// teardown stops the nodes, reaps them and their readers, then stops the
// router and flushes the journal.
func (run *run) teardown() {
	close(run.stopping)
	for _, n := range run.nodes {
		n.proc.Kill()
	}
	for _, n := range run.nodes {
		select {
		case <-n.exited:
		case <-time.After(10 * time.Second):
			run.fail(fmt.Errorf("%s did not exit 10 s after being killed", n.id))
		}
		n.inbox.close()
	}
	readersDone := make(chan struct{})
	go func() { run.readers.Wait(); close(readersDone) }()
	select {
	case <-readersDone:
	case <-time.After(2 * time.Second):
		// A grandchild outside the process group may hold a pipe open;
		// stop waiting for it rather than hang.
	}
	close(run.routerStop)
	<-run.routerDone
	if run.router.journal != nil {
		_ = run.router.journal.Flush()
	}
}

// stopped reports whether teardown has begun: from then on a node that
// exits or closes its stdout is doing what it was told.
func (run *run) stopped() bool {
	select {
	case <-run.stopping:
		return true
	default:
		return false
	}
}

// judge turns what the run recorded into its Result: the checker's
// verdict when the run went to its end, the problem that stopped it
// otherwise.
func (run *run) judge(launchErr error) *Result {
	opts := run.opts
	res := &Result{
		JudgedBy: judgedBy(opts.Strict), Workload: run.wl.Name(), Step: run.step,
		Options: opts.effective(run.wl), Seed: opts.Seed, Started: run.start,
	}
	res.History = run.rec.history()
	res.Net = netResult(run.router.net.Stats(), res.History)
	run.nemesisMu.Lock()
	res.Nemesis = run.nemesisLog
	run.nemesisMu.Unlock()
	res.Duration = time.Since(run.start)
	switch problem := run.firstProblem(); {
	case launchErr != nil:
		res.finishProblem(launchErr)
	case errors.Is(problem, ErrInterrupted):
		res.Interrupted = true
		res.finishProblem(problem)
	case problem != nil:
		res.finishProblem(problem)
		res.addDropped(run.router.unexpected, run.router.late)
		res.judgeRecorded(problem, run.wl, run.wopts)
	default:
		res.addDropped(run.router.unexpected, run.router.late)
		res.check(run.wl, run.wopts, opts)
		res.evaluate(opts.Targets)
	}
	return res
}

// drive runs the phases: init, setup, main with the nemesis, recovery and
// final.
func (run *run) drive(ctx context.Context) {
	stopProgress := run.startProgress(ctx)
	defer stopProgress()
	run.setPhase("init")
	if !run.initNodes(ctx) {
		return
	}
	run.setPhase("setup")
	if !run.setup(ctx) {
		return
	}
	stopWorkers := run.startWorkers(ctx)
	defer stopWorkers()
	run.mainPhase(ctx)
	if ctx.Err() != nil {
		return
	}
	run.finalPhase(ctx)
}

// startWorkers starts one worker per client thread, thread t bound to node
// t mod the node count; the function returned stops them and waits.
func (run *run) startWorkers(ctx context.Context) func() {
	run.workers = make([]*worker, run.opts.Concurrency)
	var wg sync.WaitGroup
	for t := range run.workers {
		w := &worker{thread: t, process: t, node: run.wopts.Nodes[t%len(run.wopts.Nodes)], jobs: make(chan workload.Invocation, 1)}
		run.workers[t] = w
		wg.Add(1)
		go func() { defer wg.Done(); run.work(ctx, w, run.done) }()
	}
	return func() {
		for _, w := range run.workers {
			close(w.jobs)
		}
		wg.Wait()
	}
}

// mainPhase issues the generator's operations at --rate for the time
// limit (or only waits, at rate 0) while the nemesis carries out its plan.
func (run *run) mainPhase(ctx context.Context) {
	opts := run.opts
	mainStart := run.now()
	nemCtx, stopNemesis := context.WithCancel(ctx)
	nemDone := make(chan struct{})
	if len(opts.Nemesis) > 0 {
		_, _, _, nemRand, _ := streams(opts.Seed)
		plan := nemesis.Plan(run.wopts.Nodes, opts.NemesisInterval, opts.TimeLimit, nemRand)
		go func() { defer close(nemDone); run.nemesis(nemCtx, mainStart, plan) }()
	} else {
		close(nemDone)
	}
	if opts.Rate > 0 {
		run.phase(ctx, "main", run.wl.NewGenerator(run.wopts), opts.TimeLimit, true)
	} else {
		run.idlePhase(ctx, opts.TimeLimit)
	}
	stopNemesis()
	<-nemDone
}

// finalPhase, for a workload that has one, heals the network, waits for
// recovery and runs the final generator.
func (run *run) finalPhase(ctx context.Context) {
	final := run.wl.NewFinalGenerator(run.wopts)
	if final == nil {
		return
	}
	if len(run.opts.Nemesis) > 0 {
		run.heal("heal before the final phase")
	}
	run.setPhase("recovery")
	t := time.NewTimer(run.opts.RecoveryWait)
	select {
	case <-t.C:
	case <-ctx.Done():
		t.Stop()
		return
	}
	run.phase(ctx, "final", final, run.opts.FinalLimit, false)
}

// initNodes sends init to every node from a fresh client and waits for
// init_ok, as Maelstrom does, all nodes in parallel.
func (run *run) initNodes(ctx context.Context) bool {
	ids := run.wopts.Nodes
	conns := make([]*conn, len(ids))
	for i, id := range ids {
		conns[i] = newConn(run.router, run.nextClient(), id, run.opts.InitTimeout)
	}
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conns[i].close()
			body := map[string]any{"type": "init", "node_id": id, "node_ids": ids}
			err := workload.Call(ctx, conns[i], body, "init_ok", nil)
			var me *workload.MalformedError
			switch {
			case err == nil:
			case errors.Is(err, workload.ErrTimeout):
				errs[i] = fmt.Errorf("%s did not answer init with init_ok within %v", id, run.opts.InitTimeout)
			case errors.As(err, &me):
				b, perr := proto.ParseBody(me.Reply)
				if perr == nil && b.Type == "init_ok" {
					break // extra fields on init_ok are harmless
				}
				errs[i] = fmt.Errorf("%s answered init with %s, expected init_ok", id, proto.DescribeBody(me.Reply))
			default:
				errs[i] = fmt.Errorf("%s answered init with an error: %v", id, err)
			}
		}()
	}
	wg.Wait()
	return run.settled(ctx, errs)
}

// setup sends the workload's setup requests from one client per node.
func (run *run) setup(ctx context.Context) bool {
	ids := run.wopts.Nodes
	conns := map[string]*conn{}
	for _, id := range ids {
		conns[id] = newConn(run.router, run.nextClient(), id, run.opts.RPCTimeout)
	}
	defer func() {
		for _, c := range conns {
			c.close()
		}
	}()
	reqs := run.wl.Setup(run.wopts)
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	for i, req := range reqs {
		c, ok := conns[req.Node]
		if !ok {
			errs[i] = fmt.Errorf("setup request for unknown node %s", req.Node)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			raw, err := c.RPC(ctx, req.Body)
			if err == nil {
				if b, perr := proto.ParseBody(raw); perr != nil {
					err = perr
				} else if b.Type != req.Reply {
					err = fmt.Errorf("got %s", proto.DescribeBody(raw))
				}
			}
			if err != nil {
				errs[i] = fmt.Errorf("%s did not answer %s with %s: %v", req.Node, typeOf(req.Body), req.Reply, err)
			}
		}()
	}
	wg.Wait()
	return run.settled(ctx, errs)
}

// settled ends a stage of requests to every node: the run goes on when
// the context is live and no request failed, and otherwise fails on the
// first error, an InitError as both init and setup must succeed.
func (run *run) settled(ctx context.Context, errs []error) bool {
	if ctx.Err() != nil {
		return false
	}
	for _, err := range errs {
		if err != nil {
			run.fail(&InitError{Err: err})
			return false
		}
	}
	return true
}

func typeOf(body any) string {
	raw, err := withMsgID(body, 0)
	if err != nil {
		return "request"
	}
	b, err := proto.ParseBody(raw)
	if err != nil {
		return "request"
	}
	return b.Type
}

// nemesis carries out a partition plan until ctx ends.
func (run *run) nemesis(ctx context.Context, start time.Duration, plan []nemesis.Event) {
	for _, ev := range plan {
		wait := start + ev.Time - run.now()
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return
			}
		}
		if ev.Kind == nemesis.Start {
			run.router.do(func() { run.router.net.Partition(ev.Grudge) })
		} else {
			run.router.do(func() { run.router.net.Heal() })
		}
		run.logNemesis(ev, "")
	}
}

func (run *run) heal(why string) {
	run.router.do(func() { run.router.net.Heal() })
	run.logNemesis(nemesis.Event{Kind: nemesis.Stop}, why)
}

func (run *run) logNemesis(ev nemesis.Event, why string) {
	run.nemesisMu.Lock()
	defer run.nemesisMu.Unlock()
	d := ev.Describe()
	if why != "" {
		d = why
	}
	run.nemesisLog = append(run.nemesisLog, NemesisRecord{Time: run.now(), Kind: string(ev.Kind), Spec: string(ev.Spec), Grudge: ev.Grudge, Description: d})
}

// CrashError is a node that exited during the run.
type CrashError struct {
	Node string
	How  string
	Log  []string
}

func (e *CrashError) Error() string {
	return fmt.Sprintf("node %s crashed: it %s", e.Node, e.How)
}

// InitError is a node that did not start properly (init or setup).
type InitError struct{ Err error }

func (e *InitError) Error() string { return e.Err.Error() }
func (e *InitError) Unwrap() error { return e.Err }

// newServices returns fresh instances of every service: like Maelstrom,
// every run has all four, whatever the workload.
func newServices() []service.Service { return service.All() }
