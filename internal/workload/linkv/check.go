package linkv

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
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
var model = porcupine.Model{
	Partition: func(ops []porcupine.Operation) [][]porcupine.Operation {
		byKey := map[int64][]porcupine.Operation{}
		for _, op := range ops {
			k := op.Input.(kvOp).key
			byKey[k] = append(byKey[k], op)
		}
		out := make([][]porcupine.Operation, 0, len(byKey))
		for _, k := range slices.Sorted(maps.Keys(byKey)) {
			out = append(out, byKey[k])
		}
		return out
	},
	Init: func() any { return null },
	Step: func(state, input, _ any) (bool, any) {
		return step(state.(string), input.(kvOp))
	},
	DescribeOperation: func(input, _ any) string {
		o := input.(kvOp)
		return fmt.Sprintf("op %d: %s", o.index, o.describe())
	},
	DescribeState: func(state any) string { return state.(string) },
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
	counts := map[string]int{}
	for _, o := range ops {
		keys[o.Input.(kvOp).key] = true
		counts[o.Input.(kvOp).f]++
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
	res.Anomalies = ev.Kept()
	res.Notes = append(res.Notes, ev.NotListed()...)
	if len(res.Anomalies) > 0 {
		res.Validity = workload.Invalid
	}
	return res
}

// explain checks each key on its own to find those that cannot be
// linearized, and adds an anomaly for each. It returns the keys.
func explain(ops []porcupine.Operation, budget time.Duration, ev *evidence.Collector, res *workload.Result) []int64 {
	var bad []int64
	for _, part := range model.Partition(ops) {
		key := part[0].Input.(kvOp).key
		r, info := porcupine.CheckOperationsVerbose(model, part, budget)
		switch r {
		case porcupine.Illegal:
			bad = append(bad, key)
			if len(bad) <= maxShown {
				window, msg := smallestWindow(part, info)
				ev.Add(workload.Anomaly{Kind: KindNonlinearizable, Ops: window, Message: msg})
			}
		case porcupine.Unknown:
			res.Notes = append(res.Notes, workload.Anomaly{Kind: NoteUnknown, Message: fmt.Sprintf(
				"the linearizability search of key %d (%d operations) did not finish within %s", key, len(part), budget)})
		}
	}
	if len(bad) > maxShown {
		res.Notes = append(res.Notes, workload.Anomaly{Kind: KindNonlinearizable, Message: fmt.Sprintf(
			"%d more keys cannot be linearized either: %v", len(bad)-maxShown, bad[maxShown:])})
	}
	return bad
}

// smallestWindow explains why one key's operations (part) cannot be
// linearized, from porcupine's longest partial linearization: the
// operations it fitted in order, after which it was stuck. The stuck
// operation is the first to return among those left (everything after
// its return must follow it, so it has to fit next or nowhere); the
// window is that operation, the ones running while it did (the only ones
// that could have come between), and the last one in the fitted order
// that set the value the stuck one contradicts.
func smallestWindow(part []porcupine.Operation, info porcupine.LinearizationInfo) ([]int, string) {
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
	setter := -1
	for _, id := range longest {
		done[id] = true
		o := part[id].Input.(kvOp)
		_, state = step(state, o)
		if o.f != "read" {
			setter = id
		}
	}
	stuck := -1
	for id := range part {
		if done[id] {
			continue
		}
		if stuck < 0 || part[id].Return < part[stuck].Return ||
			part[id].Return == part[stuck].Return && part[id].Call < part[stuck].Call {
			stuck = id
		}
	}
	if stuck < 0 { // cannot happen for an illegal key; say what we know
		o := part[0].Input.(kvOp)
		return []int{o.index}, fmt.Sprintf("key %d: no order of its %d operations fits a single register", o.key, len(part))
	}
	x := part[stuck]
	xo := x.Input.(kvOp)
	// The op that last wrote (before x returned) the value x expects, so
	// that the window shows where that value came from.
	want := xo.value
	if xo.f == "cas" {
		want = xo.from
	}
	source := -1
	if xo.f != "write" {
		for id, op := range part {
			o := op.Input.(kvOp)
			wrote := o.f == "write" && o.value == want || o.f == "cas" && o.to == want
			if id != stuck && wrote && op.Call <= x.Return && (source < 0 || op.Call > part[source].Call) {
				source = id
			}
		}
	}
	var concurrent []int
	window := []int{stuck}
	for id, op := range part {
		if id != stuck && op.Call <= x.Return && x.Call <= op.Return {
			concurrent = append(concurrent, id)
			window = append(window, id)
		}
	}
	for _, id := range []int{setter, source} {
		if id >= 0 && !slices.Contains(window, id) {
			window = append(window, id)
		}
	}
	minimal := minimize(part, window, []int{stuck, source})

	var b strings.Builder
	fmt.Fprintf(&b, "key %d is not linearizable: no order of its %d operations fits a single register. ", xo.key, len(part))
	fmt.Fprintf(&b, "The longest order found fits %d of them", len(longest))
	if setter >= 0 {
		so := part[setter].Input.(kvOp)
		fmt.Fprintf(&b, ", the last to change the value being op %d (%s), leaving %s", so.index, so.describe(), state)
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
		fmt.Fprintf(&b, ", and no order of the operations running at the same time (%s) explains it", describeAll(part, concurrent))
	}
	if xo.f != "write" {
		if source >= 0 {
			so := part[source].Input.(kvOp)
			fmt.Fprintf(&b, ". The last operation to write %s before it was op %d (%s)", want, so.index, so.describe())
		} else {
			fmt.Fprintf(&b, ". No operation wrote %s before it", want)
		}
	}
	if minimal != nil {
		fmt.Fprintf(&b, ". The smallest window of operations that cannot be ordered even on their own: %s.", describeAll(part, minimal))
		return indexes(part, minimal), b.String()
	}
	fmt.Fprintf(&b, ". The operations around the point where the search stopped: %s.", describeAll(part, window))
	return indexes(part, window), b.String()
}

// minimize returns a smallest subset of window (part's op ids) that is
// not linearizable by itself, keeping the ops in keep (-1 for none): each
// other op is dropped if the rest still cannot be ordered. It returns nil
// when window itself can be ordered, the contradiction lying further
// back (a chain of cas operations, say).
func minimize(part []porcupine.Operation, window, keep []int) []int {
	illegal := func(ids []int) bool {
		sub := make([]porcupine.Operation, len(ids))
		for i, id := range ids {
			sub[i] = part[id]
		}
		return porcupine.CheckOperationsTimeout(model, sub, time.Second) == porcupine.Illegal
	}
	ids := slices.Clone(window)
	slices.Sort(ids)
	if !illegal(ids) {
		return nil
	}
	for i := 0; i < len(ids); {
		if slices.Contains(keep, ids[i]) {
			i++
			continue
		}
		rest := slices.Delete(slices.Clone(ids), i, i+1)
		if illegal(rest) {
			ids = rest
		} else {
			i++
		}
	}
	return ids
}

// describeAll names part's ops ids in history order: "op 3 (write 2), op 5 (read 1)".
func describeAll(part []porcupine.Operation, ids []int) string {
	ids = slices.Clone(ids)
	slices.SortFunc(ids, func(a, b int) int { return part[a].Input.(kvOp).index - part[b].Input.(kvOp).index })
	names := make([]string, len(ids))
	for i, id := range ids {
		o := part[id].Input.(kvOp)
		names[i] = fmt.Sprintf("op %d (%s)", o.index, o.describe())
	}
	return strings.Join(names, ", ")
}

// indexes are the history indexes of part's ops ids, sorted.
func indexes(part []porcupine.Operation, ids []int) []int {
	out := make([]int, len(ids))
	for i, id := range ids {
		out[i] = part[id].Input.(kvOp).index
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
		ops = append(ops, porcupine.Operation{ClientId: c, Input: o, Call: int64(inv.Time), Return: ret})
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
	if err := json.Unmarshal(tuple[0], &o.key); err != nil {
		return o, fmt.Errorf("key %s is not an integer", tuple[0])
	}
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
		var ft []json.RawMessage
		if err := json.Unmarshal(tuple[1], &ft); err != nil || len(ft) != 2 {
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
	var tuple []json.RawMessage
	if err := json.Unmarshal(raw, &tuple); err != nil || len(tuple) != 2 {
		return nil, fmt.Errorf("value %s is not a [key, value] pair", orNothing(raw))
	}
	return tuple, nil
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
	var bad []porcupine.Operation
	for _, part := range model.Partition(ops) {
		if porcupine.CheckOperationsTimeout(model, part, budget) == porcupine.Illegal {
			bad = append(bad, part...)
		}
	}
	if len(bad) == 0 {
		return false, nil
	}
	r, info := porcupine.CheckOperationsVerbose(model, bad, budget)
	if r != porcupine.Illegal {
		return false, nil
	}
	return true, porcupine.Visualize(model, info, w)
}
