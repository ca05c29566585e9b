package store

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// MaxKeptLogBytes bounds the node logs a run keeps in memory for its
// report, all nodes together. A node that logs every message it handles
// stays well under it at the course's parameters; past it, the nodes
// whose logs did not fit are read back from their files in the run
// directory, as an old run's are.
const MaxKeptLogBytes = 16 << 20

// Logs are a run's node logs as the run hands them to its report: each
// node's stderr kept in memory as it was written, or, for a node whose
// log went past the budget, its file under the run directory.
type Logs struct {
	dir  string
	max  int
	mu   sync.Mutex
	size int
	kept map[string]*keptLog
	old  bool // every log is read from its file
}

// keptLog is one node's log in memory; over means it went past the
// budget and is read from its file.
type keptLog struct {
	b    []byte
	over bool
}

// NewLogs keeps up to max bytes of node logs in memory (MaxKeptLogBytes
// when max is 0); a node's log past that is read from its NodeLog file
// under dir, which must then hold everything written to it by the time
// Open is called.
func NewLogs(dir string, max int) *Logs {
	if max <= 0 {
		max = MaxKeptLogBytes
	}
	return &Logs{dir: dir, max: max, kept: map[string]*keptLog{}}
}

// OpenLogs are the node logs of a run directory read from their files:
// for tools that open an old run, and tests.
func OpenLogs(dir string) *Logs { return &Logs{dir: dir, old: true} }

// Writer is where node's log is written to be kept. Each node's writer
// may be written from a goroutine of its own.
func (l *Logs) Writer(node string) io.Writer {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := &keptLog{}
	l.kept[node] = k
	return logWriter{l: l, k: k}
}

type logWriter struct {
	l *Logs
	k *keptLog
}

func (w logWriter) Write(p []byte) (int, error) {
	l := w.l
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case w.k.over:
	case l.size+len(p) > l.max:
		l.size -= len(w.k.b)
		w.k.b, w.k.over = nil, true
	default:
		l.size += len(p)
		w.k.b = append(w.k.b, p...)
	}
	return len(p), nil
}

// Open returns node's log to read: the bytes kept, or its file. A node
// that wrote no log, as one that never started, is fs.ErrNotExist; so is
// every node of a nil Logs (a run that kept none).
func (l *Logs) Open(node string) (io.ReadCloser, error) {
	if l == nil {
		return nil, fmt.Errorf("%s: %w", NodeLog(node), fs.ErrNotExist)
	}
	if !l.old {
		l.mu.Lock()
		k, ok := l.kept[node]
		l.mu.Unlock()
		switch {
		case !ok:
			return nil, fmt.Errorf("%s: %w", NodeLog(node), fs.ErrNotExist)
		case !k.over:
			return io.NopCloser(bytes.NewReader(k.b)), nil
		}
	}
	return os.Open(filepath.Join(l.dir, NodeLog(node)))
}

// Files are the node logs' files, relative to the run directory and with
// forward slashes, in the order of their names: what a report links to.
// A nil Logs has none.
func (l *Logs) Files() []string {
	if l == nil {
		return nil
	}
	var files []string
	if l.old {
		entries, err := os.ReadDir(filepath.Join(l.dir, NodeLogs))
		if err != nil {
			return nil
		}
		for _, e := range entries {
			files = append(files, NodeLogs+"/"+e.Name())
		}
		return files
	}
	l.mu.Lock()
	for node := range l.kept {
		files = append(files, filepath.ToSlash(NodeLog(node)))
	}
	l.mu.Unlock()
	slices.Sort(files)
	return files
}
