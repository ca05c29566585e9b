package harness

import (
	"sync"
	"testing"
	"time"
)

// The live progress line measures each phase against its own length: the
// recovery wait after a 3 s run reads "recovery 1.2s of 2s", never the
// whole run's time against it ("recovery 11.7s of 2s").
func TestProgressCountsEachPhaseAgainstItsOwnLength(t *testing.T) {
	t.Parallel()
	o := testOptions(t, echoWL{final: true}, rawNode("echo", echoHandler))
	o.TimeLimit = 3 * time.Second
	o.RecoveryWait = 2 * time.Second
	var mu sync.Mutex
	var seen []Progress
	o.Observers = []Observer{ProgressFunc(func(p Progress) {
		mu.Lock()
		seen = append(seen, p)
		mu.Unlock()
	})}
	runIn(t, o)
	mu.Lock()
	defer mu.Unlock()
	want := map[string]time.Duration{"main": 3 * time.Second, "recovery": 2 * time.Second}
	got := map[string]bool{}
	for _, p := range seen {
		limit, ok := want[p.Phase]
		if !ok {
			continue
		}
		got[p.Phase] = true
		if p.Limit != limit {
			t.Errorf("%s phase shown against %v, want %v", p.Phase, p.Limit, limit)
		}
		if p.Elapsed > limit+time.Second {
			t.Errorf("%s phase shows %v elapsed of %v", p.Phase, p.Elapsed, p.Limit)
		}
	}
	for phase := range want {
		if !got[phase] {
			t.Errorf("no progress reported during the %s phase", phase)
		}
	}
}
