package cli

import (
	"fmt"
	"strings"

	"github.com/glomers/glomers/internal/harness"
)

// printStrict says, after a run the course judged by its strict rules,
// when real Maelstrom would have judged it differently: the learner may
// have seen it pass on Fly.io's terms, and should know which rule the
// course adds and why, rather than distrust either.
func printStrict(env *Env, res *harness.Result, asJSON bool) {
	if asJSON || len(res.StrictFindings) == 0 || res.Verdict == "interrupted" {
		return
	}
	var rules []string
	for _, f := range res.StrictFindings {
		rules = append(rules, f.Rule)
	}
	if res.MaelstromValid {
		fmt.Fprintf(env.Stdout, "Real Maelstrom would accept this run; the course fails it because of %s, a rule stricter than Maelstrom's:\n", strings.Join(rules, ", "))
	} else {
		fmt.Fprintf(env.Stdout, "Real Maelstrom fails this run too (%s); the course also counts %s, which real Maelstrom would accept:\n", res.MaelstromVerdict, strings.Join(rules, ", "))
	}
	for _, f := range res.StrictFindings {
		fmt.Fprint(env.Stdout, wrapText(f.Rule+": "+f.Why, "  - ", "    ", 78))
	}
}

// wrapText wraps s at width, the first line after first and the others
// after rest.
func wrapText(s, first, rest string, width int) string {
	var b strings.Builder
	line := first
	for _, w := range strings.Fields(s) {
		if len(line)+len(w)+1 > width && strings.TrimSpace(line) != "" {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line = rest
		}
		if strings.TrimSpace(line) != "" {
			line += " "
		}
		line += w
	}
	b.WriteString(line + "\n")
	return b.String()
}
