package service

import (
	"math/rand/v2"
	"testing"
)

// Requests whose answer does not depend on which replica serves them.
func TestLWWKVSingleStep(t *testing.T) {
	only := map[string]bool{
		"read of a missing key is error 20":                     true,
		"cas on a missing key is error 20":                      true,
		"cas with create_if_not_exists false is error 20":       true,
		"no msg_id: in_reply_to is null":                        true,
		"unknown type: no reply":                                true,
		"malformed bodies: no reply":                            true,
		"cas with create_if_not_exists creates the key with to": false,
	}
	skip := map[string]bool{}
	for _, tc := range kvTable {
		if !only[tc.name] {
			skip[tc.name] = true
		}
	}
	runKVTable(t, NewLWWKV, skip)
}

// Reference §5.4: lww-kv's cas does not support create_if_not_exists; a
// missing key is error 20 on every replica.
func TestLWWKVCASNeverCreates(t *testing.T) {
	s := NewLWWKV()
	rnd := rand.New(rand.NewPCG(1, 1))
	for range 20 {
		got := call(t, s, "n0", `{"type":"cas","msg_id":1,"key":"x","from":0,"to":1,"create_if_not_exists":true}`, rnd)
		if got["code"] != float64(20) {
			t.Fatalf("cas with create_if_not_exists on a missing key: %v, want error 20", got)
		}
	}
}

// Reference §5.4: a write lands on one replica, so reads miss it at first;
// random merges spread it, after which every read sees it.
func TestLWWKVMissesThenConverges(t *testing.T) {
	rnd := rand.New(rand.NewPCG(2, 2))
	missed := 0
	for trial := range 50 {
		s := NewLWWKV()
		write(t, s, "n0", "x", 1, rnd)
		for i := range 60 {
			_, ok := read(t, s, "n0", "x", rnd)
			if !ok && i >= 50 {
				t.Fatalf("trial %d: read %d still misses the write: replicas never converged", trial, i)
			}
			if !ok {
				missed++
			}
		}
	}
	if missed == 0 {
		t.Fatal("no read ever missed a write that landed on one replica")
	}
}

// Lamport clocks and last-write-wins merges: the larger timestamp wins, the
// source on a tie, and the clock becomes the larger one.
func TestLWWReplicaMerge(t *testing.T) {
	v := func(s string) value {
		x, err := newValue([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	e := func(val string, ts int64) lwwEntry { return lwwEntry{entry: entry{key: v(`"k"`), val: v(val)}, ts: ts} }
	cases := []struct {
		name      string
		dst, src  lwwEntry
		want      string
		dstHasKey bool
	}{
		{"newer source wins", e("1", 1), e("2", 2), "2", true},
		{"older source loses", e("1", 3), e("2", 2), "1", true},
		{"tie goes to the source", e("1", 2), e("2", 2), "2", true},
		{"key only in source is copied", lwwEntry{}, e("2", 0), "2", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dst := &lwwReplica{clock: 4, m: map[string]lwwEntry{}}
			if tc.dstHasKey {
				dst.m[`"k"`] = tc.dst
			}
			src := &lwwReplica{clock: 9, m: map[string]lwwEntry{`"k"`: tc.src}}
			dst.merge(src)
			if got := string(dst.m[`"k"`].val.raw); got != tc.want {
				t.Errorf("merged value %s, want %s", got, tc.want)
			}
			if dst.clock != 9 {
				t.Errorf("merged clock %d, want 9", dst.clock)
			}
		})
	}
}

// Writes stamp the replica's clock and advance it.
func TestLWWKVWriteAdvancesClock(t *testing.T) {
	s := NewLWWKV()
	rnd := rand.New(rand.NewPCG(3, 3))
	for i := 1; i <= 10; i++ {
		write(t, s, "n0", "x", i, rnd)
	}
	kv := s.(*lwwKV)
	total := int64(0)
	for _, r := range kv.replicas {
		if e, ok := r.m[`"x"`]; ok && e.ts >= r.clock {
			t.Errorf("entry stamped %d but clock is %d", e.ts, r.clock)
		}
		total = max(total, r.clock)
	}
	if total < 5 {
		t.Errorf("largest clock %d after 10 writes over 2 replicas, want at least 5", total)
	}
}
