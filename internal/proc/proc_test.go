package proc

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// alive reports whether pid is a live (not zombie) process.
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	f := strings.Fields(string(b))
	return len(f) > 2 && f[2] != "Z"
}

// A node that starts helpers of its own leaves none behind: Kill stops the
// whole process group.
func TestKillReapsGrandchildren(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	script := filepath.Join(t.TempDir(), "node.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nsleep 300 &\necho $!\ncat >/dev/null\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	e, err := NewExec(script)
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Launch("n0")
	if err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(p.Stdout()).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || !alive(pid) {
		t.Fatalf("grandchild pid %q not running", line)
	}
	p.Kill()
	p.Kill() // twice is fine
	if err := p.Wait(); err == nil {
		t.Fatal("killed node reported a clean exit")
	}
	deadline := time.Now().Add(10 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("grandchild %d survived its node", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestNewExecNamesTheProblem(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.txt")
	os.WriteFile(plain, []byte("hi"), 0o644)
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(dir, "nope"), "binary " + filepath.Join(dir, "nope") + ": no such file"},
		{dir, "binary " + dir + ": is a directory"},
		{plain, "binary " + plain + ": not executable (try chmod +x " + plain + ")"},
	} {
		if _, err := NewExec(tc.path); err == nil || err.Error() != tc.want {
			t.Errorf("NewExec(%s) = %v, want %q", tc.path, err, tc.want)
		}
	}
}

func TestFuncProcessStopsOnKill(t *testing.T) {
	f := &Func{Name: "blocked", Run: func(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer) error {
		_, err := io.Copy(io.Discard, stdin)
		return err
	}}
	p, err := f.Launch("n0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- p.Wait() }()
	p.Kill()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("in-process node did not stop when killed")
	}
}
