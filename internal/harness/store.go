package harness

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
)

// DefaultKeep is how many runs of each workload the store keeps: a step
// 2 run can write tens of megabytes, and nobody reads the hundredth one.
const DefaultKeep = 20

// runName is a run directory's name under its workload: its start time,
// which sorts in time order.
var runName = regexp.MustCompile(`^\d{8}T\d{6}\.\d{3}$`)

// Removed says what Prune or Clean took out of a store.
type Removed struct {
	Runs      int
	Workloads int // workloads that lost runs
	Bytes     int64
}

// String is the one-line account a learner reads.
func (r Removed) String() string {
	if r.Runs == 0 {
		return "no stored runs removed"
	}
	return fmt.Sprintf("removed %d run%s of %d workload%s (%s)", r.Runs, plural(r.Runs), r.Workloads, plural(r.Workloads), size(r.Bytes))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func size(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(b)/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(b)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", b)
}

// Prune removes the oldest runs of one workload in the store at root,
// keeping the newest keep (all when keep is 0). Only directories named
// like runs are touched.
func Prune(root, workload string, keep int) (Removed, error) {
	var r Removed
	if keep <= 0 {
		return r, nil
	}
	runs, err := runsOf(filepath.Join(root, workload))
	if err != nil || len(runs) <= keep {
		return r, err
	}
	var errs []error
	for _, dir := range runs[:len(runs)-keep] {
		r.Bytes += du(dir)
		if err := os.RemoveAll(dir); err != nil {
			errs = append(errs, err)
			continue
		}
		r.Runs++
	}
	if r.Runs > 0 {
		r.Workloads = 1
	}
	return r, errors.Join(errs...)
}

// Clean removes the stored runs under root, all but the newest keep of
// each workload (all of them when keep is 0), and then the latest links
// and directories left empty. Files it did not write are left alone, so
// a store directory given by mistake loses nothing else. A missing store
// is not an error: there is nothing to clean.
func Clean(root string, keep int) (Removed, error) {
	var total Removed
	entries, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return total, nil
	}
	if err != nil {
		return total, err
	}
	var errs []error
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		wl := filepath.Join(root, e.Name())
		runs, err := runsOf(wl)
		if err != nil || len(runs) == 0 {
			continue
		}
		var r Removed
		if keep > 0 {
			r, err = Prune(root, e.Name(), keep)
		} else {
			for _, dir := range runs {
				r.Bytes += du(dir)
				if err = os.RemoveAll(dir); err != nil {
					break
				}
				r.Runs++
			}
			if r.Runs > 0 {
				r.Workloads = 1
			}
		}
		errs = append(errs, err)
		total.Runs += r.Runs
		total.Workloads += r.Workloads
		total.Bytes += r.Bytes
		if keep == 0 {
			removeLink(filepath.Join(wl, "latest"))
			_ = os.Remove(wl) // only when empty
		}
	}
	if keep == 0 {
		removeLink(filepath.Join(root, "latest"))
		_ = os.Remove(root) // only when empty
	}
	return total, errors.Join(errs...)
}

// runsOf lists a workload's run directories, oldest first.
func runsOf(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var runs []string
	for _, e := range entries {
		if e.IsDir() && runName.MatchString(e.Name()) {
			runs = append(runs, filepath.Join(dir, e.Name()))
		}
	}
	slices.Sort(runs)
	return runs, nil
}

// removeLink removes path if it is a symbolic link.
func removeLink(path string) {
	if st, err := os.Lstat(path); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		_ = os.Remove(path)
	}
}

// du is the size of the files under dir.
func du(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
