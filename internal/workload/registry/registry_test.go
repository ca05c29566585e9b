package registry

import (
	"slices"
	"testing"

	"github.com/glomers/glomers/internal/workload"
)

func TestLookup(t *testing.T) {
	for _, name := range []string{"echo", "unique-ids", "broadcast", "g-counter", "kafka", "txn-rw-register", "g-set", "pn-counter", "lin-kv", "txn-list-append"} {
		w, err := Lookup(name)
		if err != nil || w.Name() != name {
			t.Errorf("Lookup(%q) = %v, %v", name, w, err)
		}
	}
	_, err := Lookup("or-set")
	if err == nil || err.Error() != `unknown workload "or-set" (known: broadcast, echo, g-counter, g-set, kafka, lin-kv, pn-counter, txn-list-append, txn-rw-register, unique-ids)` {
		t.Errorf("Lookup(or-set) error = %v", err)
	}
}

// Names are sorted and distinct, so one name can never shadow another.
func TestNames(t *testing.T) {
	names := Names()
	if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Errorf("Names() = %v, want sorted and distinct", names)
	}
	for _, n := range names {
		if _, err := Lookup(n); err != nil {
			t.Errorf("Names lists %q but Lookup fails: %v", n, err)
		}
	}
}

// Every workload says what each of its anomaly kinds means, so the report
// never shows a kind without words.
func TestEveryWorkloadExplainsItsKinds(t *testing.T) {
	for _, name := range Names() {
		w, _ := Lookup(name)
		l, ok := w.(workload.KindLister)
		if !ok {
			t.Errorf("%s does not list its kinds", name)
			continue
		}
		for kind, m := range l.Kinds() {
			if got, ok := Meaning(name, kind); !ok || got != m || m.Title == "" || m.Text == "" {
				t.Errorf("%s kind %q: %+v", name, kind, m)
			}
		}
	}
	if _, ok := Meaning("or-set", "lost"); ok {
		t.Errorf("an unknown workload has meanings")
	}
}
