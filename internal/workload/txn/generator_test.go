package txn

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/glomers/glomers/internal/workload"
)

func defaultOptions() workload.Options {
	return workload.Options{KeyCount: DefaultKeyCount, MaxTxnLength: DefaultMaxTxnLength, MaxWritesPerKey: DefaultMaxWritesPerKey}
}

// generate draws n transactions under a fixed seed.
func generate(t *testing.T, opts workload.Options, seed uint64, n int) [][]mop {
	t.Helper()
	g := New().NewGenerator(opts)
	rnd := rand.New(rand.NewPCG(seed, 7))
	var out [][]mop
	for range n {
		inv, ok := g.Next(0, 0, rnd)
		if !ok || inv.F != "txn" {
			t.Fatalf("Next = %v, %v", inv, ok)
		}
		mops, err := parseTxn(inv.Value)
		if err != nil {
			t.Fatalf("generated an unreadable transaction %s: %v", inv.Value, err)
		}
		if !bytes.Equal(encodeTxn(mops), inv.Value) {
			t.Fatalf("not in canonical form: %s", inv.Value)
		}
		out = append(out, mops)
	}
	return out
}

// Elle wr-txns: lengths uniform in [1, max], reads and writes equally
// likely, reads sent as null, per-key write values 1, 2, 3, ... up to
// max-writes-per-key, a key retired (when a write would exceed that) and
// never used again, and the pool always holding key-count distinct keys.
func TestGeneratorShape(t *testing.T) {
	opts := defaultOptions()
	g := newGenerator(opts)
	rnd := rand.New(rand.NewPCG(1, 7))
	const n = 20000
	lengths := map[int]int{}
	written := map[int64]int64{}
	retired := map[int64]bool{}
	var reads, writes int
	for range n {
		before := append([]int64(nil), g.active...)
		inv, _ := g.Next(0, 0, rnd)
		txn, err := parseTxn(inv.Value)
		if err != nil {
			t.Fatal(err)
		}
		lengths[len(txn)]++
		for _, m := range txn {
			if retired[m.key] {
				t.Fatalf("key %d used after it was retired", m.key)
			}
			if m.isRead() {
				reads++
				if !m.nil {
					t.Fatalf("a read is sent with a value: %+v", m)
				}
				continue
			}
			writes++
			if m.value != written[m.key]+1 || m.value > int64(opts.MaxWritesPerKey) {
				t.Fatalf("key %d: wrote %d after %d", m.key, m.value, written[m.key])
			}
			written[m.key] = m.value
		}
		seen := map[int64]bool{}
		for _, k := range g.active {
			if seen[k] {
				t.Fatalf("key %d twice in the pool %v", k, g.active)
			}
			seen[k] = true
		}
		if len(g.active) != opts.KeyCount {
			t.Fatalf("pool of %d keys", len(g.active))
		}
		for _, k := range before {
			if !seen[k] {
				if written[k] != int64(opts.MaxWritesPerKey) {
					t.Fatalf("key %d retired after %d writes", k, written[k])
				}
				retired[k] = true
			}
		}
	}
	for l := 1; l <= opts.MaxTxnLength; l++ {
		if f := float64(lengths[l]) / n; math.Abs(f-0.25) > 0.02 {
			t.Errorf("length %d: fraction %.3f, want about 0.25", l, f)
		}
	}
	if len(lengths) != opts.MaxTxnLength {
		t.Errorf("lengths %v outside [1, %d]", lengths, opts.MaxTxnLength)
	}
	if f := float64(writes) / float64(reads+writes); math.Abs(f-0.5) > 0.02 {
		t.Errorf("write fraction %.3f, want about 0.5", f)
	}
	if len(retired) < 100 {
		t.Errorf("only %d keys retired in %d transactions", len(retired), n)
	}
}

// The same seed gives the same transactions; the harness prints the seed
// so that a run can be repeated.
func TestGeneratorDeterministic(t *testing.T) {
	a := generate(t, defaultOptions(), 42, 500)
	b := generate(t, defaultOptions(), 42, 500)
	for i := range a {
		if !bytes.Equal(encodeTxn(a[i]), encodeTxn(b[i])) {
			t.Fatalf("transaction %d differs: %s vs %s", i, encodeTxn(a[i]), encodeTxn(b[i]))
		}
	}
}

// Options left at zero fall back to Maelstrom's defaults; Validate
// refuses them when they come from flags.
func TestGeneratorDefaultsAndValidate(t *testing.T) {
	g := newGenerator(workload.Options{})
	if len(g.active) != DefaultKeyCount || g.maxLen != DefaultMaxTxnLength || g.maxWrites != DefaultMaxWritesPerKey {
		t.Errorf("defaults: %d keys, length %d, %d writes", len(g.active), g.maxLen, g.maxWrites)
	}
	w := New()
	if err := w.Validate(defaultOptions()); err != nil {
		t.Errorf("Validate(defaults) = %v", err)
	}
	bad := defaultOptions()
	bad.MaxTxnLength = 0
	if err := w.Validate(bad); err == nil || !bytes.Contains([]byte(err.Error()), []byte("--max-txn-length")) {
		t.Errorf("Validate(max-txn-length 0) = %v, want an error naming the flag", err)
	}
	bad = defaultOptions()
	bad.ConsistencyModels = []string{"read-committed", "causal-ish"}
	if err := w.Validate(bad); err == nil || !bytes.Contains([]byte(err.Error()), []byte(`"causal-ish"`)) {
		t.Errorf("Validate(unknown model) = %v, want an error naming it", err)
	}
	ok := defaultOptions()
	ok.ConsistencyModels = []string{"PL-2", "serializable"}
	if err := w.Validate(ok); err != nil {
		t.Errorf("Validate(PL-2, serializable) = %v", err)
	}
	if w.Name() != "txn-rw-register" || !w.Reusable() || w.NewFinalGenerator(ok) != nil || w.Setup(ok) != nil {
		t.Errorf("workload: name %q, reusable %v, final phase or setup present", w.Name(), w.Reusable())
	}
}
