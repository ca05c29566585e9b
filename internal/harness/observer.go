package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/glomers/glomers/internal/store"
)

// Observer is told about a run as it happens, apart from the Result the
// run returns: the run's directory under the store (journal, node logs,
// results files) is one, the CLI's live progress line and its echo of
// the nodes' logs others. The run itself never asks where its events go;
// it tells its observers. Each method is called from one goroutine at a
// time, but the writers NodeLog returns for different nodes are written
// at once, each from its node's own goroutine.
type Observer interface {
	// Events is where the network's events are written, one store.Event
	// a line; nil for nowhere. It is asked once, before any node starts.
	Events() io.Writer
	// NodeLog is where node id's stderr is copied, each Write one line
	// and its newline; nil for nowhere. It is asked once per node, as the
	// node starts.
	NodeLog(id string) io.Writer
	// Progress is the run's state, about every quarter second.
	Progress(Progress)
	// Finish is told the judged run, once, after teardown.
	Finish(res *Result) error
}

// observers are a run's observers; each is told everything.
type observers []Observer

// observersOf are the observers cfg asks for: the run's directory unless
// Store is "", then the caller's.
func observersOf(cfg Config) (observers, error) {
	var obs observers
	if cfg.Store != "" {
		sd, err := newStoreDir(cfg.Store, cfg.Workload)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		sd.keep = cfg.Keep
		obs = append(obs, sd)
	}
	return append(obs, cfg.Observers...), nil
}

func (obs observers) events() io.Writer {
	var ws []io.Writer
	for _, o := range obs {
		if w := o.Events(); w != nil {
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
		if w := o.NodeLog(id); w != nil {
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
		o.Progress(p)
	}
}

func (obs observers) finish(res *Result) error {
	var errs []error
	for _, o := range obs {
		errs = append(errs, o.Finish(res))
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

// ProgressFunc is an Observer of the run's progress only: the CLI's live
// progress line.
type ProgressFunc func(Progress)

// Events is nowhere: a progress line shows no messages.
func (ProgressFunc) Events() io.Writer { return nil }

// NodeLog is nowhere: a progress line shows no logs.
func (ProgressFunc) NodeLog(string) io.Writer { return nil }

// Progress calls f.
func (f ProgressFunc) Progress(p Progress) { f(p) }

// Finish has nothing to do.
func (ProgressFunc) Finish(*Result) error { return nil }

// EchoLogs is an Observer that writes every node's log lines to w as they
// come, each as "n1: line", long lines clipped (--log-stderr).
func EchoLogs(w io.Writer) Observer { return &echoLogs{w: w} }

// echoLogs is EchoLogs: mu keeps the nodes' lines whole.
type echoLogs struct {
	w  io.Writer
	mu sync.Mutex
}

func (*echoLogs) Events() io.Writer    { return nil }
func (*echoLogs) Progress(Progress)    {}
func (*echoLogs) Finish(*Result) error { return nil }
func (e *echoLogs) NodeLog(id string) io.Writer {
	return writerFunc(func(line []byte) (int, error) {
		e.mu.Lock()
		defer e.mu.Unlock()
		fmt.Fprintf(e.w, "%s: %s\n", id, clipLine(strings.TrimSuffix(string(line), "\n")))
		return len(line), nil
	})
}

// writerFunc is a function as an io.Writer.
type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// storeDir is a run's directory under the store, an observer that writes
// the journal and node logs as the run goes and the results at its end;
// it keeps the logs for the report too (Result.NodeLogs).
type storeDir struct {
	dir     string
	journal *os.File
	logs    map[string]*os.File
	kept    *store.Logs // the logs as the report reads them
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
	return &storeDir{dir: dir, journal: j, logs: map[string]*os.File{}, kept: store.NewLogs(dir, 0), root: root, wl: wl, stamp: stamp}, nil
}

func (s *storeDir) Events() io.Writer { return s.journal }

func (s *storeDir) NodeLog(id string) io.Writer {
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := s.kept.Writer(id)
	f, err := os.Create(filepath.Join(s.dir, store.NodeLog(id)))
	if err != nil {
		return kept
	}
	s.logs[id] = f
	return io.MultiWriter(kept, f) // kept first: it never fails
}

func (*storeDir) Progress(Progress) {}

func (s *storeDir) Finish(res *Result) error {
	if err := s.write(res); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}
