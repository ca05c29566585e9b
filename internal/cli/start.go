package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/progress"
)

// The Maelstrom library a starter module requires, pinned as in tutor's
// own go.mod (a test keeps the two equal). The go.sum lines let the
// starter build offline once the module is in the cache, as it is for
// anyone who has run tutor.
const (
	maelstromModule  = "github.com/jepsen-io/maelstrom/demo/go"
	maelstromVersion = "v0.0.0-20251128144731-cb7f07239012"
	maelstromSum     = maelstromModule + " " + maelstromVersion + " h1:j2FpC/930Px9SWIn8lgzxEiEZOvaQ9EUs37+e1QCNLA=\n" +
		maelstromModule + " " + maelstromVersion + "/go.mod h1:i6aVIs5AIOOaQF1lAisBm7DDeWM1Iopf+26UxjagsCU=\n"
)

// WorkDir is where `tutor start` puts a step's workspace by default,
// relative to the current directory.
const WorkDir = "glomers-work"

func startCommand() *Command {
	return &Command{
		Name:  "start",
		Args:  "STEP [DIR]",
		Short: "create your own node for a step, to edit and check",
		Long: `Creates a Go module for your node for STEP in DIR (default
glomers-work/STEP): a main package on Maelstrom's Go library that starts,
answers init, and does nothing else yet. If you have a workspace for an
earlier step, its files are copied instead, so you carry your code on.

From then on "tutor check STEP" checks your workspace (it says so), and
"tutor check STEP --reference" checks the reference solution.`,
		Run: func(env *Env, args []string) error {
			if len(args) == 0 || len(args) > 2 {
				return fmt.Errorf("start: want STEP [DIR]; valid steps: %s", strings.Join(book.IDs(), ", "))
			}
			step, err := book.Lookup(args[0])
			if err != nil {
				return err
			}
			dir := filepath.Join(WorkDir, step.ID)
			if len(args) == 2 {
				dir = args[1]
			}
			abs, err := filepath.Abs(dir)
			if err != nil {
				return fmt.Errorf("start: %v", err)
			}
			if entries, err := os.ReadDir(abs); err == nil && len(entries) > 0 {
				return fmt.Errorf("start: %s already exists and is not empty: check it with tutor check %s %s, or choose another DIR", dir, step.ID, dir)
			}
			path, err := progress.Path(env.Getenv)
			if err != nil {
				return err
			}
			p, err := progress.Load(path)
			if err != nil {
				return err
			}
			if from, prev := previousWorkspace(p, step); from != "" {
				if err := copyWorkspace(from, abs); err != nil {
					return fmt.Errorf("start: copy %s: %v", from, err)
				}
				fmt.Fprintf(env.Stdout, "Copied your step %s node from %s to %s.\n", prev, from, dir)
			} else {
				if err := writeStarter(abs, step); err != nil {
					return fmt.Errorf("start: %v", err)
				}
				fmt.Fprintf(env.Stdout, "Created a starter node for step %s in %s.\n", step.ID, dir)
			}
			if err := progress.Update(path, func(p *progress.Progress) { p.Workspaces[step.ID] = abs }); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "\nRead the step:   tutor read %s\nEdit:            %s\nCheck your node: tutor check %s\n",
				step.ID, filepath.Join(dir, "main.go"), step.ID)
			return nil
		},
	}
}

// previousWorkspace finds the learner's workspace for the nearest earlier
// step that still exists.
func previousWorkspace(p progress.Progress, step book.Step) (dir, id string) {
	ids := book.IDs()
	for i := len(ids) - 1; i >= 0; i-- {
		if ids[i] != step.ID {
			continue
		}
		for j := i - 1; j >= 0; j-- {
			ws := p.Workspaces[ids[j]]
			if st, err := os.Stat(ws); ws != "" && err == nil && st.IsDir() {
				return ws, ids[j]
			}
		}
	}
	return "", ""
}

// copyWorkspace copies a workspace's files, leaving out hidden entries and
// executables (a node built in place).
func copyWorkspace(from, to string) error {
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if rel != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		info, err := d.Info()
		if err != nil || !info.Mode().IsRegular() || info.Mode()&0o111 != 0 {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

func writeStarter(dir string, step book.Step) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := map[string]string{
		"go.mod":  "module glomers-node\n\ngo 1.26\n\nrequire " + maelstromModule + " " + maelstromVersion + "\n",
		"go.sum":  maelstromSum,
		"main.go": starterMain(step),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// starterMain is a node that compiles, answers init (the library does)
// and handles nothing else: every request then stops it with "No handler
// for ...", which tutor check reports, pointing the learner at what to
// write.
func starterMain(step book.Step) string {
	return `// Your node for step ` + step.ID + `, ` + step.Title + `.
//
// Read the step:   tutor read ` + step.ID + `
// Check this node: tutor check ` + step.ID + `
// Stuck:           tutor hint ` + step.ID + `
package main

import (
	"log"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

func main() {
	n := maelstrom.NewNode()

	// Register a handler for each message type the step sends, for
	// example:
	//
	//	n.Handle("echo", func(msg maelstrom.Message) error {
	//		...
	//		return n.Reply(msg, map[string]any{"type": "echo_ok", ...})
	//	})

	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
`
}
