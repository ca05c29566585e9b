package harness

import (
	"reflect"
	"testing"

	"github.com/glomers/glomers/internal/workload/registry"
)

// results.json shows a workload-specific option only for the workloads
// that say they read it: broadcast's topology, kafka's keys and writes,
// the txn workloads' four; echo, unique-ids, g-counter and lin-kv none of them.
func TestEffectiveOptionsFollowTheWorkload(t *testing.T) {
	t.Parallel()
	o := Defaults()
	o.ConsistencyModels = []string{"read-committed"}
	type specific struct {
		Topology                          string
		Models                            []string
		KeyCount, MaxTxnLength, MaxWrites int
	}
	want := map[string]specific{
		"echo":            {},
		"unique-ids":      {},
		"g-counter":       {},
		"g-set":           {},
		"pn-counter":      {},
		"lin-kv":          {},
		"broadcast":       {Topology: "grid"},
		"kafka":           {KeyCount: 10, MaxWrites: 16},
		"txn-rw-register": {Models: []string{"read-committed"}, KeyCount: 10, MaxTxnLength: 4, MaxWrites: 16},
		"txn-list-append": {Models: []string{"read-committed"}, KeyCount: 10, MaxTxnLength: 4, MaxWrites: 16},
	}
	for _, name := range registry.Names() {
		wl, err := registry.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		w, ok := want[name]
		if !ok {
			t.Errorf("%s: no expectation; say which options it shows", name)
			continue
		}
		e := o.effective(wl)
		got := specific{e.Topology, e.ConsistencyModels, e.KeyCount, e.MaxTxnLength, e.MaxWritesPerKey}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s: workload-specific options %+v, want %+v", name, got, w)
		}
	}
}
