// Package report renders a run's result for people: the terminal summary,
// and the files a learner opens after a run (report.html, messages.svg,
// latency.svg, rate.svg in the run's store directory).
//
// Rendering is pure: Explain, Summary, Explained, HTML and Draw map a
// result and the evidence found for it to text or bytes. The journal
// comes with the result (Result.Journal, which the run kept as it wrote
// it), so the report does not read back what the run just held; Gather
// reads the node logs for the lines behind each anomaly, and WriteFiles
// writes the pictures and the page. The package never runs anything.
package report

import (
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/store"
	"github.com/glomers/glomers/internal/workload"
)

// Maelstrom's closing lines, which its users look for.
const (
	GoodLine    = "Everything looks good! ヽ(‘ー`)ノ"
	InvalidLine = "Analysis invalid! (ﾉಥ益ಥ）ﾉ ┻━┻"
	UnknownLine = "Errors occurred during analysis, but no anomalies found. ಠ~ಠ"
)

// maxAnomalies bounds how many anomalies the summary lists in full; the
// rest are in results.json.
const maxAnomalies = 12

// maxPerKindListed is how many anomalies of one kind the summary lists
// before it counts the rest.
const maxPerKindListed = 3

// Summary writes the terminal summary of res: the verdict first, then each
// anomaly in plain words, the figures, the targets, where the files are, and
// Maelstrom's closing line.
func Summary(w io.Writer, res *harness.Result) {
	Explained(w, res, nil, nil)
}

// Explained is Summary with the anomalies explained in plain words (the
// operations, the node's log lines) and the chapter's hints about them,
// after the list of anomalies.
func Explained(w io.Writer, res *harness.Result, ex []Explanation, hints []string) {
	headline(w, res)
	fmt.Fprintln(w)
	fmt.Fprintln(w, verdictLine(res))
	if l := strictLine(res); l != "" {
		fmt.Fprintln(w, l)
	}
	if res.Problem != "" && res.Verdict != "interrupted" {
		fmt.Fprintf(w, "  %s\n", res.Problem)
		if len(res.ProblemLog) > 0 {
			fmt.Fprintln(w, "  its last log lines:")
			for _, l := range res.ProblemLog {
				fmt.Fprintf(w, "    | %s\n", l)
			}
		}
	}
	anomalies := res.Anomalies
	if res.Problem != "" && len(anomalies) > 0 {
		anomalies = anomalies[1:] // the problem was printed above
	}
	if len(anomalies) > 0 {
		fmt.Fprintln(w)
		listAnomalies(w, anomalies)
	}
	explain(w, ex)
	if len(hints) > 0 {
		fmt.Fprintln(w, "\nHints from the chapter")
		for _, h := range hints {
			fmt.Fprint(w, wrap(h, "  - ", "    ", 78))
		}
	}
	if len(res.Notes) > 0 {
		fmt.Fprintln(w, "\nNotes (not failures)")
		for i, a := range res.Notes {
			if i == maxAnomalies {
				fmt.Fprintf(w, "  ... and %d more in %s\n", len(res.Notes)-maxAnomalies, store.Results)
				break
			}
			fmt.Fprintf(w, "  %s: %s\n", a.Kind, a.Message)
		}
	}

	fmt.Fprintln(w)
	fmt.Fprintf(w, "  operations  %d invoked: %d ok, %d failed, %d indeterminate\n", res.Ops.Invoked, res.Ops.OK, res.Ops.Fail, res.Ops.Info)
	if s := res.Net.Servers; s.MsgsPerOp != nil {
		fmt.Fprintf(w, "  messages    %.2f per op between servers (%d messages), %.2f per op in all\n", *s.MsgsPerOp, s.MsgCount, *res.Net.All.MsgsPerOp)
	}
	if q := res.LatencyMS; q != nil {
		fmt.Fprintf(w, "  requests    latency median %s, p95 %s, max %s\n", ms(q.Median), ms(q.P95), ms(q.Max))
	}
	if q := res.StableLatencyMS; q != nil {
		fmt.Fprintf(w, "  propagation stable latency median %s, p95 %s, max %s (%d values)\n", ms(q.Median), ms(q.P95), ms(q.Max), q.Count)
	}
	if a := res.Availability; a != nil {
		fmt.Fprintf(w, "  available   %.2f%% of operations ok (required: %s)\n", 100*a.OKFraction, a.Required)
	}
	if len(res.Targets) > 0 {
		fmt.Fprintln(w, "\nTargets")
		for _, t := range res.Targets {
			fmt.Fprintln(w, TargetLine(t.Name, t.Value, !t.Missing, t.Met, strconv.FormatFloat(t.Limit, 'g', -1, 64)))
		}
	}
	if res.StoreDir != "" {
		fmt.Fprintf(w, "\nResults in %s%c (%s and, in Maelstrom's shape, %s; %s, %s, %s/)\n", res.StoreDir, filepath.Separator,
			store.Results, store.MaelstromResults, store.History, store.Journal, store.NodeLogs)
		fmt.Fprintf(w, "Open %s for the plots and the message diagram.\n", filepath.Join(res.StoreDir, store.Report))
	}
	if !res.Valid && res.Verdict != "interrupted" {
		fmt.Fprintf(w, "Rerun with --seed %d to replay the same %s.\n", res.Seed, replayed(res))
	}
	fmt.Fprintln(w)
	switch res.Verdict {
	case "valid":
		fmt.Fprintln(w, GoodLine)
		if !res.TargetsMet() {
			// Maelstrom's line is about correctness only; the targets
			// above are the step's, and a missed one fails the step.
			fmt.Fprintln(w, "(Maelstrom's verdict: the node is correct. It misses the step's targets above, so the step does not pass yet.)")
		}
	case "unknown":
		fmt.Fprintln(w, UnknownLine)
	case "interrupted":
		fmt.Fprintln(w, "Interrupted: what was recorded so far is in the results directory.")
	default:
		fmt.Fprintln(w, InvalidLine)
	}
}

