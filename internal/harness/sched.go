package harness

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// worker is one client thread, bound for the whole run to one node. Like a
// Jepsen worker it runs one operation at a time, takes a fresh process
// number after an info completion, and, unless its workload's clients are
// reusable, reconnects with a fresh client id.
type worker struct {
	thread  int
	process int
	node    string
	conn    *conn
	client  workload.Client
	jobs    chan workload.Invocation
}

type completion struct {
	thread int
	inv    workload.Invocation
	c      workload.Completion
}

func (run *run) work(ctx context.Context, w *worker, done chan<- completion) {
	for inv := range w.jobs {
		if inv.Delay > 0 {
			t := time.NewTimer(inv.Delay)
			select {
			case <-t.C:
			case <-ctx.Done():
			}
			t.Stop()
		}
		if w.conn == nil {
			w.conn = newConn(run.router, run.nextClient(), w.node, workload.RPCTimeout(run.wl, run.wopts, run.opts.RPCTimeout))
			w.client = run.wl.NewClient(run.wopts)
		}
		run.rec.add(history.Op{Type: history.Invoke, Process: w.process, F: inv.F, Value: inv.Value, Final: inv.Final, Node: w.node, Client: w.conn.id})
		c := w.client.Invoke(ctx, w.conn, inv)
		if c.Type != history.OK && c.Type != history.Fail && c.Type != history.Info {
			c = workload.Completion{Type: history.Info, Error: "harness: client returned completion type " + string(c.Type)}
		}
		if ctx.Err() != nil && c.Type != history.OK {
			if cause := context.Cause(ctx); cause != nil && cause != context.Canceled {
				c.Error = "run stopped: " + cause.Error()
			}
		}
		run.rec.add(history.Op{Type: c.Type, Process: w.process, F: inv.F, Value: c.Value, Error: c.Error, Final: inv.Final, Node: w.node, Client: w.conn.id})
		if c.Type == history.Info {
			w.process += run.opts.Concurrency
			if !run.wl.Reusable() {
				w.conn.abandon()
				w.conn = nil
			}
		}
		done <- completion{thread: w.thread, inv: inv, c: c}
	}
	if w.conn != nil {
		w.conn.close()
	}
}

// phase hands operations from gen to idle workers until the limit, then
// waits for the operations in flight. When paced, it issues operations at
// about rate per second in total, gaps drawn uniformly from [0, 2/rate) as
// Jepsen's stagger does; otherwise every thread takes operations as fast as
// it completes them (final phases, whose generators pace themselves).
func (run *run) phase(ctx context.Context, name string, gen workload.Generator, limit time.Duration, paced bool) {
	run.setPhase(name)
	start := run.now()
	deadline := start + limit
	th := newThreads(run, gen)
	next := start
	stalled := false // an operation was due while every thread was busy
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for ctx.Err() == nil {
		now := run.now()
		if now >= deadline || len(th.exhausted) == len(run.workers) {
			break
		}
		if paced && now >= next && len(th.idle) == 0 {
			stalled = true
		}
		if len(th.idle) > 0 && (!paced || now >= next) {
			if th.issue(now-start) && paced {
				next = run.stagger(next, now, stalled)
				stalled = false
			}
			continue
		}
		wait := deadline - now
		if paced && len(th.idle) > 0 {
			wait = min(wait, next-now)
		}
		timer.Reset(wait)
		select {
		case d := <-run.done:
			th.completed(d)
		case <-timer.C:
		case <-ctx.Done():
		}
	}
	for th.busy > 0 {
		th.completed(<-run.done)
	}
}

// threads are the client threads as a phase hands them operations: the
// idle ones, those whose generator has no more for them, and how many
// are busy with one.
type threads struct {
	run       *run
	gen       workload.Generator
	idle      []int
	exhausted map[int]bool
	busy      int
}

func newThreads(run *run, gen workload.Generator) *threads {
	th := &threads{run: run, gen: gen, idle: make([]int, 0, len(run.workers)), exhausted: map[int]bool{}}
	for _, w := range run.workers {
		th.idle = append(th.idle, w.thread)
	}
	return th
}

// issue hands the generator's next operation to an idle thread picked at
// random, elapsed into the phase; false when the generator has none for
// that thread, which then stays out of the phase.
func (th *threads) issue(elapsed time.Duration) bool {
	run := th.run
	i := run.pick.IntN(len(th.idle))
	t := th.idle[i]
	th.idle = append(th.idle[:i], th.idle[i+1:]...)
	inv, ok := th.gen.Next(t, elapsed, run.genRand)
	if !ok {
		th.exhausted[t] = true
		return false
	}
	th.busy++
	run.workers[t].jobs <- inv
	return true
}

// completed tells the generator of a thread's completed operation, and
// the thread is idle again unless the generator is done with it.
func (th *threads) completed(d completion) {
	th.busy--
	th.gen.Update(d.thread, d.inv, d.c)
	if !th.exhausted[d.thread] {
		th.idle = append(th.idle, d.thread)
	}
}

// stagger is Jepsen's stagger: the operation after one due at next,
// issued at now, is due a random gap later, drawn uniformly from
// [0, 2/rate). After a stall (every thread busy) the gap counts from now,
// as in Jepsen; otherwise from when this one was due, so that timer
// overshoot does not erode the rate.
func (run *run) stagger(next, now time.Duration, stalled bool) time.Duration {
	gap := time.Duration(run.genRand.Float64() * 2 * float64(time.Second) / run.opts.Rate)
	if stalled {
		return now + gap
	}
	return next + gap
}

// idlePhase is a main phase without operations (--rate 0): the nodes run,
// the nemesis acts, no client asks anything.
func (run *run) idlePhase(ctx context.Context, limit time.Duration) {
	run.setPhase("main")
	t := time.NewTimer(limit)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// streams derives independent random sources from one seed, so drawing
// more latencies does not shift the generated operations.
func streams(seed uint64) (gen, pick, latency, nemesis, services *rand.Rand) {
	mk := func(stream uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, stream)) }
	return mk(1), mk(2), mk(3), mk(4), mk(5)
}
