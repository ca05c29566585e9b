package linkv

import (
	"bytes"
	"cmp"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/evidence"
)

//go:embed kinds.md
var kindsDoc string

// The kinds Check reports.
const (
	KindNonlinearizable  = "nonlinearizable"
	KindMalformedHistory = "malformed-history"
	KindMalformedOp      = "malformed-op"
	// KindNullRead is strict: Maelstrom accepts it (workload.StrictRules).
	KindNullRead = "null-read"
	// NoteUnknown is the note of a check that ran out of time.
	NoteUnknown = "linearizability-unknown"
)

// DefaultBudget bounds the linearizability search of a run. Porcupine's
// search is exponential in the worst case (many operations in flight at
// once, above all indeterminate ones, which stay open to the end); past
// the budget the verdict is unknown, never a guess.
const DefaultBudget = 60 * time.Second

// maxShown bounds how many keys the result explains in full.
const maxShown = 8

// null is a register's value before any write, and the JSON of a read
// that returned nothing.
const null = "null"

// kvOp is one operation as the model sees it. Values are compact JSON
// text, so that any value a node returns can be compared; the generator
// writes only integers.
type kvOp struct {
	f     string // read, write, cas
	key   int64
	value string // written, or read
	from  string // cas
	to    string // cas
	info  bool   // indeterminate: may or may not have taken effect
	index int    // history index shown for the op (its completion, or its invocation when open)
	node  string
	// carried marks the write segments puts at the start of a stretch to
	// carry the value the stretch before it left (index -1).
	carried bool
}

// describe is the op in a few words: "read 3", "write 2", "cas 1->4".
func (o kvOp) describe() string {
	var s string
	switch o.f {
	case "read":
		s = "read " + o.value
	case "write":
		s = "write " + o.value
	default:
		s = "cas " + o.from + "->" + o.to
	}
	if o.info {
		s += " (indeterminate)"
	}
	if o.carried {
		s = "the value " + o.value + " the operations before left"
	}
	return s
}

// model is Knossos's cas-register, the model Maelstrom's lin-kv checks
// each key against, for porcupine: a write sets the value, a cas sets it
// only if it holds from, a read must see it. As in Knossos, a read that
// returned null is consistent with any value. An indeterminate write or
// cas may not have happened: porcupine must place every operation, so it
// is given a return time after every other operation, where it can take
// effect without anyone seeing it, and an indeterminate cas that does not
// match leaves the value as it was.
var model = func() porcupine.Model {
	m := register
	m.Partition = segments
	return m
}()

// register is model without its partition: one stretch of one key.
var register = porcupine.Model{
	Init: func() any { return null },
	Step: func(state, input, _ any) (bool, any) {
		return step(state.(string), input.(kvOp))
	},
	DescribeOperation: func(input, _ any) string {
		o := input.(kvOp)
		if o.carried {
			return o.describe()
		}
		return fmt.Sprintf("op %d: %s", o.index, o.describe())
	},
	DescribeState: func(state any) string { return state.(string) },
}

// segments splits a history into parts that are linearizable each on its
// own exactly when the whole is: by key first (Jepsen's independent
// checker), then each key's operations at every write that ran alone:
// one that began after every earlier operation of the key had returned
// and returned before the next began. Every linearization puts the ops
// before such a write first and those after it last, and the write sets
// the value whatever it was, so the two sides can be checked apart.
// Porcupine's cost grows with the square of a part's length (it copies
// a bitset of the part's operations at each step), so a healthy run's
// key, one long part for the whole run, would take minutes at 100,000
// operations; cut at its lone writes, it takes well under a second. A
// key too busy to run writes alone is cut further by splitQuiet. An
// indeterminate operation is open to the end, so no cut follows one.
func segments(ops []porcupine.Operation) [][]porcupine.Operation {
	byKey := map[int64][]porcupine.Operation{}
	for _, op := range ops {
		k := op.Input.(kvOp).key
		byKey[k] = append(byKey[k], op)
	}
	var out [][]porcupine.Operation
	for _, k := range slices.Sorted(maps.Keys(byKey)) {
		part := byKey[k]
		slices.SortStableFunc(part, func(a, b porcupine.Operation) int { return cmp.Compare(a.Call, b.Call) })
		start := 0
		latest := int64(math.MinInt64) // the latest return before op i
		for i, op := range part {
			alone := op.Input.(kvOp).f == "write" && !op.Input.(kvOp).info && latest < op.Call &&
				(i+1 == len(part) || part[i+1].Call > op.Return)
			if alone && i > start {
				out = append(out, splitQuiet(part[start:i])...)
				start = i
			}
			latest = max(latest, op.Return)
		}
		out = append(out, splitQuiet(part[start:])...)
	}
	return out
}

