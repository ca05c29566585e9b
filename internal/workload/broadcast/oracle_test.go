package broadcast

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/workloadtest"
)

// naive is Jepsen's set-full written the way Jepsen computes it: one pass
// over the history in which every ok read updates every value broadcast so
// far. It is O(reads x values), the oracle the fast checker must agree with.
type naive struct {
	value                  int64
	known, present, absent int // history indexes (reads by invocation), -1 for none
	outcome                outcome
	latency                int64
}

func naiveSetFull(h history.History, pairs []int) (map[int64]*naive, int, int) {
	elems := map[int64]*naive{}
	dups := map[int64]bool{}
	strays := map[int64]bool{}
	for i, op := range h {
		switch {
		case op.F == "broadcast" && op.Type == history.Invoke:
			if v, err := parseInt(op.Value); err == nil {
				elems[v] = &naive{value: v, known: -1, present: -1, absent: -1}
			}
		case op.F == "broadcast" && op.Type == history.OK:
			if v, err := parseInt(h[pairs[i]].Value); err == nil && elems[v] != nil && elems[v].known < 0 {
				elems[v].known = i
			}
		case op.F == "read" && op.Type == history.OK:
			vals, err := parseInts(op.Value)
			if err != nil {
				continue
			}
			count := map[int64]int{}
			for _, v := range vals {
				count[v]++
				if count[v] > 1 {
					dups[v] = true
				}
				if elems[v] == nil {
					strays[v] = true
				}
			}
			inv := pairs[i]
			for v, e := range elems {
				if count[v] > 0 {
					if e.known < 0 {
						e.known = i
					}
					e.present = max(e.present, inv)
				} else {
					e.absent = max(e.absent, inv)
				}
			}
		}
	}
	ms := func(d time.Duration) int64 { return int64(max(d, 0) / time.Millisecond) }
	for _, e := range elems {
		switch {
		case e.present >= 0 && e.absent < e.present:
			e.outcome = stable
			t := time.Duration(0)
			if e.absent >= 0 {
				t = h[e.absent].Time + 1
			}
			e.latency = ms(t - h[e.known].Time)
		case e.known >= 0 && e.absent >= 0 && e.present < e.absent && e.known < e.absent:
			e.outcome = lost
			t := time.Duration(0)
			if e.present >= 0 {
				t = h[e.present].Time + 1
			}
			e.latency = ms(t - h[e.known].Time)
		}
	}
	return elems, len(dups), len(strays)
}

// agree runs both checkers on h and reports the first disagreement.
func agree(h history.History) error {
	pairs, err := h.Pair()
	if err != nil {
		return nil
	}
	want, wantDups, wantStrays := naiveSetFull(h, pairs)
	c := newChecker(h, pairs)
	c.scan()
	c.judge()
	if len(c.verdicts) != len(want) {
		return fmt.Errorf("%d values judged, oracle has %d", len(c.verdicts), len(want))
	}
	for _, v := range c.verdicts {
		w := want[v.e.value]
		got := naive{value: v.e.value, known: v.known, present: -1, absent: -1, outcome: v.outcome, latency: v.latency}
		if v.lastPresent >= 0 {
			got.present = c.readAt(v.lastPresent).inv
		}
		if v.lastAbsent >= 0 {
			got.absent = c.readAt(v.lastAbsent).inv
		}
		if v.outcome == neverRead {
			got.latency = 0
		}
		if got != *w {
			return fmt.Errorf("value %d: got %+v, oracle %+v", v.e.value, got, *w)
		}
	}
	if len(c.dupOrder) != wantDups || len(c.unexpOrder) != wantStrays {
		return fmt.Errorf("duplicated %d unexpected %d, oracle %d %d", len(c.dupOrder), len(c.unexpOrder), wantDups, wantStrays)
	}
	return nil
}

// sim simulates a broadcast run for tests and benchmarks: threads bound to
// nodes round-robin, a 50/50 mix of broadcasts and reads, each value
// reaching each node after its own delay (or, on a faulty node, never, or
// only for a while), reads returning what their node holds.
type sim struct {
	ops, nodes, threads int
	// window, when above 0, makes a read return only the window latest
	// values its node holds: a node that keeps a bounded buffer.
	window int
	// faults adds lost values, forgotten values, repeats, strays, timeouts.
	faults bool
	// final adds one final read per thread at the end.
	final bool
}

