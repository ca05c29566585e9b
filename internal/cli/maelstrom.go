package cli

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/glomers/glomers/book"
	"github.com/glomers/glomers/internal/edn"
	"github.com/glomers/glomers/internal/proc"
	"github.com/glomers/glomers/internal/store"
)

// tutorOnlyFlags are check's own flags, which Maelstrom does not know;
// the value says whether the flag takes a value.
var tutorOnlyFlags = checkOnlyFlags

// maelstromArgs drops tutor's own flags from the learner's flag tokens,
// keeping the Maelstrom ones to pass on.
func maelstromArgs(tokens []string) []string { return dropFlags(tokens, tutorOnlyFlags) }

// dropFlags removes the flags named in drop (and their values, when the
// map says they take one) from tokens.
func dropFlags(tokens []string, drop map[string]bool) []string {
	var out []string
	for i := 0; i < len(tokens); i++ {
		name, _, hasValue := strings.Cut(strings.TrimLeft(tokens[i], "-"), "=")
		takesValue, ours := drop[name]
		if !ours || !strings.HasPrefix(tokens[i], "-") {
			out = append(out, tokens[i])
			continue
		}
		if takesValue && !hasValue {
			i++ // skip the value too
		}
	}
	return out
}

// maelstromBin returns a path Maelstrom's --bin can run: the target itself,
// or, when the target needs arguments (the reference solution is "tutor
// node STEP"), a small script in dir that runs it with them.
func maelstromBin(tgt *target, dir string) (string, error) {
	if len(tgt.args) == 0 {
		return filepath.Abs(tgt.path)
	}
	quoted := []string{shellQuote(tgt.path)}
	for _, a := range tgt.args {
		quoted = append(quoted, shellQuote(a))
	}
	p := filepath.Join(dir, "node")
	script := "#!/bin/sh\nexec " + strings.Join(quoted, " ") + "\n"
	return p, os.WriteFile(p, []byte(script), 0o755)
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// maelstromVerdict is what a Maelstrom run concluded.
type maelstromVerdict struct {
	valid   string // "true", "false" or "unknown", from the exit status
	results string // results.edn's path, "" if not found
	targets []string
	met     bool
}

// runMaelstrom runs one of the step's runs with real Maelstrom: the page's
// command with the learner's overrides, its output streamed, its verdict
// read from its exit status and the targets from results.edn.
func runMaelstrom(env *Env, path string, r book.Run, overrides []string, tgt *target) (*maelstromVerdict, error) {
	tmp, err := os.MkdirTemp("", "tutor-maelstrom-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	bin, err := maelstromBin(tgt, tmp)
	if err != nil {
		return nil, err
	}
	args := append([]string{"test"}, r.Args...)
	args = append(args, "--bin", bin)
	args = append(args, maelstromArgs(overrides)...)
	fmt.Fprintf(env.Stdout, "$ %s %s\n", path, strings.Join(args, " "))
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = env.Stdout, env.Stderr
	err = cmd.Run()
	v := &maelstromVerdict{met: true}
	var exit *exec.ExitError
	switch code := 0; {
	case err == nil:
		v.valid = "true"
	case errors.As(err, &exit):
		code = exit.ExitCode()
		switch code {
		case 1:
			v.valid = "false"
		case 2:
			v.valid = "unknown"
		default:
			return nil, fmt.Errorf("maelstrom exited with status %d (254: bad arguments, 255: an internal error; its output is above)", code)
		}
	default:
		return nil, fmt.Errorf("run maelstrom: %v", err)
	}
	results := filepath.Join(store.DefaultRoot, store.Latest, store.MaelstromResults)
	data, err := os.ReadFile(results)
	if err != nil {
		if len(r.Targets) > 0 {
			return nil, fmt.Errorf("maelstrom wrote no %s, so the step's targets cannot be measured", results)
		}
		return v, nil
	}
	v.results = results
	parsed, err := edn.Parse(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", results, err)
	}
	if top, ok := edn.Get(parsed, edn.Keyword(":valid?")); ok {
		// Some Jepsen versions exit 0 when the analysis itself crashed,
		// so a valid exit status counts only if results.edn agrees.
		if s := strings.TrimPrefix(fmt.Sprint(top), ":"); s != v.valid {
			fmt.Fprintf(env.Stderr, "tutor: note: maelstrom's exit status says valid? %s, but results.edn says %s; taking results.edn\n", v.valid, s)
			v.valid = s
		}
	}
	for _, t := range r.Targets {
		path, ok := ednMetric[t.Metric]
		if !ok {
			return nil, fmt.Errorf("no results.edn path known for target %s", t.Metric)
		}
		raw, found := edn.Get(parsed, path...)
		x, isNum := edn.Number(raw)
		if !found || !isNum {
			return nil, fmt.Errorf("%s has no %v for target %q", results, path, t.Name)
		}
		mark := "✓"
		if x >= t.Limit {
			mark, v.met = "✗", false
		}
		v.targets = append(v.targets, fmt.Sprintf("  %s %-26s %10s  (limit %s)", mark, t.Name, strconv.FormatFloat(x, 'f', 2, 64), t.Show(t.Limit)))
	}
	return v, nil
}

// ednMetric maps the book's target metrics (results.json paths) to where
// Maelstrom's results.edn keeps the same figure.
var ednMetric = map[string][]any{
	"servers.msgs_per_op":   {edn.Keyword(":net"), edn.Keyword(":servers"), edn.Keyword(":msgs-per-op")},
	"stable_latency.median": {edn.Keyword(":workload"), edn.Keyword(":stable-latencies"), 0.5},
	"stable_latency.max":    {edn.Keyword(":workload"), edn.Keyword(":stable-latencies"), 1},
}

// checkMaelstromPath makes sure PATH is something to run before a check
// starts, so that a typo costs no transcripts.
func checkMaelstromPath(path string) (string, error) {
	if !strings.ContainsRune(path, filepath.Separator) {
		if p, err := exec.LookPath(path); err == nil {
			return p, nil
		}
	}
	e, err := proc.NewExec(path)
	if err != nil {
		return "", fmt.Errorf("--maelstrom: %v", err)
	}
	return e.Path, nil
}