// minChunk is the fewest operations a stretch holds before splitQuiet
// cuts it: porcupine's cost per operation is small below that.
const minChunk = 200

// splitQuiet cuts a long stretch of one key's operations further, for a
// key too busy ever to run a write alone. At a quiet moment, when none
// of the key's operations is in flight, every order of the operations
// before it comes before every order of those after. If, moreover, a
// read that saw a value v began after every write and cas before the
// quiet moment had returned, every order of the operations before leaves
// v, so those after can be checked apart, starting from v (a carried
// write, first in their stretch). A chunk that cannot be ordered at all
// fails on its own; the value it carries may then be wrong, but only the
// first stretch of a key that fails is explained or drawn.
func splitQuiet(part []porcupine.Operation) [][]porcupine.Operation {
	if len(part) < 2*minChunk {
		return [][]porcupine.Operation{part}
	}
	var out [][]porcupine.Operation
	var carry []porcupine.Operation
	start := 0
	latest := int64(math.MinInt64)  // the latest return before op i
	written := int64(math.MinInt64) // the latest return of a write or cas since start
	pinned, end := false, ""        // whether a read after every write saw a value, and which
	for i, op := range part {
		o := kv(op)
		if i-start >= minChunk && len(part)-i >= minChunk && latest < op.Call && pinned {
			out = append(out, append(carry, part[start:i]...))
			c := kvOp{f: "write", key: o.key, value: end, index: -1, carried: true}
			carry = []porcupine.Operation{{Input: c, Call: latest, Return: latest}}
			start = i
		}
		switch {
		case o.f != "read":
			written = max(written, op.Return)
			pinned = false
		case o.value != null && op.Call > written:
			pinned, end = true, o.value
		}
		latest = max(latest, op.Return)
	}
	return append(out, append(carry, part[start:]...))
}

// step applies op to a register holding state.
func step(state string, op kvOp) (bool, string) {
	switch op.f {
	case "read":
		return op.value == null || op.value == state, state
	case "write":
		return true, op.value
	default:
		switch {
		case op.from == state:
			return true, op.to
		case op.info:
			return true, state
		}
		return false, state
	}
}

// Check judges a lin-kv history the way Maelstrom does (Jepsen's
// independent checker over Knossos's linearizable checker with a
// cas-register model): each key's operations must be linearizable. budget
// bounds the search (porcupine's timeout); a search that does not finish
// in time makes the verdict unknown.
func Check(h history.History, budget time.Duration) workload.Result {
	ops, ev := decode(h)
	res := workload.Result{Validity: workload.Valid}
	keys := map[int64]bool{}
	for _, o := range ops {
		keys[kv(o).key] = true
	}
	res.Metrics = map[string]any{"keys": len(keys), "checked_ops": len(ops)}
	switch porcupine.CheckOperationsTimeout(model, ops, budget) {
	case porcupine.Ok:
	case porcupine.Unknown:
		res.Validity = workload.Unknown
		res.Notes = append(res.Notes, workload.Anomaly{Kind: NoteUnknown, Message: fmt.Sprintf(
			"the linearizability search did not finish within %s over %d operations on %s, so the history could be neither passed nor failed; fewer indeterminate operations (timeouts) or a lower --rate make it tractable",
			budget, len(ops), plural(len(keys), "key"))})
	case porcupine.Illegal:
		bad := explain(ops, budget, &ev, &res)
		res.Metrics["nonlinearizable_keys"] = bad
	}
	nullReads(ops, &ev)
	res.Anomalies = ev.Anomalies()
	if len(res.Anomalies) > 0 {
		lax := res.Validity
		res.Validity = workload.Invalid
		if workload.MarkStrict(Name, res.Anomalies) {
			lax = workload.Invalid
		}
		res.MaelstromValidity = lax
	}
	return res
}

