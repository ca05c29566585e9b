package kafka

import (
	"fmt"
	"sync"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// Name is Maelstrom's name for the workload.
const Name = "kafka"

// Defaults for options the harness leaves at zero.
const (
	DefaultKeyCount        = 10
	DefaultMaxWritesPerKey = 16
	// CrashInterval is Jepsen's crash-client-interval: each client is
	// crashed about this often, so crash operations come every
	// CrashInterval/concurrency on average.
	CrashInterval = 30.0 // seconds
	// AssignProbability is Jepsen's sub-p: the chance that an assign is
	// issued before the next send or poll.
	AssignProbability = 1.0 / 64
)

// New returns the kafka workload. One value serves one run at a time: its
// final generator polls up to the offsets its main generator saw acknowledged.
// Its client is not reusable: a crash op or any info completion must give
// the thread a fresh client with no assignment and no offsets, as in
// Maelstrom.
func New() workload.Workload {
	return &kafka{
		Base: workload.Base{WorkloadName: Name, KindsDoc: kindsDoc},
		seen: &offsetTracker{max: map[int]int64{}},
	}
}

type kafka struct {
	workload.Base
	seen *offsetTracker
}

// offsetTracker is Jepsen's track-key-offsets: for each key, the highest
// offset any ok send or poll of the main phase reported.
type offsetTracker struct {
	mu  sync.Mutex
	max map[int]int64
}

func (t *offsetTracker) observe(key int, offset int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if old, ok := t.max[key]; !ok || offset > old {
		t.max[key] = offset
	}
}

func (t *offsetTracker) snapshot() map[int]int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	m := make(map[int]int64, len(t.max))
	for k, v := range t.max {
		m[k] = v
	}
	return m
}

func (t *offsetTracker) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.max = map[int]int64{}
}

// Validate accepts zero for --key-count and --max-writes-per-key (unset:
// the defaults), and rejects negative values.
func (w *kafka) Validate(opts workload.Options) error {
	if opts.KeyCount < 0 {
		return fmt.Errorf("--key-count must be at least 1, not %d", opts.KeyCount)
	}
	if opts.MaxWritesPerKey < 0 {
		return fmt.Errorf("--max-writes-per-key must be at least 1, not %d", opts.MaxWritesPerKey)
	}
	return nil
}

func (w *kafka) NewGenerator(opts workload.Options) workload.Generator {
	w.seen.reset()
	return newGenerator(opts, w.seen)
}

func (w *kafka) NewFinalGenerator(workload.Options) workload.Generator {
	return &finalGenerator{seen: w.seen, threads: map[int]*finalThread{}}
}

func (w *kafka) NewClient(workload.Options) workload.Client { return &client{} }

func (w *kafka) Check(h history.History, _ workload.Options) workload.Result {
	return Check(h, CheckOptions{})
}

type settings struct {
	keyCount, maxWrites, concurrency int
}

func settingsOf(opts workload.Options) settings {
	s := settings{keyCount: opts.KeyCount, maxWrites: opts.MaxWritesPerKey, concurrency: opts.Concurrency}
	if s.keyCount <= 0 {
		s.keyCount = DefaultKeyCount
	}
	if s.maxWrites <= 0 {
		s.maxWrites = DefaultMaxWritesPerKey
	}
	if s.concurrency <= 0 {
		s.concurrency = max(1, len(opts.Nodes))
	}
	return s
}
