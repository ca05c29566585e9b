package course

import (
	"context"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/proc"
)

// TargetRequest is what the learner asked a check to run.
type TargetRequest struct {
	// Arg is TARGET as given; "" for none.
	Arg string
	// Reference asks for the reference solution even when the learner
	// has a workspace for the step (--reference).
	Reference bool
	// NodeCommand is the command that runs a step's reference solution
	// (tutor node STEP); the solutions live above this package.
	NodeCommand func(stepID string) ([]string, error)
}

// ChooseTarget finds the node to check: TARGET, else the learner's
// workspace for the step, else the reference solution. hasWorkspace says
// whether the learner has a workspace for the step at all; the returned
// function removes what was built.
func ChooseTarget(ctx context.Context, getenv Getenv, step book.Step, req TargetRequest, obs Observer) (tgt Target, cleanup func(), hasWorkspace bool, err error) {
	if obs == nil {
		obs = nobody{}
	}
	ws, wsErr := Workspace(getenv, step)
	switch {
	case req.Arg != "":
		tgt, cleanup, err = ResolveTarget(ctx, req.Arg, obs)
		tgt.Workspace = IsWorkspace(req.Arg, ws)
	case !req.Reference && wsErr == nil:
		obs.WorkspaceChosen(ws)
		tgt, cleanup, err = ResolveTarget(ctx, ws, obs)
		tgt.Workspace = true
	case !req.Reference && !errors.Is(wsErr, ErrNoWorkspace):
		err = wsErr
	default:
		tgt, err = ReferenceTarget(step, req.NodeCommand)
		cleanup = func() {}
	}
	return tgt, cleanup, wsErr == nil, err
}

// ReferenceTarget is the step's reference solution, run by nodeCommand.
func ReferenceTarget(step book.Step, nodeCommand func(stepID string) ([]string, error)) (Target, error) {
	if !step.HasSolution() {
		var solved []string
		for _, s := range book.Steps() {
			if s.HasSolution() {
				solved = append(solved, s.ID)
			}
		}
		return Target{}, fmt.Errorf("step %s has no reference solution yet; give a TARGET to check your own node (steps with one: %s)", step.ID, strings.Join(solved, ", "))
	}
	cmd, err := nodeCommand(step.ID)
	if err != nil {
		return Target{}, fmt.Errorf("find tutor's own binary: %v", err)
	}
	return Target{Name: "the reference solution (tutor node " + step.ID + ")", Path: cmd[0], Args: cmd[1:], Reference: true}, nil
}

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
	if name := packageName(gofiles); name != "" && name != "main" {
		// go build writes a library's archive, not a program, and the
		// check would then fail to start it with "permission denied".
		return Target{}, nil, fmt.Errorf("target %s is package %s, not a program: give a directory holding package main with a func main (tutor start STEP writes one)", arg, name)
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

// packageName is the package the non-test files among gofiles declare,
// "" when none can be read (go build then says what is wrong).
func packageName(gofiles []string) string {
	for _, f := range gofiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.PackageClauseOnly)
		if err == nil {
			return file.Name.Name
		}
	}
	return ""
}
