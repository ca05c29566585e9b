package cli

import (
	"flag"
	"fmt"
	"strconv"

	"github.com/glomers/glomers/internal/store"
)

func cleanCommand() *Command {
	var root string
	var keep int
	return &Command{
		Name:  "clean",
		Args:  "[--store DIR] [--keep N]",
		Short: "remove stored runs (their results, journals and logs)",
		Long: `Removes the runs tutor check and tutor test stored under the store
directory (store, in the directory you run tutor from): each run's
results, history, message journal, node logs and report. With --keep N,
the newest N runs of each workload stay. Nothing but runs and their
latest links is removed.

Runs are pruned as they are made, too: check and test keep the newest ` + strconv.Itoa(store.DefaultKeep) + `
runs of each workload (their --keep N changes that; --keep 0 keeps all).`,
		Flags: func(fs *flag.FlagSet) {
			fs.StringVar(&root, "store", store.DefaultRoot, "the `DIR` holding the runs (default "+store.DefaultRoot+")")
			fs.IntVar(&keep, "keep", 0, "keep the newest `N` runs of each workload (default 0: none)")
		},
		Run: func(env *Env, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("clean: unexpected argument %q", args[0])
			}
			if keep < 0 {
				return fmt.Errorf("clean: --keep must be 0 or more, not %d", keep)
			}
			r, err := store.Clean(root, keep)
			fmt.Fprintf(env.Stdout, "%s from %s.\n", capitalize(r.String()), root)
			if err != nil {
				return fmt.Errorf("clean: %v", err)
			}
			return nil
		},
	}
}

// capitalize upper-cases a sentence's first letter (ASCII).
func capitalize(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