// nullReads adds a strict null-read anomaly for each ok read that
// returned null although an acknowledged write or cas of its key had
// returned before the read began: lin-kv has no delete, so the key held
// a value. Knossos's cas-register takes a nil read for "read nothing"
// and accepts it whatever the register holds, so Maelstrom passes such a
// read (and a node that answers every read with null).
func nullReads(ops []porcupine.Operation, ev *evidence.Collector) {
	set := map[int64]*porcupine.Operation{} // the first acknowledged write or cas of each key to return
	for i := range ops {
		o := kv(ops[i])
		if o.f != "read" && !o.info {
			if first := set[o.key]; first == nil || ops[i].Return < first.Return {
				set[o.key] = &ops[i]
			}
		}
	}
	for _, op := range ops {
		o := kv(op)
		first := set[o.key]
		if o.f != "read" || o.value != null || first == nil || op.Call <= first.Return {
			continue
		}
		ev.Add(workload.Anomaly{Kind: KindNullRead, Ops: []int{kv(*first).index, o.index}, Message: fmt.Sprintf(
			"read at op %d returned null for key %d, but op %d (%s) had already set it; lin-kv keys are never deleted, so the read should have seen a value (Maelstrom accepts a null read whatever the key holds)",
			o.index, o.key, kv(*first).index, kv(*first).describe())})
	}
}

// explain checks each key's stretches (segments) on their own to find the
// keys that cannot be linearized, and adds an anomaly for each, about
// its first stretch that fails. It returns the keys.
func explain(ops []porcupine.Operation, budget time.Duration, ev *evidence.Collector, res *workload.Result) []int64 {
	byKey := map[int64][]porcupine.Operation{}
	for _, op := range ops {
		k := op.Input.(kvOp).key
		byKey[k] = append(byKey[k], op)
	}
	var bad []int64
	for _, part := range model.Partition(ops) {
		key := part[0].Input.(kvOp).key
		if slices.Contains(bad, key) {
			continue
		}
		r, info := porcupine.CheckOperationsVerbose(register, part, budget)
		switch r {
		case porcupine.Illegal:
			bad = append(bad, key)
			if len(bad) <= maxShown {
				window, msg := smallestWindow(part, info, byKey[key])
				ev.Add(workload.Anomaly{Kind: KindNonlinearizable, Ops: window, Message: msg})
			}
		case porcupine.Unknown:
			res.Notes = append(res.Notes, workload.Anomaly{Kind: NoteUnknown, Message: fmt.Sprintf(
				"the linearizability search of key %d (%d operations from op %d) did not finish within %s", key, real(part), firstIndex(part), budget)})
		}
	}
	if len(bad) > maxShown {
		res.Notes = append(res.Notes, workload.Anomaly{Kind: KindNonlinearizable, Message: fmt.Sprintf(
			"%d more keys cannot be linearized either: %v", len(bad)-maxShown, bad[maxShown:])})
	}
	return bad
}

// kv is op's input.
func kv(op porcupine.Operation) kvOp { return op.Input.(kvOp) }

// firstIndex is the smallest history index among ops, a carried write
// aside.
func firstIndex(ops []porcupine.Operation) int {
	i := -1
	for _, op := range ops {
		if o := kv(op); !o.carried && (i < 0 || o.index < i) {
			i = o.index
		}
	}
	return i
}

// real counts ops, a carried write aside.
func real(ops []porcupine.Operation) int {
	n := 0
	for _, op := range ops {
		if !kv(op).carried {
			n++
		}
	}
	return n
}

