package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/course"
)

func watchCommand() *Command {
	return &Command{
		Name:  "watch",
		Args:  "[STEP]",
		Short: "re-check your workspace on every save: transcripts, then a quick run",
		Long: `Watches your workspace for STEP (made by "tutor start") and checks it
again each time a file in it changes: the step's transcripts first, then
a --quick run of its workload, as "tutor check STEP --quick" does. A save
during a check cancels it and starts the next. Quick runs are never
recorded; when one passes, "c" runs the page's test, which is.

Without STEP, watch takes the latest step, in course order, you have a
workspace for.

Keys (from a pipe, a key and Enter):
  h   the step's next hint (tutor hint STEP)
  l   the course list (tutor list)
  c   the page's test of the workspace (tutor check STEP)
  n   the next step: its workspace, made by tutor start if need be
  q   quit (so do Ctrl-C, Ctrl-D and the end of the input)

Files are polled a few times a second; hidden files and executables (a
node built in place) are not watched.`,
		Run: func(env *Env, args []string) error {
			if len(args) > 1 {
				return fmt.Errorf("watch: unexpected argument %q after the step", args[1])
			}
			step, dir, err := watchTarget(env, args)
			if err != nil {
				return err
			}
			ctx, stop := signalContext(context.Background(), env)
			defer stop()
			w := &watcher{env: env, step: step, dir: dir, every: 300 * time.Millisecond, check: quickCheck}
			return w.loop(ctx)
		},
	}
}

// watchTarget is the step to watch and its workspace.
func watchTarget(env *Env, args []string) (book.Step, string, error) {
	if len(args) == 1 {
		step, err := book.Lookup(args[0])
		if err != nil {
			return book.Step{}, "", err
		}
		ws, err := course.Workspace(env.Getenv, step)
		if errors.Is(err, course.ErrNoWorkspace) {
			return book.Step{}, "", fmt.Errorf("watch: no workspace for step %s: tutor start %s makes one", step.ID, step.ID)
		}
		return step, ws, err
	}
	steps := book.Steps()
	for i := len(steps) - 1; i >= 0; i-- {
		if ws, err := course.Workspace(env.Getenv, steps[i]); err == nil {
			return steps[i], ws, nil
		} else if !errors.Is(err, course.ErrNoWorkspace) {
			return book.Step{}, "", err
		}
	}
	return book.Step{}, "", fmt.Errorf("watch: no workspace yet: tutor start STEP makes one (tutor start 1 for the first)")
}

// quickCheck is what watch runs on every save.
func quickCheck(ctx context.Context, env *Env, step book.Step, dir string) error {
	return checkAndShow(ctx, env, []string{step.ID, dir, "--quick"})
}

// watcher re-checks one workspace whenever its files change.
type watcher struct {
	env   *Env
	step  book.Step
	dir   string
	every time.Duration // how often files are polled
	// check checks the workspace; it must return soon after ctx ends.
	check checkFunc
}

// fileStamp is what tells a file changed.
type fileStamp struct {
	mod  time.Time
	size int64
}

// snapshot stamps the workspace's files, leaving out hidden entries and
// executables.
func snapshot(dir string) map[string]fileStamp {
	files := map[string]fileStamp{}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if path != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil || !info.Mode().IsRegular() || info.Mode()&0o111 != 0 {
			return nil
		}
		files[path] = fileStamp{info.ModTime(), info.Size()}
		return nil
	})
	return files
}

// changed names a file that differs between two snapshots, if any.
func changed(old, cur map[string]fileStamp) (string, bool) {
	for p, s := range cur {
		if o, ok := old[p]; !ok || o != s {
			return p, true
		}
	}
	for p := range old {
		if _, ok := cur[p]; !ok {
			return p, true
		}
	}
	return "", false
}

// lockedWriter lets the running check and the key handler share the
// terminal.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// Unwrap returns the writer underneath, to tell a terminal.
func (l *lockedWriter) Unwrap() io.Writer { return l.w }

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// checkFunc checks a step's workspace; it must return soon after ctx
// ends.
type checkFunc func(ctx context.Context, env *Env, step book.Step, dir string) error

// fullCheck is the page's test, which the c key runs.
func fullCheck(ctx context.Context, env *Env, step book.Step, dir string) error {
	return checkAndShow(ctx, env, []string{step.ID, dir})
}

// background runs one check at a time: a new one starts only once the
// previous has stopped (and removed its build).
type background struct {
	out     io.Writer
	env     *Env
	cancel  context.CancelFunc
	done    chan error // the running check's error; nil before the first
	running bool
}