func (s sim) history(rnd *rand.Rand) history.History {
	var b history.Builder
	type open struct {
		f    string
		v    int64
		proc int
	}
	inflight := make([]*open, s.threads)
	proc := make([]int, s.threads)
	for i := range proc {
		proc[i] = i
	}
	var arrive [][]time.Duration // value -> node -> arrival time; <0 never
	var forget [][]time.Duration // value -> node -> time it vanishes; 0 never
	now := time.Duration(0)
	node := func(t int) string { return fmt.Sprintf("n%d", t%s.nodes) }
	readAt := func(n int, at time.Duration) []int64 {
		out := []int64{}
		lo := 0
		if s.window > 0 {
			lo = max(0, len(arrive)-4*s.window)
		}
		for v := lo; v < len(arrive); v++ {
			a := arrive[v][n]
			if a >= 0 && a <= at && (forget[v][n] == 0 || at < forget[v][n]) {
				out = append(out, int64(v))
			}
		}
		if s.window > 0 && len(out) > s.window {
			out = out[len(out)-s.window:]
		}
		if s.faults && len(out) > 0 && rnd.IntN(50) == 0 {
			out = append(out, out[rnd.IntN(len(out))]) // a repeat
		}
		if s.faults && rnd.IntN(100) == 0 {
			out = append(out, int64(1_000_000+rnd.IntN(10))) // a stray
		}
		rnd.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
		return out
	}
	complete := func(t int) {
		o := inflight[t]
		inflight[t] = nil
		op := history.Op{Time: now, Process: o.proc, F: o.f, Node: node(t)}
		switch {
		case s.faults && rnd.IntN(20) == 0:
			op.Type, op.Error = history.Info, "timeout"
			if o.f == "read" {
				op.Type = history.Fail
			}
			proc[t] += s.threads
		case o.f == "broadcast":
			op.Type, op.Value = history.OK, history.Value(o.v)
		default:
			op.Type, op.Value = history.OK, history.Value(readAt(t%s.nodes, now))
		}
		b.Add(op)
	}
	for len(b.History()) < s.ops {
		now += time.Duration(rnd.IntN(10_000)) * time.Microsecond
		t := rnd.IntN(s.threads)
		if inflight[t] != nil {
			complete(t)
			continue
		}
		o := &open{f: "read", proc: proc[t]}
		op := history.Op{Time: now, Type: history.Invoke, Process: proc[t], F: "read", Node: node(t)}
		if rnd.IntN(2) == 0 {
			o.f, o.v = "broadcast", int64(len(arrive))
			op.F, op.Value = "broadcast", history.Value(o.v)
			a := make([]time.Duration, s.nodes)
			f := make([]time.Duration, s.nodes)
			for n := range a {
				a[n] = now + time.Duration(rnd.IntN(300))*time.Millisecond
				if n == t%s.nodes {
					a[n] = now
				}
				if s.faults && rnd.IntN(30) == 0 {
					a[n] = -1
				}
				if s.faults && rnd.IntN(30) == 0 {
					f[n] = a[n] + time.Duration(1+rnd.IntN(2000))*time.Millisecond
				}
			}
			arrive = append(arrive, a)
			forget = append(forget, f)
		}
		inflight[t] = o
		b.Add(op)
	}
	for t := range inflight {
		if inflight[t] != nil {
			now += time.Millisecond
			complete(t)
		}
	}
	if s.final {
		now += 10 * time.Second
		for t := range s.threads {
			b.Add(history.Op{Time: now, Type: history.Invoke, Process: proc[t], F: "read", Final: true, Node: node(t)})
			inflight[t] = &open{f: "read", proc: proc[t]}
			now += time.Millisecond
			complete(t)
			b.History()[len(b.History())-1].Final = true
		}
	}
	return b.History()
}

