package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// stopSignals are the signals that end a check early: Ctrl-C, kill, a
// closed terminal, and a reader that went away (tutor check 1 | head).
// Caught, they cancel the check's context instead of killing tutor on
// the spot, so the check stops its nodes and builds (which run under
// that context) and removes its temporary build directory on the way
// out. A write to a closed pipe then fails with EPIPE rather than
// killing the process.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGPIPE}

// signalContext returns a context cancelled by the first of stopSignals;
// stop restores their default handling. A second Ctrl-C while the check
// winds down still interrupts it, as the harness's own handler sees it.
func signalContext(parent context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(parent, stopSignals...)
}
