package cli

import (
	"flag"
	"time"

	"github.com/glomers/glomers/internal/harness"
)

// checkFlags are tutor check's own flags, beyond Maelstrom's.
type checkFlags struct {
	run       int    // only this run of the step (1 is the first)
	reference bool   // the reference solution, even with a workspace
	maelstrom string // real Maelstrom's script, instead of the harness
	record    bool   // record the result, whatever the target
	quick     bool   // a short run, never recorded
	full      bool   // run the workload even after a transcript failed
}

// checkOnlyFlags are check's own flags, which Maelstrom does not know;
// the value says whether the flag takes a value. --json is Maelstrom's
// name too, but check gives it its own meaning (one JSON document).
var checkOnlyFlags = map[string]bool{
	"run": true, "reference": false, "maelstrom": true,
	"record": false, "quick": false, "full": false, "json": false,
	"keep": true, "strict": false,
}

// declare adds check's own flags to fs, into c.
func (c *checkFlags) declare(fs *flag.FlagSet) {
	fs.IntVar(&c.run, "run", 0, "only this run of the step (1 is the first)")
	fs.BoolVar(&c.reference, "reference", false, "check the reference solution even when you have a workspace")
	fs.StringVar(&c.maelstrom, "maelstrom", "", "run the step's workload with real Maelstrom at `PATH`")
	fs.BoolVar(&c.record, "record", false, "record the result for tutor list, whatever the target")
	fs.BoolVar(&c.quick, "quick", false, "a short run: a few seconds of operations, not recorded")
	fs.BoolVar(&c.full, "full", false, "run the workload even when a transcript fails")
}

// The quick run's parameters: a few seconds of operations, and a
// recovery wait scaled down with them (the page's runs wait 10 s after
// 10 to 30 s of operations).
const (
	quickTimeLimit    = 3 * time.Second
	quickRecoveryWait = 2 * time.Second
	quickNemesisEvery = time.Second
)

// applyQuick shortens a run's options for --quick; the learner's own
// flags, parsed after, still win.
func applyQuick(o *harness.Options) {
	o.TimeLimit = min(o.TimeLimit, quickTimeLimit)
	o.RecoveryWait = min(o.RecoveryWait, quickRecoveryWait)
	o.NemesisInterval = min(o.NemesisInterval, quickNemesisEvery)
}
