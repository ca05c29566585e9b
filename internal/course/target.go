package course

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/glomers/glomers/internal/proc"
)

// ResolveTarget turns a TARGET into something to run: an executable file as
// it is, a directory with Go files built with `go build` into a temporary
// directory, which the returned function removes.
func ResolveTarget(ctx context.Context, arg string, obs Observer) (Target, func(), error) {
	st, err := os.Stat(arg)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return Target{}, nil, fmt.Errorf("target %s: no such file or directory", arg)
		}
		return Target{}, nil, fmt.Errorf("target %s: %v", arg, err)
	}
	if !st.IsDir() {
		if filepath.Ext(arg) == ".go" {
			// A Go source file is not something to run: its package's
			// directory is what tutor builds.
			return Target{}, nil, fmt.Errorf("target %s is a Go source file: give its package's directory instead (%s), which tutor builds", arg, filepath.Dir(arg))
		}
		e, err := proc.NewExec(arg)
		if err != nil {
			return Target{}, nil, err
		}
		return Target{Name: arg, Path: e.Path}, func() {}, nil
	}
	gofiles, _ := filepath.Glob(filepath.Join(arg, "*.go"))
	if len(gofiles) == 0 {
		return Target{}, nil, fmt.Errorf("target %s is a directory without Go files: give an executable, or a Go main package directory", arg)
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		return Target{}, nil, fmt.Errorf("target %s is a Go package, but the go command is not on PATH", arg)
	}
	tmp, err := os.MkdirTemp("", "tutor-node-")
	if err != nil {
		return Target{}, nil, err
	}
	out := filepath.Join(tmp, "node")
	abs, _ := filepath.Abs(arg)
	obs.Building(arg)
	build := exec.CommandContext(ctx, goTool, "build", "-o", out, ".")
	build.Dir = abs
	var buildOut strings.Builder
	build.Stdout, build.Stderr = &buildOut, &buildOut
	if err := build.Run(); err != nil {
		os.RemoveAll(tmp)
		return Target{}, nil, fmt.Errorf("go build %s failed:\n%s", arg, "  "+strings.ReplaceAll(strings.TrimSpace(buildOut.String()), "\n", "\n  "))
	}
	return Target{Name: arg, Path: out}, func() { os.RemoveAll(tmp) }, nil
}

// IsWorkspace reports whether path is the learner's workspace ws (both
// may be relative or absolute, or reach it through a symbolic link).
func IsWorkspace(path, ws string) bool {
	if ws == "" {
		return false
	}
	a, errA := os.Stat(path)
	b, errB := os.Stat(ws)
	return errA == nil && errB == nil && os.SameFile(a, b)
}
