package deptest

import (
	"bufio"
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/glomers/glomers"

type pkg struct {
	path    string
	imports []string // direct, non-test
	deps    []string // transitive, non-test
}

func list(t *testing.T) map[string]pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}|{{join .Imports ","}}|{{join .Deps ","}}`, module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]pkg{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "|")
		pkgs[f[0]] = pkg{path: f[0], imports: split(f[1]), deps: split(f[2])}
	}
	return pkgs
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func under(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

// lookup returns one of our packages by its path inside the module.
func lookup(t *testing.T, rel string) pkg {
	t.Helper()
	p, ok := list(t)[module+"/"+rel]
	if !ok {
		t.Fatalf("%s is missing", rel)
	}
	return p
}

// avoids reports each of paths, p's imports or dependencies as verb says,
// that lies under one of our packages banned.
func avoids(t *testing.T, p pkg, paths []string, verb string, banned ...string) {
	t.Helper()
	for _, d := range paths {
		for _, b := range banned {
			if under(d, module+"/"+b) {
				t.Errorf("%s %s %s", p.path, verb, d)
			}
		}
	}
}

// reachesNoProcessOrSocket reports each dependency of p that starts
// processes or opens sockets.
func reachesNoProcessOrSocket(t *testing.T, p pkg) {
	t.Helper()
	for _, d := range p.deps {
		if d == "os/exec" || d == "net" || under(d, "net/http") {
			t.Errorf("%s depends on %s", p.path, d)
		}
	}
}

// ARCHITECTURE.md, "Rules the tests enforce": the harness never imports solutions, the CLI or the Maelstrom
// library, so learners' nodes and ours are tested the same way, as
// processes.
func TestHarnessIndependentOfSolutionsAndCLI(t *testing.T) {
	for _, p := range list(t) {
		if !under(p.path, module+"/internal") || under(p.path, module+"/internal/cli") || under(p.path, module+"/internal/deptest") {
			continue
		}
		for _, d := range p.deps {
			for _, banned := range []string{module + "/solutions", module + "/internal/cli", module + "/cmd", "github.com/jepsen-io/maelstrom/demo/go"} {
				if under(d, banned) {
					t.Errorf("%s depends on %s", p.path, d)
				}
			}
		}
	}
}

// ARCHITECTURE.md: checkers, histories, the network model, the nemesis and the
// services are pure: no files, processes or sockets; so are the drawings
// (internal/visual), functions from recorded data to bytes.
func TestPureCoreDoesNoIO(t *testing.T) {
	pure := []string{"internal/proto", "internal/history", "internal/netsim", "internal/nemesis", "internal/service", "internal/workload", "internal/visual"}
	for _, p := range list(t) {
		isPure := false
		for _, prefix := range pure {
			if under(p.path, module+"/"+prefix) {
				isPure = true
			}
		}
		if !isPure {
			continue
		}
		// fmt itself imports os, so os is checked among direct imports
		// only; nothing pure may reach processes or sockets at all.
		for _, d := range p.imports {
			if d == "os" || d == "io/fs" || d == "path/filepath" {
				t.Errorf("%s imports %s", p.path, d)
			}
		}
		reachesNoProcessOrSocket(t, p)
	}
}

// That solutions import nothing from this repository is tested where they
// live, in the root package (deps_test.go), which also covers their tests.

// ARCHITECTURE.md: the embedded content (package glomers) has one reader,
// package book, so that the paths inside it are known in one place.
func TestOnlyBookReadsTheContent(t *testing.T) {
	for _, p := range list(t) {
		if p.path == module+"/book" || !under(p.path, module) {
			continue
		}
		for _, d := range p.imports {
			if d == module {
				t.Errorf("%s imports %s; read the content through package book", p.path, d)
			}
		}
	}
}

// ARCHITECTURE.md: internal/store owns the run directory and touches files
// only: it starts no process and opens no socket, and it imports nothing
// of ours but the pure packages, so the report and the drawings can read
// its names and its Event without pulling the harness in.
func TestStoreOnlyTouchesFiles(t *testing.T) {
	p := lookup(t, "internal/store")
	reachesNoProcessOrSocket(t, p)
	avoids(t, p, p.deps, "depends on", "internal/harness", "internal/report", "internal/visual", "internal/proc", "internal/cli", "internal/progress")
}

// ARCHITECTURE.md: internal/course holds the use cases below the CLI:
// the CLI may import it, never the other way round, and it renders
// nothing itself (no report or drawing package of its own choosing), so
// that the terminal, --json and tutor watch show one and the same check.
func TestCourseBelowTheCLI(t *testing.T) {
	p := lookup(t, "internal/course")
	avoids(t, p, p.deps, "depends on", "internal/cli", "cmd", "solutions")
	avoids(t, p, p.imports, "imports", "internal/report", "internal/visual")
}

// ARCHITECTURE.md: internal/checkertest reads and rewrites case files, and
// internal/workload/workloadtest fails tests through package testing, so
// only tests may use them; no program carries them.
func TestTestHelpersAreForTestsOnly(t *testing.T) {
	for _, p := range list(t) {
		for _, d := range p.deps {
			if d == module+"/internal/checkertest" || d == module+"/internal/workload/workloadtest" {
				t.Errorf("%s depends on %s", p.path, d)
			}
		}
	}
}