// smallestWindow explains why a stretch of one key's operations (part)
// cannot be linearized, from porcupine's longest partial linearization:
// the operations it fitted in order, after which it was stuck. The stuck
// operation is the first to return among those left (everything invoked
// after its return must follow it, so it has to fit next or nowhere).
// The window around it holds the operations running while it did (the
// only ones that could come between), the last one in the fitted order
// to change the value, and the last ones of the whole key (all) to write
// the value the stuck one expected and the values the others expect; it
// is then made minimal (minimize).
func smallestWindow(part []porcupine.Operation, info porcupine.LinearizationInfo, all []porcupine.Operation) ([]int, string) {
	var longest []int
	if pl := info.PartialLinearizations(); len(pl) > 0 {
		for _, l := range pl[0] {
			if len(l) > len(longest) {
				longest = l
			}
		}
	}
	done := make([]bool, len(part))
	state := null
	var setter *porcupine.Operation
	for _, id := range longest {
		done[id] = true
		o := kv(part[id])
		_, state = step(state, o)
		if o.f != "read" {
			setter = &part[id]
		}
	}
	var x *porcupine.Operation
	for id := range part {
		op := &part[id]
		if !done[id] && (x == nil || op.Return < x.Return || op.Return == x.Return && op.Call < x.Call) {
			x = op
		}
	}
	if x == nil { // cannot happen for a stretch that failed; say what we know
		return []int{firstIndex(part)}, fmt.Sprintf("key %d: no order of its %d operations from op %d fits a single register", kv(part[0]).key, real(part), firstIndex(part))
	}
	xo := kv(*x)
	want := xo.value
	if xo.f == "cas" {
		want = xo.from
	}
	var source *porcupine.Operation
	if xo.f != "write" {
		source = lastWriter(all, want, x.Return, xo.index)
	}
	window := []porcupine.Operation{*x}
	var concurrent []porcupine.Operation
	for _, op := range part {
		if kv(op).index != xo.index && op.Call <= x.Return && x.Call <= op.Return {
			concurrent = append(concurrent, op)
			window = append(window, op)
		}
	}
	keep := []int{xo.index}
	for _, op := range []*porcupine.Operation{setter, source} {
		if op != nil && !kv(*op).carried && !slices.ContainsFunc(window, func(w porcupine.Operation) bool { return kv(w).index == kv(*op).index }) {
			window = append(window, *op)
		}
	}
	if source != nil {
		keep = append(keep, kv(*source).index)
	}
	// The values the window's reads and cas operations expect came from
	// somewhere: the last op of the key to write each, begun by the time
	// the stuck op returned.
	for v := range unexplained(window) {
		if w := lastWriter(all, v, x.Return, xo.index); w != nil && !slices.ContainsFunc(window, func(op porcupine.Operation) bool { return kv(op).index == kv(*w).index }) {
			window = append(window, *w)
		}
	}
	minimal := minimize(window, keep)

	var b strings.Builder
	fmt.Fprintf(&b, "key %d is not linearizable: no order of its operations fits a single register. ", xo.key)
	fitted := len(longest)
	if kv(part[0]).carried {
		fitted--
		fmt.Fprintf(&b, "In its stretch from op %d (%s), which starts from the value %s that every order of the operations before it leaves, the longest order found fits %d", firstIndex(part), plural(real(part), "operation"), kv(part[0]).value, fitted)
	} else {
		fmt.Fprintf(&b, "In its stretch from op %d (%s), the longest order found fits %d", firstIndex(part), plural(real(part), "operation"), fitted)
	}
	if setter != nil && kv(*setter).carried {
		fmt.Fprintf(&b, ", none of them changing the value, which is still %s", state)
	} else if setter != nil {
		fmt.Fprintf(&b, ", the last to change the value being op %d (%s), leaving %s", kv(*setter).index, kv(*setter).describe(), state)
	} else {
		fmt.Fprintf(&b, ", none of them changing the value, which is still %s (never written)", state)
	}
	fmt.Fprintf(&b, "; op %d (%s) cannot come next", xo.index, xo.describe())
	switch xo.f {
	case "read":
		fmt.Fprintf(&b, ": it saw %s where the register holds %s", xo.value, state)
	case "cas":
		fmt.Fprintf(&b, ": it succeeded, so the register held %s, but it holds %s", xo.from, state)
	}
	if len(concurrent) == 0 {
		b.WriteString(", and no operation ran at the same time as it to explain the difference")
	} else {
		fmt.Fprintf(&b, ", and no order of the operations running at the same time (%s) explains it", describeAll(concurrent))
	}
	if xo.f != "write" {
		if source != nil {
			fmt.Fprintf(&b, ". The last operation to write %s before it was op %d (%s)", want, kv(*source).index, kv(*source).describe())
		} else {
			fmt.Fprintf(&b, ". No operation wrote %s before it", want)
		}
	}
	if minimal != nil {
		fmt.Fprintf(&b, ". The smallest window of operations that cannot be ordered even on their own: %s.", describeAll(minimal))
		return indexes(minimal), b.String()
	}
	fmt.Fprintf(&b, ". The operations around the point where the search stopped: %s.", describeAll(window))
	return indexes(window), b.String()
}

