//go:build linux

package glomers_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNoOrphans runs the real tutor binary on real node processes and
// counts, through /proc, the processes left behind when a run ends
// normally, by a node crash, by a harness error and by Ctrl-C. Every
// process a run starts has the test's temporary directory in its command
// line (the node binaries live there, and a node's own child is marked the
// same way), so the count is exact and ignores everything else on the
// machine.
func TestNoOrphans(t *testing.T) {
	if testing.Short() {
		t.Skip("builds tutor and runs real processes for about 20 s")
	}
	dir := t.TempDir()
	tutor := filepath.Join(dir, "tutor")
	build := func(out, pkg string) {
		cmd := exec.Command("go", "build", "-o", out, pkg)
		cmd.Dir = repo
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, b)
		}
	}
	build(tutor, "./cmd/tutor")
	build(filepath.Join(dir, "crashy"), "./testdata/nodes/crashy")
	script := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// A correct echo node: tutor's own reference solution.
	echo := script("echo-node", "exec "+tutor+" node 1")
	// A node that never answers init and has a child of its own, marked
	// with the directory so the count sees it.
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep command")
	}
	b, err := os.ReadFile(sleep)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sleep"), b, 0o755); err != nil {
		t.Fatal(err)
	}
	silent := script("silent-node", dir+"/sleep 600 & wait")

	run := func(name string, signal bool, args ...string) (int, string) {
		t.Helper()
		store := filepath.Join(dir, "store-"+name)
		cmd := exec.Command(tutor, append(args, "--store", store)...)
		cmd.Env = append(os.Environ(), "GLOMERS_PROGRESS="+filepath.Join(dir, "progress.json"))
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if signal {
			// Interrupt only in the main phase, once the nodes are up, so
			// that there is something to leave behind. The journal, written
			// as the run goes, shows a client's echo. The machine may be
			// loaded, so wait as long as it takes.
			deadline := time.Now().Add(60 * time.Second)
			for time.Now().Before(deadline) {
				journals, _ := filepath.Glob(filepath.Join(store, "echo", "*", "journal.jsonl"))
				if len(journals) > 0 {
					if b, _ := os.ReadFile(journals[0]); bytes.Count(b, []byte(`"type":"echo_ok"`)) >= 3 {
						break
					}
				}
				time.Sleep(50 * time.Millisecond)
			}
			// tutor and its three nodes. A single look can miss one (a
			// process in the middle of an exec has no command line for a
			// moment) or count a forked child that has not exec'd yet, so
			// look until the count holds.
			var n int
			for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
				if n = len(processes(t, dir)); n >= 4 {
					break
				}
			}
			if n < 4 {
				_ = cmd.Process.Signal(syscall.SIGINT)
				_ = cmd.Wait()
				t.Fatalf("%s: only %d processes running in the main phase:\n%s", name, n, out.String())
			}
			if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		var err error
		select {
		case err = <-done:
		case <-time.After(120 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("%s: tutor did not finish within 120 s\n%s", name, out.String())
		}
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		// tutor reaps its nodes before it exits; give the kernel a
		// moment to drop their /proc entries.
		deadline := time.Now().Add(5 * time.Second)
		for len(processes(t, dir)) > 0 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if left := processes(t, dir); len(left) > 0 {
			t.Errorf("%s: %d processes left behind: %q", name, len(left), left)
		}
		return code, store
	}

	echoArgs := []string{"test", "-w", "echo", "--bin", echo, "--node-count", "3", "--rate", "20"}
	if code, _ := run("normal", false, append(echoArgs, "--time-limit", "2")...); code != 0 {
		t.Errorf("normal run: exit %d, want 0", code)
	}
	if code, _ := run("crash", false, "test", "-w", "echo", "--bin", filepath.Join(dir, "crashy"), "--node-count", "2", "--time-limit", "5", "--rate", "20"); code != 1 {
		t.Errorf("crashed node: exit %d, want 1", code)
	}
	if code, _ := run("harness-error", false, "test", "-w", "echo", "--bin", silent, "--node-count", "2", "--time-limit", "2"); code == 0 {
		t.Errorf("node that never answers init: exit 0")
	}
	code, store := run("sigint", true, append(echoArgs, "--time-limit", "60")...)
	if code != 2 {
		t.Errorf("interrupted run: exit %d, want 2", code)
	}
	results, err := os.ReadFile(filepath.Join(store, "latest", "results.json"))
	if err != nil {
		matches, _ := filepath.Glob(filepath.Join(store, "echo", "*", "results.json"))
		if len(matches) == 0 {
			t.Fatalf("interrupted run kept no results.json: %v", err)
		}
		results, _ = os.ReadFile(matches[0])
	}
	if !bytes.Contains(results, []byte(`"interrupted"`)) {
		t.Errorf("results.json of the interrupted run does not say so:\n%.400s", results)
	}
	hist, _ := filepath.Glob(filepath.Join(store, "echo", "*", "history.jsonl"))
	if len(hist) == 0 {
		t.Fatal("interrupted run kept no history")
	}
	if b, _ := os.ReadFile(hist[0]); bytes.Count(b, []byte("\n")) < 6 {
		t.Errorf("interrupted run's history holds %d lines, want at least the three echoes seen before the interrupt", bytes.Count(b, []byte("\n")))
	}
}

// processes lists the command lines of live processes whose command line
// mentions marker.
func processes(t *testing.T, marker string) []string {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	var found []string
	for _, e := range entries {
		if strings.Trim(e.Name(), "0123456789") != "" {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || len(b) == 0 {
			continue // gone, or a zombie already reaped of its cmdline
		}
		line := strings.ReplaceAll(strings.TrimRight(string(b), "\x00"), "\x00", " ")
		if strings.Contains(line, marker) {
			found = append(found, e.Name()+": "+line)
		}
	}
	return found
}
