package kafka

import (
	"encoding/json"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

func okSend(key string, msg, offset int64) workload.Completion {
	return workload.Completion{Type: history.OK, Value: history.Value(SendValue{Key: key, Msg: history.Value(msg), Offset: &offset})}
}

func okPoll(msgs map[string][]Pair) workload.Completion {
	return workload.Completion{Type: history.OK, Value: history.Value(PollValue{Offsets: map[string]int64{}, Msgs: msgs})}
}

// Jepsen kafka + Elle wr-txns, as Maelstrom configures them: length-1
// sends and polls in equal measure, assigns before about 1/64 of them, keys
// drawn so that active key i is twice as likely as key i-1, each key
// receiving messages 1..max-writes-per-key and then replaced by a new key.
func TestGeneratorDistribution(t *testing.T) {
	opts := workload.Options{Nodes: []string{"n0"}, Concurrency: 2, KeyCount: 10, MaxWritesPerKey: 16}
	g := New().NewGenerator(opts).(*generator)
	rnd := rand.New(rand.NewPCG(1, 2))
	const n = 100000
	count := map[string]int{}
	last := map[int]int{} // key -> last message sent
	now := time.Duration(0)
	for range n {
		now += time.Millisecond
		pending := g.pending
		inv, ok := g.Next(0, now, rnd)
		if !ok {
			t.Fatal("main generator ran dry")
		}
		if inv.Final || inv.Delay != 0 {
			t.Fatalf("main-phase op %+v marked final or delayed", inv)
		}
		count[inv.F]++
		switch inv.F {
		case "send":
			var v SendValue
			if err := json.Unmarshal(inv.Value, &v); err != nil {
				t.Fatal(err)
			}
			k, err := strconv.Atoi(v.Key)
			if err != nil {
				t.Fatalf("key %q is not a decimal string", v.Key)
			}
			var msg int
			_ = json.Unmarshal(v.Msg, &msg)
			if msg != last[k]+1 || msg > 16 {
				t.Fatalf("key %d got message %d after %d", k, msg, last[k])
			}
			last[k] = msg
		case "assign":
			var v AssignValue
			if err := json.Unmarshal(inv.Value, &v); err != nil || len(v.Keys) == 0 || v.SeekToBeginning {
				t.Fatalf("assign %s", inv.Value)
			}
			if pending != nil && v.Keys[0] != strconv.Itoa(pending.key) {
				t.Fatalf("assign %v does not start with the next op's key %d", v.Keys, pending.key)
			}
		case "poll", "crash":
			if inv.Value != nil {
				t.Fatalf("%s with value %s", inv.F, inv.Value)
			}
		default:
			t.Fatalf("unexpected op %q", inv.F)
		}
		if len(g.active) != 10 {
			t.Fatalf("%d active keys, want 10", len(g.active))
		}
	}
	txns := count["send"] + count["poll"]
	if f := float64(count["send"]) / float64(txns); math.Abs(f-0.5) > 0.02 {
		t.Errorf("sends are %.3f of sends and polls, want about 1/2", f)
	}
	if f := float64(count["assign"]) / float64(txns); math.Abs(f-1.0/64) > 0.003 {
		t.Errorf("assigns are %.4f per send or poll, want about 1/64", f)
	}
	// Exponential keys: each position in the active list about twice as
	// popular as the one before.
	byRank := make([]int, 10)
	for range n {
		tx := g.draw(rnd)
		byRank[slices.Index(g.active, tx.key)]++
	}
	for r := 5; r < 10; r++ {
		if ratio := float64(byRank[r]) / float64(byRank[r-1]); ratio < 1.8 || ratio > 2.2 {
			t.Errorf("position %d has %.2f times the ops of position %d, want about 2 (%v)", r, ratio, r-1, byRank)
		}
	}
	// Retirement: keys filled up and fresh keys took their place.
	full := 0
	for _, m := range last {
		if m == 16 {
			full++
		}
	}
	if full == 0 || slices.Max(g.active) < 10 {
		t.Errorf("no key was retired: %d full keys, active %v", full, g.active)
	}
	// Crashes: mean gap 30 s / concurrency 2 = 15 s over 100 s, the first
	// at once.
	if c := count["crash"]; c < 4 || c > 12 {
		t.Errorf("%d crashes in 100 s, want about 100/15", c)
	}
}

func TestGeneratorCrashesFirst(t *testing.T) {
	g := New().NewGenerator(workload.Options{Concurrency: 3})
	rnd := rand.New(rand.NewPCG(3, 3))
	if inv, _ := g.Next(0, 0, rnd); inv.F != "crash" {
		t.Fatalf("first op %q, want crash (Jepsen's stagger issues its first op at once)", inv.F)
	}
	if inv, _ := g.Next(0, 0, rnd); inv.F == "crash" {
		t.Fatal("two crashes at the same instant")
	}
}

// Jepsen poll-unseen: about a third of assigns add every key with
// acknowledged sends that no poll has returned yet; keys polled up to
// their last send are dropped from that set.
func TestGeneratorAssignsUnseenKeys(t *testing.T) {
	opts := workload.Options{Concurrency: 1000} // crashes rare enough to ignore
	g := New().NewGenerator(opts).(*generator)
	rnd := rand.New(rand.NewPCG(4, 4))
	g.nextCrash = time.Hour
	g.Update(0, workload.Invocation{F: "send"}, okSend("500", 1, 7))
	g.Update(0, workload.Invocation{F: "send"}, okSend("501", 1, 3))
	g.Update(0, workload.Invocation{F: "poll"}, okPoll(map[string][]Pair{"501": ps(3, 1)}))
	if !slices.Equal(slices.Sorted(maps.Keys(g.sent)), []int{500}) {
		t.Fatalf("unseen keys %v, want [500]", g.sent)
	}
	withUnseen, assigns := 0, 0
	for range 20000 {
		inv, _ := g.Next(0, 0, rnd)
		if inv.F != "assign" {
			continue
		}
		assigns++
		var v AssignValue
		_ = json.Unmarshal(inv.Value, &v)
		if slices.Contains(v.Keys, "500") && v.Keys[0] != "500" {
			withUnseen++
		}
	}
	if f := float64(withUnseen) / float64(assigns); f < 0.25 || f > 0.42 {
		t.Fatalf("%d of %d assigns added the unseen key, want about 1/3", withUnseen, assigns)
	}
}

// Jepsen final-polls: crash, assign every key seen with seek-to-beginning,
// then poll (0..0.4 s apart) until this thread has polled each key up to
// the highest offset the main phase saw acknowledged; then stop.
func TestFinalGeneratorPollsUntilCaughtUp(t *testing.T) {
	w := New()
	opts := workload.Options{Concurrency: 2}
	g := w.NewGenerator(opts)
	final := w.NewFinalGenerator(opts) // built early: targets are taken at its first Next
	g.Update(0, workload.Invocation{F: "send"}, okSend("3", 1, 5))
	g.Update(1, workload.Invocation{F: "send"}, okSend("1", 1, 2))
	g.Update(1, workload.Invocation{F: "poll"}, okPoll(map[string][]Pair{"3": ps(5, 1, 9, 2)}))
	rnd := rand.New(rand.NewPCG(5, 5))
	next := func(thread int) workload.Invocation {
		t.Helper()
		inv, ok := final.Next(thread, 0, rnd)
		if !ok {
			t.Fatal("final generator stopped early")
		}
		if !inv.Final {
			t.Fatalf("final op %+v not marked final", inv)
		}
		return inv
	}
	for thread := range 2 {
		if inv := next(thread); inv.F != "crash" {
			t.Fatalf("thread %d starts with %q, want crash", thread, inv.F)
		}
		final.Update(thread, workload.Invocation{F: "crash", Final: true}, workload.Completion{Type: history.Info, Error: crashError})
		inv := next(thread)
		var v AssignValue
		if err := json.Unmarshal(inv.Value, &v); err != nil || inv.F != "assign" || !v.SeekToBeginning || !slices.Equal(v.Keys, []string{"1", "3"}) {
			t.Fatalf("thread %d: %s %s, want assign of keys 1 and 3 seeking to the beginning", thread, inv.F, inv.Value)
		}
		final.Update(thread, inv, workload.Completion{Type: history.OK, Value: inv.Value})
	}
	// Thread 0 catches up in two polls, the second delayed.
	inv := next(0)
	if inv.F != "poll" || inv.Delay != 0 {
		t.Fatalf("first final poll %+v, want an immediate poll", inv)
	}
	final.Update(0, inv, okPoll(map[string][]Pair{"3": ps(5, 1, 9, 2), "1": ps(1, 7)}))
	inv = next(0)
	if inv.F != "poll" || inv.Delay < 0 || inv.Delay >= 400*time.Millisecond {
		t.Fatalf("second final poll %+v, want a poll delayed by [0, 400ms)", inv)
	}
	final.Update(0, inv, okPoll(map[string][]Pair{"1": ps(2, 8)}))
	if inv, ok := final.Next(0, 0, rnd); ok {
		t.Fatalf("thread 0 caught up but got %+v", inv)
	}
	// Thread 1 is not done: its own polls have seen nothing yet. After an
	// info poll (a fresh client) it assigns again.
	inv = next(1)
	final.Update(1, inv, workload.Completion{Type: history.Info, Error: "timeout"})
	if inv := next(1); inv.F != "assign" {
		t.Fatalf("after an info poll thread 1 got %q, want assign", inv.F)
	}
}

// Jepsen's track-key-offsets takes a key an ok poll returned empty at -1,
// and its final-polls is done with such a key once a final poll returns it,
// empty or not: the key is assigned, and an empty reply for it ends the
// thread's wait.
func TestFinalGeneratorKeysPolledEmpty(t *testing.T) {
	w := New()
	opts := workload.Options{Concurrency: 1}
	g := w.NewGenerator(opts)
	final := w.NewFinalGenerator(opts)
	g.Update(0, workload.Invocation{F: "poll"}, okPoll(map[string][]Pair{"4": {}}))
	rnd := rand.New(rand.NewPCG(1, 1))
	inv, ok := final.Next(0, 0, rnd)
	if !ok || inv.F != "crash" {
		t.Fatalf("first final op %+v %v, want crash: a key polled empty is tracked", inv, ok)
	}
	final.Update(0, inv, workload.Completion{Type: history.Info, Error: crashError})
	inv, _ = final.Next(0, 0, rnd)
	var v AssignValue
	if err := json.Unmarshal(inv.Value, &v); err != nil || inv.F != "assign" || !slices.Equal(v.Keys, []string{"4"}) {
		t.Fatalf("%s %s, want an assign of key 4", inv.F, inv.Value)
	}
	final.Update(0, inv, workload.Completion{Type: history.OK, Value: inv.Value})
	inv, _ = final.Next(0, 0, rnd)
	final.Update(0, inv, okPoll(map[string][]Pair{"4": {}}))
	if inv, ok := final.Next(0, 0, rnd); ok {
		t.Fatalf("final op %+v after a poll returned key 4, whose target is -1", inv)
	}
}

func TestFinalGeneratorWithNothingSeen(t *testing.T) {
	w := New()
	w.NewGenerator(workload.Options{})
	final := w.NewFinalGenerator(workload.Options{})
	if inv, ok := final.Next(0, 0, rand.New(rand.NewPCG(1, 1))); ok {
		t.Fatalf("final op %+v although no offset was ever acknowledged", inv)
	}
}

func TestValidate(t *testing.T) {
	w := New()
	for _, tc := range []struct {
		opts workload.Options
		ok   bool
	}{
		{workload.Options{}, true},
		{workload.Options{KeyCount: 3, MaxWritesPerKey: 1}, true},
		{workload.Options{KeyCount: -1}, false},
		{workload.Options{MaxWritesPerKey: -2}, false},
	} {
		if err := w.Validate(tc.opts); (err == nil) != tc.ok {
			t.Errorf("Validate(%+v) = %v", tc.opts, err)
		}
	}
	if w.Name() != "kafka" || w.Reusable() || w.Setup(workload.Options{}) != nil {
		t.Error("kafka is named kafka, has non-reusable clients and no setup")
	}
}