// anyStart is the register model starting from a value nobody knows:
// the first operation that shows it (a read of it, a cas from it) fixes
// it. A window that cannot be ordered from any starting value cannot be
// ordered whatever came before it.
var anyStart = func() porcupine.Model {
	m := register
	m.Init = func() any { return unknown }
	m.Step = func(state, input, _ any) (bool, any) {
		s, op := state.(string), input.(kvOp)
		if s == unknown {
			switch {
			case op.f == "read" && op.value != null:
				s = op.value
			case op.f == "cas" && !op.info:
				s = op.from
			}
		}
		return step(s, op)
	}
	return m
}()

// unknown is anyStart's value before anything shows it; no JSON value
// looks like it.
const unknown = "?"

// lastWriter returns the op of all but the one at history index except
// that wrote v (a write, or a cas to it) begun last by the time before,
// or nil.
func lastWriter(all []porcupine.Operation, v string, before int64, except int) *porcupine.Operation {
	var w *porcupine.Operation
	for i := range all {
		op := &all[i]
		o := kv(*op)
		wrote := o.f == "write" && o.value == v || o.f == "cas" && o.to == v
		if wrote && o.index != except && op.Call <= before && (w == nil || op.Call > w.Call) {
			w = op
		}
	}
	return w
}

// minimize returns a smallest subset of window that cannot be
// linearized from any starting value, keeping the ops whose indexes are
// in keep (keep[0] is the stuck op): each other op is dropped if the rest
// still cannot be ordered, leaves no read without the op that wrote its
// value, and, where the window allows it, still needs the stuck op to
// fail (without it the rest could be ordered), so that the window shows
// the contradiction the stuck op is part of, not another one made by
// leaving out the operation that explained some read. It
// returns nil when window itself can be ordered, the contradiction lying
// further back (a chain of cas operations, say).
func minimize(window []porcupine.Operation, keep []int) []porcupine.Operation {
	illegal := func(ops []porcupine.Operation) bool {
		return porcupine.CheckOperationsTimeout(anyStart, ops, time.Second) == porcupine.Illegal
	}
	without := func(ops []porcupine.Operation, index int) []porcupine.Operation {
		return slices.DeleteFunc(slices.Clone(ops), func(op porcupine.Operation) bool { return kv(op).index == index })
	}
	ops := slices.Clone(window)
	slices.SortFunc(ops, func(a, b porcupine.Operation) int { return kv(a).index - kv(b).index })
	if !illegal(ops) {
		return nil
	}
	// A read needs the op that wrote its value: dropping that op leaves a
	// window whose contradiction is a value nobody wrote, not the one at
	// hand. So no drop may leave a value unexplained that was not.
	explained := unexplained(ops)
	essential := !illegal(without(ops, keep[0]))
	fails := func(rest []porcupine.Operation) bool {
		for v := range unexplained(rest) {
			if !explained[v] {
				return false
			}
		}
		return illegal(rest) && (!essential || !illegal(without(rest, keep[0])))
	}
	for i := 0; i < len(ops); {
		if slices.Contains(keep, kv(ops[i]).index) {
			i++
			continue
		}
		rest := slices.Delete(slices.Clone(ops), i, i+1)
		if fails(rest) {
			ops = rest
		} else {
			i++
		}
	}
	return ops
}

// unexplained returns the values some op of ops reads or a cas of them
// expects that no op of ops writes: the value before them, if anything.
func unexplained(ops []porcupine.Operation) map[string]bool {
	wrote := map[string]bool{}
	for _, op := range ops {
		switch o := kv(op); o.f {
		case "write":
			wrote[o.value] = true
		case "cas":
			wrote[o.to] = true
		}
	}
	out := map[string]bool{}
	for _, op := range ops {
		o := kv(op)
		want := o.value
		switch {
		case o.f == "cas":
			want = o.from
		case o.f != "read" || o.value == null:
			continue
		}
		if !wrote[want] {
			out[want] = true
		}
	}
	return out
}

