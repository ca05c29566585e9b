package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/glomers/glomers/internal/store"
)

// observer is told about a run as it happens, apart from the Result the
// run returns: the run's directory under the store (journal, node logs,
// results files) is one, the live progress line another. The run itself
// never asks where its events go; it tells its observers.
type observer interface {
	// events is where the network's events are written, one store.Event
	// a line; nil for nowhere. It is asked once, before any node starts.
	events() io.Writer
	// nodeLog is where node id's stderr is copied; nil for nowhere. It is
	// asked once per node, as the node starts.
	nodeLog(id string) io.Writer
	// progress is the run's state, about every quarter second.
	progress(Progress)
	// finish is told the judged run, once, after teardown.
	finish(res *Result) error
}

// observers are a run's observers; each is told everything.
type observers []observer

// observersOf are the observers opts asks for: the store unless Store is
// "", the Progress function when set.
func observersOf(opts Options) (observers, error) {
	var obs observers
	if opts.Store != "" {
		sd, err := newStoreDir(opts.Store, opts.Workload)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		sd.keep = opts.Keep
		obs = append(obs, sd)
	}
	if opts.Progress != nil {
		obs = append(obs, progressFunc(opts.Progress))
	}
	return obs, nil
}

func (obs observers) events() io.Writer {
	var ws []io.Writer
	for _, o := range obs {
		if w := o.events(); w != nil {
			ws = append(ws, w)
		}
	}
	return oneWriter(ws)
}

// journalFile is the file the events are written to, for reading them
// back: the store's journal, or "" without a store.
func (obs observers) journalFile() string {
	for _, o := range obs {
		if s, ok := o.(*storeDir); ok {
			return filepath.Join(s.dir, store.Journal)
		}
	}
	return ""
}

func (obs observers) nodeLog(id string) io.Writer {
	var ws []io.Writer
	for _, o := range obs {
		if w := o.nodeLog(id); w != nil {
			ws = append(ws, w)
		}
	}
	return oneWriter(ws)
}

// oneWriter writes to each of ws; it is nil when ws is empty.
func oneWriter(ws []io.Writer) io.Writer {
	switch len(ws) {
	case 0:
		return nil
	case 1:
		return ws[0]
	}
	return io.MultiWriter(ws...)
}

func (obs observers) progress(p Progress) {
	for _, o := range obs {
		o.progress(p)
	}
}

func (obs observers) finish(res *Result) error {
	var errs []error
	for _, o := range obs {
		errs = append(errs, o.finish(res))
	}
	return errors.Join(errs...)
}

// startProgress tells the observers the run's progress about every quarter
// second until the function it returns is called or ctx ends.
func (run *run) startProgress(ctx context.Context) func() {
	if len(run.obs) == 0 {
		return func() {}
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			ops, errs := run.rec.snapshot()
			phase, elapsed, limit := run.phaseProgress()
			run.obs.progress(Progress{Phase: phase, Elapsed: elapsed, Limit: limit, Ops: ops, Errors: errs})
			select {
			case <-t.C:
			case <-stop:
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	return func() { close(stop); <-done }
}

// progressFunc observes progress only: Options.Progress.
type progressFunc func(Progress)

func (progressFunc) events() io.Writer        { return nil }
func (progressFunc) nodeLog(string) io.Writer { return nil }
func (f progressFunc) progress(p Progress)    { f(p) }
func (progressFunc) finish(*Result) error     { return nil }

// storeDir is a run's directory under the store, an observer that writes
// the journal and node logs as the run goes and the results at its end.
type storeDir struct {
	dir     string
	journal *os.File
	logs    map[string]*os.File
	mu      sync.Mutex
	root    string
	wl      string
	stamp   string
	keep    int // runs of the workload to keep; 0 keeps all
}

func newStoreDir(root, wl string) (*storeDir, error) {
	dir, stamp, err := store.Create(root, wl, time.Now())
	if err != nil {
		return nil, err
	}
	j, err := os.Create(filepath.Join(dir, store.Journal))
	if err != nil {
		return nil, err
	}
	return &storeDir{dir: dir, journal: j, logs: map[string]*os.File{}, root: root, wl: wl, stamp: stamp}, nil
}

func (s *storeDir) events() io.Writer { return s.journal }

func (s *storeDir) nodeLog(id string) io.Writer {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.Create(filepath.Join(s.dir, store.NodeLog(id)))
	if err != nil {
		return io.Discard
	}
	s.logs[id] = f
	return f
}

func (*storeDir) progress(Progress) {}

func (s *storeDir) finish(res *Result) error {
	if err := s.write(res); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}