// TargetLine is a target's line under "Targets", the same whoever
// measured it (tutor's harness or real Maelstrom's results.edn): a mark,
// the name, the value to two decimals (or that none was measured), and
// the limit as the caller writes it.
func TargetLine(name string, value float64, measured, met bool, limit string) string {
	mark := "✓"
	if !met {
		mark = "✗"
	}
	if !measured {
		return fmt.Sprintf("  %s %-28s no value measured (limit %s)", mark, name, limit)
	}
	return fmt.Sprintf("  %s %-28s %8.2f  (limit %s)", mark, name, value, limit)
}

// headline is the first line of a summary: what ran, and how.
func headline(w io.Writer, res *harness.Result) {
	o := res.Options
	title := res.Workload
	if res.Step != "" {
		title = "step " + res.Step + " (" + res.Workload + ")"
	}
	fmt.Fprintf(w, "%s: %d node%s, %gs at %g ops/s", title, o.NodeCount, plural(o.NodeCount), o.TimeLimit, o.Rate)
	if o.Latency > 0 {
		fmt.Fprintf(w, ", latency %g ms %s", o.Latency, o.LatencyDist)
	}
	if len(o.Nemesis) > 0 {
		fmt.Fprintf(w, ", nemesis %s", strings.Join(o.Nemesis, ","))
	}
	fmt.Fprintf(w, ", seed %d\n", res.Seed)
}

func verdictLine(res *harness.Result) string {
	switch res.Verdict {
	case "valid":
		missed := 0
		for _, t := range res.Targets {
			if !t.Met {
				missed++
			}
		}
		if missed > 0 {
			return fmt.Sprintf("✗ CORRECT, BUT %d TARGET%s MISSED", missed, strings.ToUpper(plural(missed)))
		}
		return "✓ VALID"
	case "unknown":
		if n := timedOut(timeouts(res.History)); n > 0 {
			return fmt.Sprintf("? UNKNOWN: the history held too little to judge; %d request%s timed out", n, plural(n))
		}
		return "? UNKNOWN: the history held too little to judge"
	case "interrupted":
		return "■ INTERRUPTED before the checks ran"
	}
	kinds := map[string]int{}
	var order []string
	for _, a := range res.Anomalies {
		if kinds[a.Kind] == 0 {
			order = append(order, a.Kind)
		}
		kinds[a.Kind] += a.Count()
	}
	var parts []string
	for _, k := range order {
		if kinds[k] > 1 {
			parts = append(parts, fmt.Sprintf("%s ×%d", k, kinds[k]))
		} else {
			parts = append(parts, k)
		}
	}
	return "✗ INVALID: " + strings.Join(parts, ", ")
}