// describeAll names ops in history order: "op 3 (write 2), op 5 (read 1)".
func describeAll(ops []porcupine.Operation) string {
	ops = slices.Clone(ops)
	slices.SortFunc(ops, func(a, b porcupine.Operation) int { return kv(a).index - kv(b).index })
	names := make([]string, len(ops))
	for i, op := range ops {
		names[i] = fmt.Sprintf("op %d (%s)", kv(op).index, kv(op).describe())
	}
	return strings.Join(names, ", ")
}

// indexes are the history indexes of ops, sorted.
func indexes(ops []porcupine.Operation) []int {
	out := make([]int, len(ops))
	for i, op := range ops {
		out[i] = kv(op).index
	}
	slices.Sort(out)
	return out
}

// plural is "1 key", "3 keys".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// decode turns the history into porcupine's operations: ok ones with
// their times, indeterminate ones (info, or never completed) open until
// after every other operation; failed ones certainly did not happen and
// are left out. Flaws become malformed-history and malformed-op anomalies
// in ev, and the operations involved are left out.
func decode(h history.History) ([]porcupine.Operation, evidence.Collector) {
	var ev evidence.Collector
	pairs, problems := h.PairTolerant()
	for _, p := range problems {
		ev.Add(workload.Anomaly{Kind: KindMalformedHistory, Ops: p.Ops, Message: p.Message})
	}
	var end int64
	for _, op := range h {
		end = max(end, int64(op.Time))
	}
	end++
	clients := map[int]int{} // process -> dense id, for the drawing's rows
	var ops []porcupine.Operation
	for i, inv := range h {
		if inv.Type != history.Invoke {
			continue
		}
		j := pairs[i]
		if j < 0 && problemAt(problems, i) {
			continue
		}
		var comp *history.Op
		if j >= 0 {
			comp = &h[j]
			if comp.Type == history.Fail {
				continue
			}
		}
		o, err := decodeOp(inv, comp)
		if err != nil {
			at := i
			if comp != nil {
				at = j
			}
			ev.Add(workload.Anomaly{Kind: KindMalformedOp, Ops: []int{at}, Message: fmt.Sprintf("%s at op %d: %v", inv.F, at, err)})
			continue
		}
		ret := end
		o.index, o.info, o.node = i, true, inv.Node
		if comp != nil {
			o.index = j
			if comp.Type == history.OK {
				o.info = false
				ret = int64(comp.Time)
			}
		}
		if o.f == "read" && o.info {
			continue // a read that did not complete changed nothing
		}
		c, ok := clients[inv.Process]
		if !ok {
			c = len(clients)
			clients[inv.Process] = c
		}
		// A completion recorded before its invocation (a history edited by
		// hand) is taken to return when it was invoked.
		ops = append(ops, porcupine.Operation{ClientId: c, Input: o, Call: int64(inv.Time), Return: max(ret, int64(inv.Time))})
	}
	return ops, ev
}

func problemAt(problems []history.Problem, i int) bool {
	for _, p := range problems {
		if slices.Contains(p.Ops, i) {
			return true
		}
	}
	return false
}

// decodeOp reads an operation's key and values from its invocation and,
// for an ok read, the value its completion returned.
func decodeOp(inv history.Op, comp *history.Op) (kvOp, error) {
	o := kvOp{f: inv.F}
	tuple, err := pair(inv.Value)
	if err != nil {
		return o, err
	}
	key, err := strconv.ParseInt(string(tuple[0]), 10, 64)
	if err != nil {
		return o, fmt.Errorf("key %s is not an integer", tuple[0])
	}
	o.key = key
	switch inv.F {
	case "read":
		if comp == nil || comp.Type != history.OK {
			return o, nil
		}
		got, err := pair(comp.Value)
		if err != nil {
			return o, fmt.Errorf("completion: %v", err)
		}
		if !bytes.Equal(compact(got[0]), compact(tuple[0])) {
			return o, fmt.Errorf("completion is for key %s, the read asked for %s", got[0], tuple[0])
		}
		o.value = string(compact(got[1]))
	case "write":
		o.value = string(compact(tuple[1]))
	case "cas":
		ft, err := pair(tuple[1])
		if err != nil {
			return o, fmt.Errorf("cas value %s is not [from, to]", tuple[1])
		}
		o.from, o.to = string(compact(ft[0])), string(compact(ft[1]))
	default:
		return o, fmt.Errorf("unknown function %q", inv.F)
	}
	return o, nil
}

