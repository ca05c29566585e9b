package cli

import "flag"

// checkFlags are tutor check's own flags, beyond Maelstrom's.
type checkFlags struct {
	run       int    // only this run of the step (1 is the first)
	reference bool   // the reference solution, even with a workspace
	maelstrom string // real Maelstrom's script, instead of the harness
	record    bool   // record the result, whatever the target
	quick     bool   // a short run, never recorded
	full      bool   // run the workload even after a transcript failed
}

// checkOwnFlags are check's own flags, which the runs never see; the
// value says whether the flag takes a value.
var checkOwnFlags = map[string]bool{
	"run": true, "reference": false, "maelstrom": true,
	"record": false, "quick": false, "full": false,
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
