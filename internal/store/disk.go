package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// DefaultKeep is how many runs of each workload the store keeps: a step
// 2 run can write tens of megabytes, and nobody reads the hundredth one.
const DefaultKeep = 20

// Create makes the directory of a workload's run started at start, with
// its node-logs directory, and returns its path and name.
func Create(root, workload string, start time.Time) (dir, run string, err error) {
	run = RunName(start)
	dir = RunDir(root, workload, run)
	if err := os.MkdirAll(filepath.Join(dir, NodeLogs), 0o755); err != nil {
		return "", "", err
	}
	return dir, run, nil
}

// Link points the latest links of the store at root and of the workload
// at its run named run, replacing what they pointed at.
func Link(root, workload, run string) error {
	links, targets := LatestLinks(root, workload, run)
	var errs []error
	for i := range links {
		errs = append(errs, relink(links[i], targets[i]))
	}
	return errors.Join(errs...)
}

// relink points the symlink at link to target, replacing what was there
// in one rename, so a reader never finds the link missing.
func relink(link, target string) error {
	tmp := link + ".tmp"
	_ = os.Remove(tmp)
	if err := os.Symlink(target, tmp); err != nil {
		return err
	}
	return os.Rename(tmp, link)
}

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
	runs, err := Runs(root, workload)
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
	entries, err := readDir(root)
	if err != nil {
		return total, err
	}
	var errs []error
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		runs, err := Runs(root, e.Name())
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
			wl := filepath.Join(root, e.Name())
			removeLink(filepath.Join(wl, Latest))
			_ = os.Remove(wl) // only when empty
		}
	}
	if keep == 0 {
		removeLink(filepath.Join(root, Latest))
		_ = os.Remove(root) // only when empty
	}
	return total, errors.Join(errs...)
}

// readDir lists a directory of the store; a missing one is empty, as a
// store or a workload not written yet.
func readDir(dir string) ([]os.DirEntry, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return entries, err
}

// Runs lists the run directories of a workload in the store at root,
// oldest first. A workload with no directory has no runs.
func Runs(root, workload string) ([]string, error) {
	dir := filepath.Join(root, workload)
	entries, err := readDir(dir)
	if err != nil {
		return nil, err
	}
	var runs []string
	for _, e := range entries {
		if e.IsDir() && IsRunName(e.Name()) {
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
