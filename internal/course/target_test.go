package course

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The workspace is recognised however it is named.
func TestIsWorkspace(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.MkdirAll(filepath.Join("glomers-work", "1"), 0o755); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(filepath.Join("glomers-work", "1"))
	for _, p := range []string{"glomers-work/1", "./glomers-work/1/", abs} {
		if !IsWorkspace(p, abs) {
			t.Errorf("%s is not taken for the workspace %s", p, abs)
		}
	}
	if IsWorkspace("glomers-work", abs) || IsWorkspace("glomers-work/1", "") {
		t.Error("another directory, or no workspace, taken for the workspace")
	}
}

// Without TARGET, the learner's workspace (made by Start) is checked, and
// with --reference, or without a workspace, the reference solution.
func TestChooseTarget(t *testing.T) {
	getenv := learner(t)
	node := func(id string) ([]string, error) { return []string{"/bin/tutor", "node", id}, nil }
	step := lookup(t, "1")
	req := TargetRequest{NodeCommand: node}
	tgt, _, has, err := ChooseTarget(context.Background(), getenv, step, req, nil)
	if err != nil || !tgt.Reference || has || tgt.Path != "/bin/tutor" {
		t.Fatalf("no workspace: %+v, workspace %v, %v; want the reference", tgt, has, err)
	}
	if _, err := Start(getenv, step, filepath.Join(WorkDir, "1")); err != nil {
		t.Fatal(err)
	}
	req.Reference = true
	tgt, _, has, err = ChooseTarget(context.Background(), getenv, step, req, nil)
	if err != nil || !tgt.Reference || !has {
		t.Fatalf("--reference: %+v, workspace %v, %v; want the reference", tgt, has, err)
	}
	lib := filepath.Join(t.TempDir(), "echo")
	if err := os.MkdirAll(lib, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(lib, "echo.go"), []byte("package echo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	req = TargetRequest{Arg: lib, NodeCommand: node}
	if _, _, _, err := ChooseTarget(context.Background(), getenv, step, req, nil); err == nil || !strings.Contains(err.Error(), "is package echo, not a program") {
		t.Errorf("a library package as TARGET: %v", err)
	}
	req = TargetRequest{Arg: "missing", NodeCommand: node}
	if _, _, _, err := ChooseTarget(context.Background(), getenv, step, req, nil); err == nil || err.Error() != "target missing: no such file or directory" {
		t.Errorf("a missing TARGET: %v", err)
	}
}