// strictLine says where Maelstrom's verdict and the course's strict one
// part: the rules that only the course counts, and which verdict the run
// is judged by.
func strictLine(res *harness.Result) string {
	if len(res.StrictFindings) == 0 || res.Verdict == "interrupted" {
		return ""
	}
	var rules []string
	for _, f := range res.StrictFindings {
		rules = append(rules, f.Rule)
	}
	r := strings.Join(rules, ", ")
	switch {
	case res.JudgedBy == "maelstrom" && res.MaelstromVerdict != res.StrictVerdict:
		return fmt.Sprintf("  Maelstrom's verdict: %s. Stricter than Maelstrom: %s (real Maelstrom would accept this); --strict fails the run for it", res.MaelstromVerdict, r)
	case res.JudgedBy == "maelstrom":
		return fmt.Sprintf("  Stricter than Maelstrom, also found: %s (real Maelstrom would accept this)", r)
	case res.MaelstromValid:
		return fmt.Sprintf("  Real Maelstrom would accept this run (its verdict: valid); the course fails it for %s, a rule stricter than Maelstrom's", r)
	}
	return fmt.Sprintf("  Maelstrom's verdict: %s; the course also counts %s, which real Maelstrom would accept", res.MaelstromVerdict, r)
}

// listAnomalies writes one line per anomaly, the first few of each kind
// only: twenty lost values in a row say no more than three and a count.
func listAnomalies(w io.Writer, anomalies []workload.Anomaly) {
	count := map[string]int{}
	for _, a := range anomalies {
		count[a.Kind] += a.Count()
	}
	seen := map[string]int{}
	lines, untold := 0, 0
	for _, a := range anomalies {
		seen[a.Kind]++
		n := seen[a.Kind]
		switch {
		case n > maxPerKindListed+1:
			// counted in its kind's "and N more" line
		case lines == maxAnomalies && n == maxPerKindListed+1:
			untold += count[a.Kind] - maxPerKindListed
		case lines == maxAnomalies:
			untold++
		case n <= maxPerKindListed:
			tag := ""
			if a.Strict {
				tag = " [stricter than Maelstrom]"
			}
			fmt.Fprintf(w, "  %s%s: %s%s\n", a.Kind, tag, a.Message, opsSuffix(a))
			lines++
		default:
			fmt.Fprintf(w, "  ... and %d more %s\n", count[a.Kind]-maxPerKindListed, a.Kind)
			lines++
		}
	}
	if untold > 0 {
		fmt.Fprintf(w, "  ... and %d more in %s\n", untold, store.Results)
	}
}

// opsSuffix names the anomaly's operations after its message, unless the
// message already names every one of them ("at op 23 ... (ops 165, 166)"):
// the same list twice in a row is noise.
func opsSuffix(a workload.Anomaly) string {
	if len(a.Ops) == 0 || namesAll(a.Message, a.Ops) {
		return ""
	}
	var s []string
	for i, op := range a.Ops {
		if i == 8 {
			s = append(s, fmt.Sprintf("+%d more", len(a.Ops)-8))
			break
		}
		s = append(s, fmt.Sprint(op))
	}
	return " (ops " + strings.Join(s, ", ") + ")"
}

// opMention finds "op 3", "ops 3, 4 and 5", "op 3 and op 4" in a message,
// and "ops 3, 4, ...", a list the message shortened on purpose.
var (
	opMention = regexp.MustCompile(`\bops? (\d+(?:(?:, | and |, and )\d+)*)(, \.\.\.)?`)
	digits    = regexp.MustCompile(`\d+`)
)

