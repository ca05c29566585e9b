package service

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func write(t *testing.T, s Service, src string, key string, v int, rnd *rand.Rand) {
	t.Helper()
	got := call(t, s, src, fmt.Sprintf(`{"type":"write","msg_id":1,"key":%q,"value":%d}`, key, v), rnd)
	if got["type"] != "write_ok" {
		t.Fatalf("write %s=%d from %s: %v", key, v, src, got)
	}
}

func read(t *testing.T, s Service, src, key string, rnd *rand.Rand) (int, bool) {
	t.Helper()
	got := call(t, s, src, fmt.Sprintf(`{"type":"read","msg_id":1,"key":%q}`, key), rnd)
	switch got["type"] {
	case "read_ok":
		return int(got["value"].(float64)), true
	case "error":
		if got["code"] != float64(20) {
			t.Fatalf("read %s from %s: %v", key, src, got)
		}
		return 0, false
	}
	t.Fatalf("read %s from %s: %v", key, src, got)
	return 0, false
}

// Reference §5.3: requests that change nothing run on a random state
// between the caller's last and the newest, so another caller's reads lag.
// A counter checked against a store that never lags would pass solutions
// that are wrong; this test proves ours does lag.
func TestSeqKVServesStaleReads(t *testing.T) {
	s := NewSeqKV()
	rnd := rand.New(rand.NewPCG(7, 7))
	stale, missing := 0, 0
	for v := 1; v <= 200; v++ {
		write(t, s, "n0", "x", v, rnd)
		got, ok := read(t, s, "n1", "x", rnd)
		switch {
		case !ok:
			missing++
		case got < v:
			stale++
		case got > v:
			t.Fatalf("n1 read %d before %d was written", got, v)
		}
	}
	if stale == 0 {
		t.Fatal("n1 never read a stale value in 200 reads that each followed a newer write")
	}
	t.Logf("stale reads: %d of 200, key missing: %d", stale, missing)
}

// Reference §5.3: each caller's view never goes backwards. Writers write
// ever larger values, so every caller's successive reads of a key must not
// decrease, however far behind the caller falls (including more than the
// 32-state window behind, where Maelstrom's ring indexing could wrap).
func TestSeqKVCallerViewIsMonotonic(t *testing.T) {
	for seed := range uint64(20) {
		s := NewSeqKV()
		rnd := rand.New(rand.NewPCG(seed, 1))
		last := map[string]int{} // caller+key -> last value read
		next := 0
		callers := []string{"n0", "n1", "n2", "n3"}
		for range 2000 {
			src := callers[rnd.IntN(len(callers))]
			key := []string{"a", "b"}[rnd.IntN(2)]
			if rnd.IntN(4) == 0 && src != "n3" { // n3 only reads, rarely
				next++
				write(t, s, src, key, next, rnd)
				last[src+key] = next
				continue
			}
			if src == "n3" && rnd.IntN(20) != 0 {
				continue
			}
			got, ok := read(t, s, src, key, rnd)
			if !ok {
				if last[src+key] != 0 {
					t.Fatalf("seed %d: %s read %s as missing after reading %d", seed, src, key, last[src+key])
				}
				continue
			}
			if got < last[src+key] {
				t.Fatalf("seed %d: %s read %s=%d after reading %d", seed, src, key, got, last[src+key])
			}
			last[src+key] = got
		}
	}
}

// Reference §5.3: mutations always apply to the newest state, so none is
// lost. Four callers increment one counter with read + cas, retrying on
// error 22 (a stale read makes the cas fail, never succeed wrongly); the
// newest state must hold exactly the number of successful cas operations.
func TestSeqKVMutationsAreNeverLost(t *testing.T) {
	s := NewSeqKV()
	rnd := rand.New(rand.NewPCG(3, 4))
	write(t, s, "n0", "c", 0, rnd)
	succeeded, failed := 0, 0
	for i := range 4000 {
		src := fmt.Sprintf("n%d", i%4)
		cur, ok := read(t, s, src, "c", rnd)
		if !ok {
			cur = 0
		}
		got := call(t, s, src, fmt.Sprintf(`{"type":"cas","msg_id":1,"key":"c","from":%d,"to":%d}`, cur, cur+1), rnd)
		switch {
		case got["type"] == "cas_ok":
			succeeded++
		case got["code"] == float64(22):
			failed++
		default:
			t.Fatalf("cas: %v", got)
		}
	}
	kv := s.(*seqKV)
	newest, ok := kv.lookup(`"c"`, kv.last)
	if !ok || string(newest.raw) != fmt.Sprint(succeeded) {
		t.Fatalf("newest state holds %s, want %d successful increments", newest.raw, succeeded)
	}
	if failed == 0 {
		t.Fatal("no cas ever failed: reads were never stale")
	}
	// The caller that mutated last reads its own write.
	if got, _ := read(t, s, "n3", "c", rnd); got != succeeded {
		t.Fatalf("n3 read %d right after its own increment, want %d", got, succeeded)
	}
}

// Maelstrom issue #39: a cas whose from equals to changes nothing, so it
// may run on a stale state and succeed there although the newest state
// holds another value.
func TestSeqKVIdentityCASMayBeStale(t *testing.T) {
	rnd := rand.New(rand.NewPCG(9, 9))
	staleOK := 0
	for range 20 {
		s := NewSeqKV()
		write(t, s, "n0", "x", 1, rnd)
		for got, ok := read(t, s, "n1", "x", rnd); !ok || got != 1; got, ok = read(t, s, "n1", "x", rnd) {
		}
		write(t, s, "n0", "x", 2, rnd)
		got := call(t, s, "n1", `{"type":"cas","msg_id":1,"key":"x","from":1,"to":1}`, rnd)
		if got["type"] == "cas_ok" {
			staleOK++
			kv := s.(*seqKV)
			if newest, _ := kv.lookup(`"x"`, kv.last); string(newest.raw) != "2" {
				t.Fatalf("a stale identity cas changed the newest state to %s", newest.raw)
			}
		}
	}
	if staleOK == 0 {
		t.Fatal("an identity cas never succeeded on a stale state in 20 tries")
	}
}

// A caller far behind is raised to the oldest state the window keeps,
// never served a state older than that.
func TestSeqKVWindowBoundsStaleness(t *testing.T) {
	s := NewSeqKV()
	rnd := rand.New(rand.NewPCG(5, 5))
	for v := 1; v <= 100; v++ {
		write(t, s, "n0", "x", v, rnd)
	}
	for range 50 {
		s := NewSeqKV()
		for v := 1; v <= 100; v++ {
			write(t, s, "n0", "x", v, rnd)
		}
		got, ok := read(t, s, "n1", "x", rnd)
		if !ok || got < 100-(SeqKVWindow-1) {
			t.Fatalf("a caller 100 states behind read %d (present %v); the window holds 69..100", got, ok)
		}
	}
	// Versions outside the window are dropped.
	kv := s.(*seqKV)
	if n := len(kv.keys[`"x"`].at); n > SeqKVWindow+1 {
		t.Fatalf("seq-kv keeps %d versions of one key, want at most %d", n, SeqKVWindow+1)
	}
}