// pair reads a [key, value] tuple.
func pair(raw json.RawMessage) ([]json.RawMessage, error) {
	if a, b, ok := splitPair(raw); ok {
		return []json.RawMessage{a, b}, nil
	}
	var tuple []json.RawMessage
	if err := json.Unmarshal(raw, &tuple); err != nil || len(tuple) != 2 {
		return nil, fmt.Errorf("value %s is not a [key, value] pair", orNothing(raw))
	}
	return tuple, nil
}

// splitPair is the quick way to read a two-element array whose first
// element holds no comma (a number, null), the shape the client records:
// it spares the reflection of json.Unmarshal, which would be most of the
// checker's time on a long history. Anything else is left to Unmarshal.
func splitPair(raw json.RawMessage) (a, b json.RawMessage, ok bool) {
	s := bytes.TrimSpace(raw)
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return nil, nil, false
	}
	inner := s[1 : len(s)-1]
	i := bytes.IndexByte(inner, ',')
	if i < 0 {
		return nil, nil, false
	}
	a, b = bytes.TrimSpace(inner[:i]), bytes.TrimSpace(inner[i+1:])
	if !json.Valid(a) || !json.Valid(b) {
		return nil, nil, false
	}
	return a, b, true
}

func orNothing(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "(nothing)"
	}
	return string(raw)
}

// compact is raw without insignificant spaces, so equal values compare
// equal as text.
func compact(raw json.RawMessage) []byte {
	if bytes.IndexAny(raw, " \t\r\n") < 0 {
		return raw
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return raw
	}
	return b.Bytes()
}

// Visualize writes porcupine's HTML page of the keys of h that cannot be
// linearized: each key's operations on a time line with the longest
// order the search found. It writes nothing and returns false when every
// key is linearizable (or the search runs out of budget). The report
// calls it for a failed lin-kv run.
func Visualize(w io.Writer, h history.History, budget time.Duration) (bool, error) {
	ops, _ := decode(h)
	var bad [][]porcupine.Operation
	var all []porcupine.Operation
	for _, part := range model.Partition(ops) {
		key := kv(part[0]).key
		if slices.ContainsFunc(bad, func(b []porcupine.Operation) bool { return kv(b[0]).key == key }) {
			continue // the first stretch of a key that fails, as explain's
		}
		if porcupine.CheckOperationsTimeout(register, part, budget) == porcupine.Illegal {
			bad = append(bad, part)
			all = append(all, part...)
		}
	}
	if len(bad) == 0 {
		return false, nil
	}
	m := register
	m.Partition = func([]porcupine.Operation) [][]porcupine.Operation { return bad }
	r, info := porcupine.CheckOperationsVerbose(m, all, budget)
	if r != porcupine.Illegal {
		return false, nil
	}
	info.AddAnnotations(windows(bad, ops, budget))
	return true, porcupine.Visualize(m, info, w)
}

// windows marks, on a row of its own for each key, the time the
// smallest window of the key's failing stretch spans, with the
// explanation the report gives as the mark's details.
func windows(bad [][]porcupine.Operation, ops []porcupine.Operation, budget time.Duration) []porcupine.Annotation {
	var out []porcupine.Annotation
	for _, part := range bad {
		key := kv(part[0]).key
		r, info := porcupine.CheckOperationsVerbose(register, part, budget)
		if r != porcupine.Illegal {
			continue
		}
		all := slices.DeleteFunc(slices.Clone(ops), func(op porcupine.Operation) bool { return kv(op).key != key })
		window, msg := smallestWindow(part, info, all)
		a := porcupine.Annotation{Tag: fmt.Sprintf("key %d", key), Start: math.MaxInt64, End: math.MinInt64,
			Description: "smallest window: ops " + strings.Trim(strings.Join(strings.Fields(fmt.Sprint(window)), ", "), "[]"),
			Details:     msg, BackgroundColor: "#ffd6d6"}
		for _, op := range all {
			if slices.Contains(window, kv(op).index) {
				a.Start, a.End = min(a.Start, op.Call), max(a.End, op.Return)
			}
		}
		if a.Start <= a.End {
			out = append(out, a)
		}
	}
	return out
}
