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

func newGenerator(nodes int) *generator {
	return &generator{n: max(nodes, 1), groups: map[int]*group{}}
}

// groupOf returns thread's group, giving it the next key on first use.
// Groups get keys in thread order in Jepsen; here a group takes its first
// key when one of its threads first asks, which only renumbers keys.
func (g *generator) groupOf(thread int) *group {
	id := thread / (2 * g.n)
	gr := g.groups[id]
	if gr == nil {
		gr = &group{key: g.next, procs: 2 * g.n}
		g.next++
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
