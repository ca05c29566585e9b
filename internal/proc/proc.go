// Package proc starts node processes and hands the harness their three
// standard streams. A node is either a real child process (a learner's
// binary, or `tutor node STEP` for a reference solution) or, in tests, a Go
// function run in-process over pipes, so whole runs can execute inside
// testing/synctest on a fake clock.
//
// This package owns the children's lifecycle: every process it starts is
// put in its own process group and killed, group and all, by Kill; Wait
// reaps it. Callers must call Kill and then Wait on every Process, on every
// path.
package proc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
)

// Process is a running node.
type Process interface {
	// Stdin receives messages for the node; closing it tells the node the
	// run is over.
	Stdin() io.WriteCloser
	// Stdout carries the node's messages, one per line.
	Stdout() io.Reader
	// Stderr carries the node's free-form log.
	Stderr() io.Reader
	// Wait blocks until the node has exited and returns how it exited.
	// It may be called from several goroutines.
	Wait() error
	// Kill stops the node and anything it started. Safe to call twice and
	// after the node exited.
	Kill()
}

// Launcher starts the node with the given id.
type Launcher interface {
	Launch(id string) (Process, error)
	// Describe names what is launched, for messages: "./mynode", "tutor
	// node 3b".
	Describe() string
}

// Exec launches a binary with arguments, once per node.
type Exec struct {
	Path string
	Args []string
	// Env, when not nil, is the environment of the children.
	Env []string
}

// NewExec checks that path is an executable file and returns a launcher
// for it. A missing or non-executable file is an error naming it.
func NewExec(path string, args ...string) (*Exec, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("binary %s: %w", path, err)
	}
	if _, err := os.Stat(abs); err != nil && filepath.Base(path) == path {
		// Like Maelstrom, a --bin path is taken relative to the working
		// directory; a bare name not found there is looked up on PATH.
		if p, err := exec.LookPath(path); err == nil {
			abs = p
		}
	}
	st, err := os.Stat(abs)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("binary %s: no such file", path)
	case err != nil:
		return nil, fmt.Errorf("binary %s: %w", path, err)
	case st.IsDir():
		return nil, fmt.Errorf("binary %s: is a directory", path)
	case st.Mode()&0o111 == 0:
		return nil, fmt.Errorf("binary %s: not executable (try chmod +x %s)", path, path)
	}
	return &Exec{Path: abs, Args: args}, nil
}

// Describe implements Launcher.
func (e *Exec) Describe() string {
	s := e.Path
	for _, a := range e.Args {
		s += " " + a
	}
	return s
}

// Launch implements Launcher.
func (e *Exec) Launch(id string) (Process, error) {
	cmd := exec.Command(e.Path, e.Args...)
	cmd.Env = e.Env
	ownGroup(cmd)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	// The output pipes are made here rather than with StdoutPipe, whose
	// read end Wait closes as soon as the process exits: a reader still
	// draining the node's last lines (a crash report) would lose them and
	// see "file already closed". Here the read ends stay open until the
	// reader reaches EOF.
	stdout, stdoutW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	stderr, stderrW, err := os.Pipe()
	if err != nil {
		stdout.Close()
		stdoutW.Close()
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = stdoutW, stderrW
	err = cmd.Start()
	// The child holds its own copies of the write ends; the parent's must
	// go so that the readers see EOF when the node's process group is gone.
	stdoutW.Close()
	stderrW.Close()
	if err != nil {
		stdout.Close()
		stderr.Close()
		return nil, fmt.Errorf("start %s: %w", id, err)
	}
	p := &execProcess{pipes: newPipes(stdin, closeAtEOF{stdout}, closeAtEOF{stderr}), cmd: cmd}
	go func() { p.exit(cmd.Wait()) }()
	return p, nil
}

// closeAtEOF closes a pipe's read end once it has been read to the end
// (or failed), since nothing else owns it.
type closeAtEOF struct{ f *os.File }

func (c closeAtEOF) Read(b []byte) (int, error) {
	n, err := c.f.Read(b)
	if err != nil {
		c.f.Close()
	}
	return n, err
}

// pipes are what a started node of either kind hands over: its streams,
// and how it ended once it has.
type pipes struct {
	stdin  io.WriteCloser
	stdout io.Reader
	stderr io.Reader
	done   chan struct{} // closed when the node has ended and err is set
	err    error
	kill   sync.Once
}

func newPipes(stdin io.WriteCloser, stdout, stderr io.Reader) pipes {
	return pipes{stdin: stdin, stdout: stdout, stderr: stderr, done: make(chan struct{})}
}

func (p *pipes) Stdin() io.WriteCloser { return p.stdin }
func (p *pipes) Stdout() io.Reader     { return p.stdout }
func (p *pipes) Stderr() io.Reader     { return p.stderr }

func (p *pipes) Wait() error {
	<-p.done
	return p.err
}

// exit records how the node ended and wakes Wait.
func (p *pipes) exit(err error) {
	p.err = err
	close(p.done)
}

type execProcess struct {
	pipes
	cmd *exec.Cmd
}

func (p *execProcess) Kill() {
	p.kill.Do(func() {
		killGroup(p.cmd)
		_ = p.cmd.Process.Kill()
	})
}

// Func is a node implemented by a Go function, run in-process. Run must
// return when stdin reaches EOF or ctx is cancelled.
type Func struct {
	Name string
	Run  func(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer) error
}

// Describe implements Launcher.
func (f *Func) Describe() string { return f.Name }

// Launch implements Launcher.
func (f *Func) Launch(id string) (Process, error) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	errR, errW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	p := &funcProcess{pipes: newPipes(inW, outR, errR), cancel: cancel}
	go func() {
		err := f.Run(ctx, inR, outW, errW)
		outW.Close()
		errW.Close()
		inR.CloseWithError(io.ErrClosedPipe)
		p.exit(err)
	}()
	p.closeAll = func() {
		cancel()
		inR.CloseWithError(io.ErrClosedPipe)
		outW.CloseWithError(io.ErrClosedPipe)
		errW.CloseWithError(io.ErrClosedPipe)
	}
	return p, nil
}

type funcProcess struct {
	pipes
	cancel   context.CancelFunc
	closeAll func()
}

func (p *funcProcess) Kill() { p.kill.Do(p.closeAll) }
