package cli

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/glomers/glomers/internal/progress"
)

// lastCheck says when and against what a step's recorded result was
// obtained, for tutor list: "Dec 6 14:05, glomers-work/1".
func lastCheck(r progress.Result, ok bool) string {
	if !ok {
		return ""
	}
	s := r.At.Local().Format("Jan 2 15:04")
	if t := shortPath(r.Target); t != "" {
		s += ", " + t
	}
	if r.Flags != "" {
		s += " " + r.Flags
	}
	return s
}

// shortPath shows a path under the current directory relative to it.
func shortPath(p string) string {
	if !filepath.IsAbs(p) {
		return p
	}
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}
