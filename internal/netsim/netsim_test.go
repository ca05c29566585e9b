package netsim

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/proto"
)

const ms = time.Millisecond

func msg(src, dest, typ string) proto.Message {
	return proto.Message{Src: src, Dest: dest, Body: json.RawMessage(`{"type":"` + typ + `"}`)}
}

func newNet(t *testing.T, cfg Config) *Net {
	t.Helper()
	n := New(cfg)
	for _, id := range []string{"n0", "n1", "n2"} {
		n.Add(id, Node)
	}
	n.Add("lin-kv", Service)
	n.Add("c0", Client)
	return n
}

func mustSend(t *testing.T, n *Net, m proto.Message, now time.Duration) Event {
	t.Helper()
	ev, err := n.Send(m, now)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// drain delivers everything due at or before now.
func drain(n *Net, now time.Duration) []Event {
	var out []Event
	for {
		ev, ok := n.Deliver(now)
		if !ok {
			return out
		}
		out = append(out, ev)
	}
}

// Maelstrom net.clj latency-for: client links are free, server and service
// links pay the latency.
func TestClientLinksHaveNoLatency(t *testing.T) {
	n := newNet(t, Config{Latency: 100 * ms})
	for _, tc := range []struct {
		m    proto.Message
		want time.Duration
	}{
		{msg("c0", "n0", "echo"), 0},
		{msg("n0", "c0", "echo_ok"), 0},
		{msg("n0", "n1", "gossip"), 100 * ms},
		{msg("n0", "lin-kv", "read"), 100 * ms},
		{msg("lin-kv", "n0", "read_ok"), 100 * ms},
	} {
		ev := mustSend(t, n, tc.m, 5*ms)
		if got := ev.Deadline - ev.Time; got != tc.want {
			t.Errorf("%s: latency %v, want %v", proto.Describe(tc.m), got, tc.want)
		}
	}
}

func TestIDsAreDenseFromZero(t *testing.T) {
	n := newNet(t, Config{})
	for i := range 3 {
		ev := mustSend(t, n, msg("c0", "n0", "echo"), 0)
		if *ev.Msg.ID != int64(i) {
			t.Fatalf("message %d got id %d", i, *ev.Msg.ID)
		}
	}
}

func TestUnknownEndpointsAreErrors(t *testing.T) {
	n := newNet(t, Config{})
	if _, err := n.Send(msg("n0", "n9", "x"), 0); err == nil || err.Error() != `n0 sent a message to unknown destination "n9"` {
		t.Errorf("unknown dest: got %v", err)
	}
	if _, err := n.Send(msg("zz", "n0", "x"), 0); err == nil {
		t.Error("unknown src: no error")
	}
	if n.Stats().All.SendCount != 0 {
		t.Error("a refused message was counted")
	}
}

func TestDeliveryWaitsForDeadline(t *testing.T) {
	n := newNet(t, Config{Latency: 100 * ms})
	mustSend(t, n, msg("n0", "n1", "gossip"), 10*ms)
	if d, ok := n.NextDeadline(); !ok || d != 110*ms {
		t.Fatalf("NextDeadline = %v %v, want 110ms", d, ok)
	}
	if evs := drain(n, 109*ms); len(evs) != 0 {
		t.Fatalf("delivered early: %v", evs)
	}
	evs := drain(n, 110*ms)
	if len(evs) != 1 || evs[0].Kind != Recv || evs[0].Time != 110*ms {
		t.Fatalf("got %+v", evs)
	}
	if n.InFlight() != 0 {
		t.Error("queue not empty")
	}
}

// Maelstrom net.clj recv!: a receiver checks the partition when it takes
// a message, before waiting for its deadline. A message taken before a cut
// is delivered; one still waiting when the cut starts is dropped; one sent
// into a cut to a free receiver is dropped at once.
func TestPartitionAppliesWhenTaken(t *testing.T) {
	n := newNet(t, Config{Latency: 100 * ms})
	mustSend(t, n, msg("n0", "n1", "taken"), 0)       // n1 free: taken at 0, due 100
	mustSend(t, n, msg("n2", "n1", "waiting"), 10*ms) // n1 busy: waits
	n.Partition(Grudge{"n1": {"n0", "n2"}, "n2": {"n0"}})
	mustSend(t, n, msg("n0", "n2", "into-cut"), 20*ms) // n2 free and cut: dropped at once

	var got []string
	note := func(evs []Event) {
		for _, ev := range evs {
			got = append(got, string(ev.Kind)+" "+proto.DescribeBody(ev.Msg.Body))
		}
	}
	note(drain(n, 20*ms))
	note(drain(n, 100*ms)) // "taken" arrives; n1 then takes "waiting" under the cut
	n.Heal()
	mustSend(t, n, msg("n0", "n1", "healed"), 150*ms)
	note(drain(n, time.Hour))
	want := []string{"drop into-cut", "recv taken", "drop waiting", "recv healed"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if n.InFlight() != 0 {
		t.Errorf("InFlight = %d after draining", n.InFlight())
	}
}

// Maelstrom net.clj recv! sleeps until the message it took is due, so a
// client's request (no latency) that arrives meanwhile waits behind it.
func TestHeadOfLineBlocking(t *testing.T) {
	n := newNet(t, Config{Latency: 100 * ms})
	mustSend(t, n, msg("n0", "n1", "gossip"), 0)
	ev := mustSend(t, n, msg("c0", "n1", "read"), 10*ms)
	if ev.Deadline != 10*ms {
		t.Fatalf("client request deadline %v, want 10ms (no latency)", ev.Deadline)
	}
	if evs := drain(n, 99*ms); len(evs) != 0 {
		t.Fatalf("delivered while n1's receiver waits for the gossip: %+v", evs)
	}
	var got []string
	for _, ev := range drain(n, 100*ms) {
		got = append(got, proto.DescribeBody(ev.Msg.Body))
	}
	if want := []string{"gossip", "read"}; !slices.Equal(got, want) {
		t.Fatalf("at 100ms got %q, want %q", got, want)
	}
	// Other destinations are not held up: n2's receiver is its own.
	mustSend(t, n, msg("n0", "n1", "gossip"), 200*ms)
	mustSend(t, n, msg("c0", "n2", "read"), 210*ms)
	if evs := drain(n, 210*ms); len(evs) != 1 || evs[0].Msg.Dest != "n2" {
		t.Fatalf("n2's request waited for n1's receiver: %+v", evs)
	}
}

func TestClientsAndServicesAreNeverPartitioned(t *testing.T) {
	n := newNet(t, Config{})
	n.Partition(Grudge{"n0": {"c0", "lin-kv", "n1", "n0", "n7"}, "c0": {"n0"}, "lin-kv": {"n0"}})
	if got := n.Grudge().String(); got != "n0 drops n1" {
		t.Fatalf("grudge = %q", got)
	}
	for _, m := range []proto.Message{msg("c0", "n0", "a"), msg("lin-kv", "n0", "b"), msg("n0", "c0", "c"), msg("n0", "lin-kv", "d")} {
		mustSend(t, n, m, 0)
	}
	for _, ev := range drain(n, 0) {
		if ev.Kind != Recv {
			t.Errorf("%s was %s", proto.Describe(ev.Msg), ev.Kind)
		}
	}
}

// Maelstrom net/checker.clj: clients bucket = a client at either end;
// servers = the rest; dropped messages are sent but not received.
func TestStatsAgainstHandCount(t *testing.T) {
	n := newNet(t, Config{Latency: 10 * ms})
	mustSend(t, n, msg("c0", "n0", "broadcast"), 0)    // client
	mustSend(t, n, msg("n0", "c0", "broadcast_ok"), 0) // client
	mustSend(t, n, msg("n0", "n1", "gossip"), 0)       // server
	mustSend(t, n, msg("n0", "lin-kv", "read"), 0)     // server, in flight at the end
	n.Partition(Grudge{"n2": {"n0"}})
	mustSend(t, n, msg("n0", "n2", "gossip"), 0) // server, dropped
	drain(n, 0)
	if n.InFlight() != 2 {
		t.Fatalf("InFlight = %d, want 2", n.InFlight())
	}
	drain(n, 10*ms-1)
	ev, _ := n.Deliver(10 * ms)
	if ev.Kind != Recv || ev.Msg.Dest != "n1" {
		t.Fatalf("got %s to %s", ev.Kind, ev.Msg.Dest)
	}
	want := Stats{
		All:     Bucket{SendCount: 5, RecvCount: 3, MsgCount: 5},
		Clients: Bucket{SendCount: 2, RecvCount: 2, MsgCount: 2},
		Servers: Bucket{SendCount: 3, RecvCount: 1, MsgCount: 3},
	}
	if got := n.Stats(); got != want {
		t.Fatalf("stats = %+v, want %+v", got, want)
	}
	if got := want.Servers.PerOp(2); got != 1.5 {
		t.Errorf("servers per op = %v, want 1.5", got)
	}
	if got := want.Servers.PerOp(0); got != 0 {
		t.Errorf("per op with no ops = %v", got)
	}
}

func TestLatencyDistributions(t *testing.T) {
	const N = 20000
	for _, tc := range []struct {
		dist     Dist
		lo, hi   time.Duration // every draw in [lo, hi]
		meanLo   float64       // mean in ms within [meanLo, meanHi]
		meanHi   float64
		distinct int // at least this many distinct values
	}{
		{Constant, 100 * ms, 100 * ms, 100, 100, 1},
		{Uniform, 0, 199 * ms, 97, 103, 200},
		{Exponential, 0, time.Hour, 95, 105, 300},
	} {
		t.Run(string(tc.dist), func(t *testing.T) {
			n := newNet(t, Config{Latency: 100 * ms, Dist: tc.dist, Rand: rand.New(rand.NewPCG(1, 2))})
			var sum float64
			seen := map[time.Duration]bool{}
			for range N {
				ev := mustSend(t, n, msg("n0", "n1", "x"), 0)
				d := ev.Deadline
				if d < tc.lo || d > tc.hi {
					t.Fatalf("latency %v outside [%v, %v]", d, tc.lo, tc.hi)
				}
				if d%ms != 0 {
					t.Fatalf("latency %v is not whole milliseconds", d)
				}
				sum += float64(d / ms)
				seen[d] = true
			}
			mean := sum / N
			if mean < tc.meanLo || mean > tc.meanHi {
				t.Errorf("mean %.1f ms outside [%v, %v]", mean, tc.meanLo, tc.meanHi)
			}
			if len(seen) < tc.distinct {
				t.Errorf("%d distinct latencies, want at least %d", len(seen), tc.distinct)
			}
		})
	}
}

func TestSameSeedSameDeliveries(t *testing.T) {
	run := func() []int64 {
		n := newNet(t, Config{Latency: 50 * ms, Dist: Exponential, Rand: rand.New(rand.NewPCG(7, 7))})
		for i := range 200 {
			mustSend(t, n, msg("n0", "n1", "x"), time.Duration(i)*ms)
		}
		var ids []int64
		for _, ev := range drain(n, time.Hour) {
			ids = append(ids, *ev.Msg.ID)
		}
		return ids
	}
	a, b := run(), run()
	if !slices.Equal(a, b) {
		t.Fatal("same seed, different delivery order")
	}
	if slices.IsSorted(a) {
		t.Fatal("exponential latency never reordered 200 messages: draws are not random")
	}
}

// The network against a naive oracle of Maelstrom's stdin threads, one per
// destination: when free at time t, a receiver takes the waiting message
// with the earliest deadline (then send order), sleeps until it is due and
// delivers it; with nothing waiting, it takes the next message when it is
// sent. The driver, like the router, delivers what is due before each send.
func TestReceiversMatchOracle(t *testing.T) {
	type sent struct {
		seq            int
		dest           string
		time, deadline time.Duration
		id             int64
	}
	oracle := func(all []sent, dest string) []int64 {
		var sends, waiting []sent
		for _, s := range all {
			if s.dest == dest {
				sends = append(sends, s)
			}
		}
		var order []int64
		free, next := time.Duration(0), 0
		for next < len(sends) || len(waiting) > 0 {
			var m sent
			if len(waiting) == 0 {
				m, next = sends[next], next+1
				free = max(free, m.time)
			} else {
				i := 0
				for j, w := range waiting {
					if w.deadline < waiting[i].deadline || w.deadline == waiting[i].deadline && w.seq < waiting[i].seq {
						i = j
					}
				}
				m = waiting[i]
				waiting = slices.Delete(waiting, i, i+1)
			}
			free = max(free, m.deadline)
			order = append(order, m.id)
			for next < len(sends) && sends[next].time < free {
				waiting = append(waiting, sends[next])
				next++
			}
		}
		return order
	}
	for trial := range 50 {
		rnd := rand.New(rand.NewPCG(uint64(trial), 9))
		n := newNet(t, Config{Latency: 20 * ms, Dist: Uniform, Rand: rand.New(rand.NewPCG(uint64(trial), 0))})
		var all []sent
		got := map[string][]int64{}
		collect := func(evs []Event) {
			for _, ev := range evs {
				got[ev.Msg.Dest] = append(got[ev.Msg.Dest], *ev.Msg.ID)
			}
		}
		now := time.Duration(0)
		for i := range 300 {
			now += time.Duration(1+rnd.IntN(5)) * ms
			collect(drain(n, now))
			src, dest := "n0", []string{"n1", "n2"}[rnd.IntN(2)]
			if rnd.IntN(4) == 0 {
				src = "c0" // no latency: overtakes nothing, waits behind the taken one
			}
			ev := mustSend(t, n, msg(src, dest, "x"), now)
			all = append(all, sent{seq: i, dest: dest, time: now, deadline: ev.Deadline, id: *ev.Msg.ID})
		}
		collect(drain(n, time.Hour))
		for _, dest := range []string{"n1", "n2"} {
			if want := oracle(all, dest); !slices.Equal(got[dest], want) {
				t.Fatalf("trial %d, %s: delivered %v, oracle %v", trial, dest, got[dest], want)
			}
		}
	}
}

func TestParseDist(t *testing.T) {
	if _, err := ParseDist("gaussian"); err == nil || err.Error() != `unknown latency distribution "gaussian" (valid: constant, uniform, exponential)` {
		t.Errorf("got %v", err)
	}
	if d, err := ParseDist("uniform"); err != nil || d != Uniform {
		t.Errorf("got %v %v", d, err)
	}
}

func BenchmarkRoute25Nodes(b *testing.B) {
	n := New(Config{Latency: 100 * ms, Dist: Exponential, Rand: rand.New(rand.NewPCG(1, 1))})
	var nodes []string
	for i := range 25 {
		id := "n" + string(rune('a'+i))
		nodes = append(nodes, id)
		n.Add(id, Node)
	}
	body := json.RawMessage(`{"type":"gossip","messages":[1,2,3]}`)
	b.ReportAllocs()
	now := time.Duration(0)
	for i := 0; b.Loop(); i++ {
		now += 10 * time.Microsecond
		if _, err := n.Send(proto.Message{Src: nodes[i%25], Dest: nodes[(i*7+1)%25], Body: body}, now); err != nil {
			b.Fatal(err)
		}
		for {
			if _, ok := n.Deliver(now); !ok {
				break
			}
		}
	}
}
