package linkv

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// simConfig describes a simulated run against a linearizable store.
type simConfig struct {
	nodes int     // group size is 2 × nodes
	ops   int     // operations in all
	infoP float64 // chance that a write or cas times out (info)
	seed  uint64
	// stale, when set, makes every staleEvery-th read return the value
	// before the last write: a stale read.
	staleEvery int
	// rate is operations a second, arriving at random (Jepsen's stagger);
	// latency the mean time an operation takes. Their product is how many
	// operations are in flight on average.
	rate    float64
	latency time.Duration
}

// simOp is one operation of the simulation before it becomes history.
type simOp struct {
	thread, process int
	inv             workload.Invocation
	c               workload.Completion
	start, end      time.Duration
	at              time.Duration // when it takes effect
	applies         bool          // an info op may not take effect
}

// simulate drives the workload's own generator against a register per
// key that applies each operation at a random instant inside its
// interval, so the history is linearizable unless cfg.staleEvery asks
// for stale reads.
func simulate(cfg simConfig) history.History {
	rnd := rand.New(rand.NewPCG(cfg.seed, 2))
	threads := 2 * cfg.nodes
	gen := newGenerator(cfg.nodes, threads)
	free := make([]time.Duration, threads) // when each thread is idle again
	process := make([]int, threads)
	for t := range process {
		process[t] = t
	}
	var ops []*simOp
	var now time.Duration
	for len(ops) < cfg.ops {
		now += time.Duration(rnd.ExpFloat64() / cfg.rate * float64(time.Second))
		var idle []int
		for t, f := range free {
			if f <= now {
				idle = append(idle, t)
			}
		}
		if len(idle) == 0 { // every thread busy: the next op waits, as the harness's do
			t := 0
			for i, f := range free {
				if f < free[t] {
					t = i
				}
			}
			now, idle = free[t], []int{t}
		}
		t := idle[rnd.IntN(len(idle))]
		inv, _ := gen.Next(t, now, rnd)
		start := now
		end := start + time.Duration((0.5+rnd.Float64())*float64(cfg.latency)) + 1
		o := &simOp{thread: t, process: process[t], inv: inv, start: start, end: end, applies: true}
		o.at = start + time.Duration(rnd.Int64N(int64(end-start)+1))
		if inv.F != "read" && rnd.Float64() < cfg.infoP {
			o.c.Type = history.Info
			o.applies = rnd.IntN(2) == 0
			o.at = start + time.Duration(rnd.Int64N(int64(20*(end-start))))
		}
		gen.Update(t, inv, o.c)
		if o.c.Type == history.Info {
			process[t] += threads
		}
		free[t] = end
		ops = append(ops, o)
	}
	// Apply the operations in the order they take effect.
	order := slices.Clone(ops)
	slices.SortStableFunc(order, func(a, b *simOp) int { return int(a.at - b.at) })
	state := map[int64]string{}
	prev := map[int64]string{}
	reads := 0
	for _, o := range order {
		op, _ := decodeInvocation(o.inv.F, o.inv.Value)
		cur, ok := state[op.key]
		if !ok {
			cur = null
		}
		switch o.inv.F {
		case "read":
			reads++
			v := cur
			if cfg.staleEvery > 0 && reads%cfg.staleEvery == 0 {
				if p, ok := prev[op.key]; ok {
					v = p
				}
			}
			o.c = workload.Completion{Type: history.OK, Value: history.Value([]any{op.key, rawJSON(v)})}
		case "write":
			if o.applies {
				prev[op.key], state[op.key] = cur, itoa(op.value)
			}
			if o.c.Type != history.Info {
				o.c = workload.Completion{Type: history.OK, Value: o.inv.Value}
			}
		case "cas":
			match := cur == itoa(op.from)
			if match && o.applies {
				prev[op.key], state[op.key] = cur, itoa(op.to)
			}
			if o.c.Type != history.Info {
				if match {
					o.c = workload.Completion{Type: history.OK, Value: o.inv.Value}
				} else {
					o.c = workload.Completion{Type: history.Fail, Value: o.inv.Value, Error: "precondition-failed"}
				}
			}
		}
		if o.c.Type == history.Info {
			o.c.Value, o.c.Error = o.inv.Value, "timeout"
		}
	}
	// Record invocations and completions in time order.
	type event struct {
		at     time.Duration
		o      *simOp
		invoke bool
	}
	var evs []event
	for _, o := range ops {
		evs = append(evs, event{o.start, o, true}, event{o.end, o, false})
	}
	slices.SortStableFunc(evs, func(a, b event) int {
		if a.at != b.at {
			return int(a.at - b.at)
		}
		if a.invoke != b.invoke { // completions first at the same instant
			if a.invoke {
				return 1
			}
			return -1
		}
		return 0
	})
	var b history.Builder
	for _, e := range evs {
		op := history.Op{Time: e.at, Process: e.o.process, F: e.o.inv.F}
		if e.invoke {
			op.Type, op.Value = history.Invoke, e.o.inv.Value
		} else {
			op.Type, op.Value, op.Error = e.o.c.Type, e.o.c.Value, e.o.c.Error
		}
		b.Add(op)
	}
	return b.History()
}

func itoa(v int64) string { return string(history.Value(v)) }

func rawJSON(s string) any { return jsonText(s) }

// jsonText marshals as the JSON text it holds.
type jsonText string

func (j jsonText) MarshalJSON() ([]byte, error) { return []byte(j), nil }