// start announces why a check starts and starts it.
func (b *background) start(ctx context.Context, why string, check checkFunc, step book.Step, dir string) {
	fmt.Fprintf(b.out, "\n── %s ── %s\n", why, time.Now().Format("15:04:05"))
	cctx, c := context.WithCancel(ctx)
	b.cancel, b.done, b.running = c, make(chan error, 1), true
	env, d := b.env, b.done
	go func() { d <- check(cctx, env, step, dir) }()
}

// stop cancels the running check, if any, and waits for it.
func (b *background) stop() {
	if b.running {
		b.cancel()
		<-b.done
		b.running = false
	}
}

// finished takes the error of a check that ended by itself.
func (b *background) finished(err error) {
	b.running = false
	var exit *ExitError
	switch {
	case err == nil, errors.As(err, &exit) && exit.Err == nil:
	default:
		fmt.Fprintf(b.out, "tutor: %v\n", err)
	}
}

// loop watches until ctx ends or the learner quits.
func (w *watcher) loop(ctx context.Context) error {
	keys, wrap, restore := readKeys(ctx, w.env.Stdin)
	defer restore()
	out := &lockedWriter{w: wrap(w.env.Stdout)}
	env := *w.env
	env.Stdout = out
	env.Stderr = &lockedWriter{w: wrap(w.env.Stderr)}
	bg := &background{out: out, env: &env}
	defer bg.stop()

	snap := snapshot(w.dir)
	bg.start(ctx, w.quickWhy(), w.check, w.step, w.dir)
	tick := time.NewTicker(w.every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			cur := snapshot(w.dir)
			file, ok := changed(snap, cur)
			if !ok {
				continue
			}
			snap = cur
			if bg.running {
				fmt.Fprintf(out, "\n(%s changed: this check is cancelled)\n", shortPath(file))
				bg.stop()
			}
			bg.start(ctx, fmt.Sprintf("%s changed", shortPath(file)), w.check, w.step, w.dir)
		case err := <-bg.done:
			bg.finished(err)
			w.help(out)
		case key, ok := <-keys:
			// !ok: the end of the input, nothing more will be typed.
			if !ok || w.onKey(ctx, &env, bg, key, &snap) {
				return nil
			}
		}
	}
}

// quickWhy announces the quick check of the workspace.
func (w *watcher) quickWhy() string {
	return fmt.Sprintf("Checking %s (step %s, quick)", shortPath(w.dir), w.step.ID)
}

// help lists the keys.
func (w *watcher) help(out io.Writer) {
	fmt.Fprintf(out, "\nWatching %s for step %s. Keys: h hint, l list, c the page's test, n next step, q quit.\n", shortPath(w.dir), w.step.ID)
}

// onKey does what a key asks; it reports whether the learner quits.
func (w *watcher) onKey(ctx context.Context, env *Env, bg *background, key string, snap *map[string]fileStamp) bool {
	switch key {
	case "q", "quit":
		return true
	case "h":
		run(env, commands(), []string{"hint", w.step.ID})
	case "l":
		run(env, commands(), []string{"list"})
	case "c":
		bg.stop()
		bg.start(ctx, fmt.Sprintf("The page's test of %s (step %s)", shortPath(w.dir), w.step.ID), fullCheck, w.step, w.dir)
	case "n":
		if w.nextStep(env) {
			bg.stop()
			*snap = snapshot(w.dir)
			bg.start(ctx, w.quickWhy(), w.check, w.step, w.dir)
		}
	case "":
		w.help(env.Stdout)
	default:
		fmt.Fprintf(env.Stdout, "Unknown key %q. ", key)
		w.help(env.Stdout)
	}
	return false
}

// nextStep moves the watch to the step after this one, making its
// workspace with tutor start when it has none. It reports whether it
// moved.
func (w *watcher) nextStep(env *Env) bool {
	ids := book.IDs()
	i := 0
	for i < len(ids) && ids[i] != w.step.ID {
		i++
	}
	if i+1 >= len(ids) {
		fmt.Fprintf(env.Stdout, "Step %s is the last step. Well done!\n", w.step.ID)
		return false
	}
	next, err := book.Lookup(ids[i+1])
	if err != nil {
		return false
	}
	ws, err := course.Workspace(env.Getenv, next)
	if errors.Is(err, course.ErrNoWorkspace) {
		if run(env, commands(), []string{"start", next.ID}) != 0 {
			return false
		}
		ws, err = course.Workspace(env.Getenv, next)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "tutor: watch: %v\n", err)
		return false
	}
	w.step, w.dir = next, ws
	return true
}
