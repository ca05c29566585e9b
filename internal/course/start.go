package course

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/progress"
	"github.com/glomers/glomers/internal/store"
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

// ErrNotEmpty is Start's error when the workspace's directory already
// holds something: tutor start never overwrites a learner's files.
var ErrNotEmpty = errors.New("the directory is not empty")

// Started is what Start made: the workspace's absolute Dir and, when it
// carried on from an earlier step, the step (FromStep) and workspace
// (CopiedFrom) its files came from; else a starter node.
type Started struct {
	Dir                  string
	CopiedFrom, FromStep string
}

// Start makes the learner's workspace for step in dir: the files of
// their workspace for the nearest earlier step of the same part that
// still exists, or a starter node, and remembers it in their progress, where Workspace
// finds it.
func Start(getenv Getenv, step book.Step, dir string) (Started, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Started{}, err
	}
	if entries, err := os.ReadDir(abs); err == nil && len(entries) > 0 {
		return Started{}, ErrNotEmpty
	}
	p, path, err := LoadProgress(getenv)
	if err != nil {
		return Started{}, err
	}
	s := Started{Dir: abs}
	if from, prev := previousWorkspace(p, step); from != "" {
		if err := copyWorkspace(from, abs); err != nil {
			return Started{}, fmt.Errorf("copy %s: %v", from, err)
		}
		if err := renameStarterHeader(abs, prev, step); err != nil {
			return Started{}, err
		}
		s.CopiedFrom, s.FromStep = from, prev
	} else if err := writeStarter(abs, step); err != nil {
		return Started{}, err
	}
	return s, progress.Update(path, func(p *progress.Progress) { p.Workspaces[step.ID] = abs })
}

// previousWorkspace finds the learner's workspace for the nearest earlier
// step of the same part that still exists. A part starts afresh: the
// first step of part 2 (a grow-only set) has nothing to take from the
// last of part 1 (transactions), and a starter says so more plainly than
// a node full of someone else's handlers.
func previousWorkspace(p progress.Progress, step book.Step) (dir, id string) {
	steps := book.Steps()
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].ID != step.ID {
			continue
		}
		for j := i - 1; j >= 0 && steps[j].Part == step.Part; j-- {
			ws := p.Workspaces[steps[j].ID]
			if st, err := os.Stat(ws); ws != "" && err == nil && st.IsDir() {
				return ws, steps[j].ID
			}
		}
	}
	return "", ""
}

// copyWorkspace copies a workspace's files, leaving out hidden entries,
// executables (a node built in place) and the runs that checks made from
// inside the workspace (its store directory): they belong to the earlier
// step, and each step would otherwise copy every step's runs before it.
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
		if rel == store.DefaultRoot && d.IsDir() {
			return filepath.SkipDir
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

// starterHeader is the comment a starter main.go opens with: the step
// and the commands that read, check and give hints for it.
func starterHeader(step book.Step) string {
	return `// Your node for step ` + step.ID + `, ` + step.Title + `.
//
// Read the step:   tutor read ` + step.ID + `
// Check this node: tutor check ` + step.ID + `
// Stuck:           tutor hint ` + step.ID + `
`
}

// renameStarterHeader points a carried-over main.go at its new step: if
// it still opens with the starter's header for the step it came from,
// that header is replaced by the new step's, so that it does not tell
// the learner to check the node against the old step. Any other
// main.go is left as the learner wrote it.
func renameStarterHeader(dir, from string, to book.Step) error {
	prev, err := book.Lookup(from)
	if err != nil {
		return nil
	}
	path := filepath.Join(dir, "main.go")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil // no main.go at the top: nothing to rename
	}
	rest, ok := strings.CutPrefix(string(data), starterHeader(prev))
	if !ok {
		return nil
	}
	return os.WriteFile(path, []byte(starterHeader(to)+rest), 0o644)
}

// starterMain is a node that compiles, answers init (the library does)
// and handles nothing else: every request then stops it with "No handler
// for ...", which tutor check reports, pointing the learner at what to
// write.
func starterMain(step book.Step) string {
	return starterHeader(step) + `package main

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
