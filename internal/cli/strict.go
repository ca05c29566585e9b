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
	line, words := first, 0
	for _, w := range strings.Fields(s) {
		if words > 0 && len(line)+len(w)+1 > width {
			b.WriteString(line + "\n")
			line, words = rest, 0
		}
		if words > 0 {
			line += " "
		}
		line += w
		words++
	}
	b.WriteString(line + "\n")
	return b.String()
}