// The fast checker agrees with the naive one on simulated runs, healthy
// and faulty.
func TestAgreesWithNaiveSetFull(t *testing.T) {
	rnd := rand.New(rand.NewPCG(2024, 1))
	for i := range 300 {
		s := sim{ops: 20 + rnd.IntN(400), nodes: 1 + rnd.IntN(5), threads: 1 + rnd.IntN(8), faults: i%2 == 1, final: i%3 != 0}
		if i%5 == 0 {
			s.window = 1 + rnd.IntN(8)
		}
		h := s.history(rnd)
		if err := agree(h); err != nil {
			t.Fatalf("run %d (%+v): %v", i, s, err)
		}
	}
}

// A healthy simulated run passes; a faulty one is flagged, with the
// simulator's repeats and strays named.
func TestSimulatedRuns(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 5))
	healthy := sim{ops: 2000, nodes: 5, threads: 5, final: true}.history(rnd)
	if res := Check(healthy); res.Validity != workload.Valid || res.Metrics["lost_count"] != 0 {
		t.Errorf("healthy run: %s %+v", res.Validity, res.Anomalies)
	}
	faulty := sim{ops: 2000, nodes: 5, threads: 5, final: true, faults: true}.history(rnd)
	res := Check(faulty)
	kinds := map[string]bool{}
	for _, a := range res.Anomalies {
		kinds[a.Kind] = true
	}
	if res.Validity != workload.Invalid || !kinds[KindLost] || !kinds[KindDuplicate] || !kinds[KindUnexpected] {
		t.Errorf("faulty run: %s, kinds %v", res.Validity, kinds)
	}
}

func fuzzValue(in *workloadtest.Bytes, f string, typ history.Type) json.RawMessage {
	sel := in.Byte()
	switch {
	case sel >= 240:
		return workloadtest.Pick(in)
	case f == "broadcast" && typ == history.Invoke:
		return history.Value(int64(sel % 16))
	case f == "read" && typ == history.OK:
		n := int(sel % 8)
		vals := make([]int64, 0, n)
		for _, c := range in.Next(n) {
			vals = append(vals, int64(c%20))
		}
		return history.Value(vals)
	}
	return nil
}

func FuzzCheck(f *testing.F) {
	f.Add([]byte{})
	// broadcast 1, ok, read [1], read [] on another process.
	f.Add([]byte{0, 5, 1, 8, 5, 0, 33, 5, 0, 32, 5, 2, 1, 1, 65, 5, 0, 64, 5, 0})
	f.Add([]byte{31, 0, 30, 0, 29, 0, 0, 0, 0, 0, 7, 0, 1})
	f.Add([]byte("arbitrary bytes, read as a broadcast history; any of them"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h := workloadtest.FuzzHistory(data, []string{"broadcast", "read"}, fuzzValue)
		res := Check(h)
		if (res.Validity == workload.Invalid) != (len(res.Anomalies) > 0) {
			t.Fatalf("validity %s with %d anomalies", res.Validity, len(res.Anomalies))
		}
		if res.Metrics != nil {
			m := res.Metrics
			if m["stable_count"].(int)+m["lost_count"].(int)+m["never_read_count"].(int) != m["attempt_count"].(int) {
				t.Fatalf("outcomes do not add up: %v", m)
			}
		}
		if err := agree(h); err != nil {
			t.Fatal(err)
		}
	})
}

// BenchmarkCheck measures the checker on simulated runs. window64 is a node
// that keeps only its 64 latest values (reads stay small, most values are
// lost), so the cost is the checker's own, not the input's; full reads
// return every value, so the input itself grows with ops squared.
func BenchmarkCheck(b *testing.B) {
	cases := []struct {
		name string
		s    sim
	}{
		{"ops=10000/window64", sim{ops: 10_000, nodes: 25, threads: 25, window: 64, final: true}},
		{"ops=100000/window64", sim{ops: 100_000, nodes: 25, threads: 25, window: 64, final: true}},
		{"ops=10000/full", sim{ops: 10_000, nodes: 25, threads: 25, final: true}},
	}
	for _, c := range cases {
		h := c.s.history(rand.New(rand.NewPCG(1, 2)))
		values := 0
		for _, op := range h {
			if op.F == "read" && op.Type == history.OK {
				values += strings.Count(string(op.Value), ",") + 1
			}
		}
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				Check(h)
			}
			b.ReportMetric(float64(values), "values-read")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(values), "ns/value")
		})
	}
}