// namesAll reports whether msg mentions every one of ops as an operation,
// or lists them and shortens the list with "...": repeating the list in
// full after it would say the same thing again.
func namesAll(msg string, ops []int) bool {
	named := map[string]bool{}
	for _, m := range opMention.FindAllStringSubmatch(msg, -1) {
		if m[2] != "" {
			return true
		}
		for _, n := range digits.FindAllString(m[1], -1) {
			named[n] = true
		}
	}
	for _, op := range ops {
		if !named[strconv.Itoa(op)] {
			return false
		}
	}
	return true
}

func ms(v float64) string {
	if v >= 1000 {
		return fmt.Sprintf("%.2f s", v/1000)
	}
	return fmt.Sprintf("%.0f ms", v)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Bounds on the terminal's explanations; report.html has them all.
const (
	maxKindsExplained = 4
	maxOpsExplained   = 3
	maxLogLinesShown  = 8
)

// explain writes, for each anomaly kind, its meaning, the first
// operations that show it and the log lines about the first of them.
func explain(w io.Writer, ex []Explanation) {
	groups := Group(ex)
	if len(groups) == 0 {
		return
	}
	fmt.Fprintln(w, "\nWhat went wrong")
	for i, g := range groups {
		if i == maxKindsExplained {
			fmt.Fprintf(w, "\n  ... %d more kinds in %s\n", len(groups)-maxKindsExplained, store.Report)
			break
		}
		total := g.Count()
		count := ""
		if total > 1 {
			count = fmt.Sprintf(" ×%d", total)
		}
		fmt.Fprintf(w, "\n  %s (%s%s)\n", g.Title(), g.Kind, count)
		fmt.Fprint(w, wrap(g.Meaning.Text, "    ", "    ", 78))
		for _, e := range g.Items {
			if e.Table != nil {
				e.Table.write(w, "    ")
				break
			}
		}
		// The first op of each anomaly is the telling one; the rest are
		// counted, a summary for every anomaly it stands for.
		printed, said := 0, map[int]bool{}
		for _, e := range g.Items {
			// Several anomalies can start at one operation (a poll that
			// skipped twice): its line is printed once, and both count.
			if len(e.Ops) > 0 && printed < maxOpsExplained && !said[e.Ops[0].Index] {
				said[e.Ops[0].Index] = true
				fmt.Fprintf(w, "    %s\n", e.Ops[0].Text)
				printed++
			}
		}
		if total > printed {
			fmt.Fprintf(w, "    ... and %d more\n", total-printed)
		}
		for _, e := range g.Items {
			if len(e.Trail) == 0 {
				continue
			}
			fmt.Fprintf(w, "    %s\n", e.Trail[0])
			for _, l := range e.Trail[1:] {
				fmt.Fprintf(w, "      %s\n", l)
			}
			break
		}
		for _, e := range g.Items {
			if len(e.Logs) == 0 {
				continue
			}
			l := e.Logs[0]
			fmt.Fprintf(w, "    %s (%s):\n", l.Why, l.File)
			for j, line := range l.Lines {
				if j == maxLogLinesShown {
					break
				}
				mark := " "
				if line.Match {
					mark = ">"
				}
				fmt.Fprintf(w, "    %s%5d  %s\n", mark, line.N, line.Text)
			}
			break
		}
	}
}

// wrap fills text to width, the first line after first, the others after
// rest.
func wrap(text, first, rest string, width int) string {
	var b strings.Builder
	line := first
	empty := true
	for _, word := range strings.Fields(text) {
		if !empty && len([]rune(line))+1+len([]rune(word)) > width {
			b.WriteString(line + "\n")
			line, empty = rest, true
		}
		if !empty {
			line += " "
		}
		line += word
		empty = false
	}
	b.WriteString(line + "\n")
	return b.String()
}

// replayed is what a seed replays on this run: partitions only when it
// had them.
func replayed(res *harness.Result) string {
	if partitioned(res) {
		return "operations, latencies and partitions"
	}
	return "operations and latencies"
}
