package linkv

import (
	"math/rand/v2"
	"sync"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// valueRange bounds generated values: Jepsen's linearizable-register
// writes and compares (rand-int 5), 0 to 4, so that a cas often matches.
const valueRange = 5

// generator is Jepsen's independent concurrent-generator over
// linearizable-register's per-key generator, as Maelstrom's lin-kv uses
// them. The threads, in order, form groups of 2n (n the node count; thread
// t talks to node t mod n, so a group holds two threads per node). Each
// group works on one key at a time, keys being handed out 0, 1, 2, ... in
// order. In a group the first n threads read (gen/reserve n r) and the
// others write or cas, one time in three and two in three (gen/mix [w cas
// cas]). A key is retired when more than 20 processes have touched it
// (gen/process-limit 20): a group starts a key with its 2n processes and
// each indeterminate completion gives its thread a new one, so after
// 21 - 2n of them the group moves on to the next unused key. Without
// faults a key lives for the whole run, as in Maelstrom.
type generator struct {
	n int // node count: group size 2n

	mu     sync.Mutex
	groups map[int]*group
	next   int64 // next unused key
}

// group is one thread group's current key and how many processes have
// touched it.
type group struct {
	key   int64
	procs int
}

// newGenerator returns the generator for nodes nodes and threads
// threads. As in Jepsen, group g starts on key g, and the next key handed
// out is the first no group started on.
func newGenerator(nodes, threads int) *generator {
	n := max(nodes, 1)
	return &generator{n: n, groups: map[int]*group{}, next: int64(max(threads/(2*n), 1))}
}

// groupOf returns thread's group.
func (g *generator) groupOf(thread int) *group {
	id := thread / (2 * g.n)
	gr := g.groups[id]
	if gr == nil {
		gr = &group{key: int64(id), procs: 2 * g.n}
		g.groups[id] = gr
	}
	return gr
}

// Next implements workload.Generator.
func (g *generator) Next(thread int, _ time.Duration, rnd *rand.Rand) (workload.Invocation, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	gr := g.groupOf(thread)
	if gr.procs > processLimit {
		gr.key, gr.procs = g.next, 2*g.n
		g.next++
	}
	k := gr.key
	if thread%(2*g.n) < g.n {
		return workload.Invocation{F: "read", Value: history.Value([]any{k, nil})}, true
	}
	if rnd.IntN(3) == 0 {
		return workload.Invocation{F: "write", Value: history.Value([]any{k, rnd.IntN(valueRange)})}, true
	}
	from, to := rnd.IntN(valueRange), rnd.IntN(valueRange)
	return workload.Invocation{F: "cas", Value: history.Value([]any{k, []int{from, to}})}, true
}

// Update implements workload.Generator: an indeterminate completion gives
// its thread a new process, which counts against its group's key.
func (g *generator) Update(thread int, _ workload.Invocation, c workload.Completion) {
	if c.Type != history.Info {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.groupOf(thread).procs++
}
