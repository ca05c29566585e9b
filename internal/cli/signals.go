package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// stopSignals are the signals that end a check early: Ctrl-C, kill and a
// closed terminal. Caught, they cancel the check's context instead of
// killing tutor on the spot, so the check stops its nodes and builds
// (which run under that context) and removes its temporary build
// directory on the way out.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// signalContext returns a context cancelled by the first of stopSignals,
// or by a write to env's stdout or stderr that finds its reader gone
// (tutor check 1 | head); stop restores the signals' default handling.
// A second Ctrl-C while the check winds down still interrupts it, as the
// harness's own handler sees it.
//
// SIGPIPE is caught too, so that a broken stdout makes writes fail with
// EPIPE instead of killing tutor before it cleans up; but it never
// cancels by itself, since a node that exits early raises it as well,
// when tutor writes to the node's stdin, and that is the node's failure
// to report, not the learner's wish to stop.
func signalContext(parent context.Context, env *Env) (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(parent, stopSignals...)
	ctx, cancel := context.WithCancel(ctx)
	pipe := make(chan os.Signal, 1)
	signal.Notify(pipe, syscall.SIGPIPE)
	env.Stdout = brokenPipeCancels{env.Stdout, cancel}
	env.Stderr = brokenPipeCancels{env.Stderr, cancel}
	return ctx, func() {
		signal.Stop(pipe)
		cancel()
		stop()
	}
}

// brokenPipeCancels is a writer that cancels a check when its reader has
// gone away: nobody is left to read the verdict.
type brokenPipeCancels struct {
	w      io.Writer
	cancel context.CancelFunc
}

func (b brokenPipeCancels) Write(p []byte) (int, error) {
	n, err := b.w.Write(p)
	if errors.Is(err, syscall.EPIPE) {
		b.cancel()
	}
	return n, err
}

// Unwrap gives the writer beneath, so that isTerminal still sees the
// terminal a check writes to.
func (b brokenPipeCancels) Unwrap() io.Writer { return b.w }
