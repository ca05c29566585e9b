package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/course"
)

// patience bounds every wait of these tests: generous, for a loaded
// machine; a passing test waits a fraction of a second.
const patience = 20 * time.Second

// watchFixture is a watcher on a workspace of one file, with a check
// the test controls, and no input (a pipe the test never writes).
type watchFixture struct {
	w      *watcher
	file   string
	out    *bytes.Buffer
	stdin  *io.PipeWriter
	cancel context.CancelFunc
	ended  chan error
}

func startWatch(t *testing.T, check func(ctx context.Context, env *Env, step book.Step, dir string) error) *watchFixture {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "main.go")
	if err := os.WriteFile(file, []byte("package main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	step, err := book.Lookup("1")
	if err != nil {
		t.Fatal(err)
	}
	r, pw := io.Pipe()
	out := &bytes.Buffer{}
	env := &Env{Stdin: r, Stdout: &lockedWriter{w: out}, Stderr: io.Discard, Getenv: func(k string) string {
		if k == progressEnv {
			return filepath.Join(dir, ".progress.json") // never the learner's
		}
		return ""
	}}
	f := &watchFixture{
		w:     &watcher{env: env, step: step, dir: dir, every: 10 * time.Millisecond, check: check},
		file:  file,
		out:   out,
		stdin: pw,
		ended: make(chan error, 1),
	}
	ctx, cancel := context.WithCancel(context.Background())
	f.cancel = cancel
	go func() { f.ended <- f.w.loop(ctx) }()
	t.Cleanup(func() {
		cancel()
		pw.Close()
		select {
		case <-f.ended:
		case <-time.After(patience):
			t.Errorf("watch did not stop within %v of its context's end", patience)
		}
	})
	return f
}

// save rewrites the workspace's file with a modification time clearly
// after the last, as an editor's save does.
func (f *watchFixture) save(t *testing.T, n int) {
	t.Helper()
	if err := os.WriteFile(f.file, []byte("package main\n// save "+string(rune('0'+n))+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(time.Duration(n) * time.Second)
	if err := os.Chtimes(f.file, at, at); err != nil {
		t.Fatal(err)
	}
}

func waitFor[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(patience):
		t.Fatalf("no %s within %v", what, patience)
	}
	var zero T
	return zero
}

// Watch checks the workspace when it starts, and again after each save.
func TestWatchChecksAgainOnSave(t *testing.T) {
	checks := make(chan string, 10)
	f := startWatch(t, func(ctx context.Context, env *Env, step book.Step, dir string) error {
		data, _ := os.ReadFile(filepath.Join(dir, "main.go"))
		checks <- string(data)
		return nil
	})
	if got := waitFor(t, checks, "first check"); got != "package main\n" {
		t.Fatalf("first check saw %q", got)
	}
	f.save(t, 1)
	if got := waitFor(t, checks, "check after the save"); got != "package main\n// save 1\n" {
		t.Fatalf("check after the save saw %q", got)
	}
	// Nothing changed since: no check more.
	select {
	case got := <-checks:
		t.Fatalf("a check without a save (saw %q)", got)
	case <-time.After(200 * time.Millisecond):
	}
}

// A save during a check cancels it; the next check starts only once the
// cancelled one has returned.
func TestWatchCancelsACheckOnSave(t *testing.T) {
	var mu sync.Mutex
	running := 0
	started := make(chan int, 10)
	cancelled := make(chan int, 10)
	n := 0
	f := startWatch(t, func(ctx context.Context, env *Env, step book.Step, dir string) error {
		mu.Lock()
		n++
		me := n
		running++
		overlap := running > 1
		mu.Unlock()
		if overlap {
			t.Errorf("check %d started while another ran", me)
		}
		started <- me
		<-ctx.Done() // a check that would take long
		mu.Lock()
		running--
		mu.Unlock()
		cancelled <- me
		return &ExitError{Code: 2}
	})
	if got := waitFor(t, started, "first check"); got != 1 {
		t.Fatalf("first check is number %d", got)
	}
	f.save(t, 1)
	if got := waitFor(t, cancelled, "cancellation of the first check"); got != 1 {
		t.Fatalf("check %d cancelled, want 1", got)
	}
	if got := waitFor(t, started, "second check"); got != 2 {
		t.Fatalf("second check is number %d", got)
	}
	f.cancel()
	if got := waitFor(t, cancelled, "cancellation at the end"); got != 2 {
		t.Fatalf("check %d cancelled at the end, want 2", got)
	}
}

// q quits; l lists the course.
func TestWatchKeys(t *testing.T) {
	checks := make(chan struct{}, 10)
	f := startWatch(t, func(ctx context.Context, env *Env, step book.Step, dir string) error {
		checks <- struct{}{}
		return nil
	})
	waitFor(t, checks, "first check")
	io.WriteString(f.stdin, "l\n")
	io.WriteString(f.stdin, "q\n")
	if err := waitFor(t, f.ended, "end after q"); err != nil {
		t.Fatalf("watch ended with %v", err)
	}
	f.ended <- nil // for the cleanup
	out := f.out.String()
	for _, want := range []string{"STEP  TITLE", "Keys: h hint"} {
		if !bytes.Contains([]byte(out), []byte(want)) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// n moves the watch to the next step's workspace, made by tutor start
// when there is none.
func TestWatchNextStep(t *testing.T) {
	t.Chdir(t.TempDir()) // tutor start writes glomers-work/2 here
	type call struct{ step, dir string }
	checks := make(chan call, 10)
	f := startWatch(t, func(ctx context.Context, env *Env, step book.Step, dir string) error {
		checks <- call{step.ID, dir}
		return nil
	})
	if got := waitFor(t, checks, "first check"); got.step != "1" {
		t.Fatalf("first check of step %s", got.step)
	}
	io.WriteString(f.stdin, "n\n")
	got := waitFor(t, checks, "check of the next step")
	if got.step != "2" || filepath.Base(got.dir) != "2" || filepath.Base(filepath.Dir(got.dir)) != course.WorkDir {
		t.Fatalf("after n, a check of step %s in %s; want step 2 in %s/2", got.step, got.dir, course.WorkDir)
	}
	if _, err := os.Stat(filepath.Join(got.dir, "main.go")); err != nil {
		t.Errorf("the next step's workspace has no main.go: %v", err)
	}
}
