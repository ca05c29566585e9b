package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"strings"

	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/store"
)

// Page is everything report.html shows.
type Page struct {
	Result       *harness.Result
	Explanations []Explanation
	// Hints are the chapter's hints about the anomalies found (Markdown).
	Hints []string
	Files Files
	// Logs are the node logs' paths relative to the store directory.
	Logs []string
	// InDiagram holds the operations whose messages the diagram marks,
	// so that their lines link to them.
	InDiagram map[int]bool
}

// KindGroup is the explanations of one anomaly kind, which share a
// meaning.
type KindGroup struct {
	Kind    string
	Meaning Meaning
	Items   []Explanation
	// Table sums up the kind's anomalies, when there are many.
	Table *Table
}

// Shown are the items the page details: the first few. Near-identical
// blocks of operations and log lines, twenty in a row, bury the one that
// matters.
func (g KindGroup) Shown() []Explanation {
	if len(g.Items) > maxDetailed {
		return g.Items[:maxDetailed]
	}
	return g.Items
}

// Rest are the items the page does not detail: one line each, unless a
// table sums them up.
func (g KindGroup) Rest() []Explanation { return g.Items[len(g.Shown()):] }

// More is how many items the page does not detail.
func (g KindGroup) More() int { return len(g.Rest()) }

// maxDetailed is how many anomalies of a kind the page details.
const maxDetailed = 3

// Count is how many anomalies the group stands for: one per item, and
// for a summary item every anomaly it stands for.
func (g KindGroup) Count() int {
	n := 0
	for _, e := range g.Items {
		n += e.Anomaly.Count()
	}
	return n
}

// Title is the group's heading without a trailing "(kind)": a heading
// shows the kind beside it, with the count, so "Intermediate read (G1b)"
// is shown once as "Intermediate read (G1b ×8)", not with G1b twice.
func (g KindGroup) Title() string {
	return strings.TrimSuffix(g.Meaning.Title, " ("+g.Kind+")")
}

// Group gathers explanations by kind, in order of first appearance.
func Group(ex []Explanation) []KindGroup {
	var out []KindGroup
	at := map[string]int{}
	for _, e := range ex {
		i, ok := at[e.Anomaly.Kind]
		if !ok {
			i = len(out)
			at[e.Anomaly.Kind] = i
			out = append(out, KindGroup{Kind: e.Anomaly.Kind, Meaning: e.Meaning})
		}
		out[i].Items = append(out[i].Items, e)
		if e.Table != nil && out[i].Table == nil {
			out[i].Table = e.Table
		}
	}
	return out
}

//go:embed report.html.tmpl
var pageSource string

// runFiles are the run directory's files the page links to, by the
// names the template gives them; store owns their real names.
var runFiles = map[string]string{
	"results": store.Results, "history": store.History, "journal": store.Journal,
	"diagram": store.Diagram, "focus": store.FocusDiagram,
	"linearizability": store.Linearizability,
}

// runFile is the name of a run directory's file the page links to.
func runFile(key string) (string, error) {
	if name, ok := runFiles[key]; ok {
		return name, nil
	}
	return "", fmt.Errorf("no run file %q", key)
}

var pageTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"svg": func(b []byte) template.HTML {
		// Our own drawings: every recorded string in them is escaped.
		return template.HTML(b)
	},
	"ms":      ms,
	"file":    runFile,
	"verdict": verdictLine,
	"headline": func(res *harness.Result) string {
		var b strings.Builder
		headline(&b, res)
		return strings.TrimSpace(b.String())
	},
	"verdictClass": func(res *harness.Result) string {
		switch {
		case res.Verdict == "valid" && res.TargetsMet():
			return "valid"
		case res.Verdict == "valid":
			return "missed"
		case res.Verdict == "invalid":
			return "invalid"
		}
		return "unknown"
	},
	"pct": func(f float64) string { return fmt.Sprintf("%.2f%%", 100*f) },
	"f2":  func(f float64) string { return fmt.Sprintf("%.2f", f) },
	"deref": func(p *float64) float64 {
		if p == nil {
			return 0
		}
		return *p
	},
	"group":    Group,
	"replayed": replayed,
	"markdown": inlineMarkdown,
}).Parse(pageSource))

// inlineMarkdown renders the little Markdown a hint uses inside a
// paragraph: `code`, **strong** and *emphasis*. Everything else stays
// text; all of it is escaped first.
func inlineMarkdown(s string) template.HTML {
	var b strings.Builder
	for i, part := range strings.Split(s, "`") {
		if i%2 == 1 && i < strings.Count(s, "`") {
			b.WriteString("<code>" + template.HTMLEscapeString(part) + "</code>")
			continue
		}
		if i%2 == 1 {
			b.WriteString("`") // an unpaired backtick
		}
		e := template.HTMLEscapeString(part)
		e = strongRE.ReplaceAllString(e, "<strong>$1</strong>")
		e = emRE.ReplaceAllString(e, "<em>$1</em>")
		b.WriteString(e)
	}
	return template.HTML(b.String())
}

var (
	strongRE = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	emRE     = regexp.MustCompile(`\*([^*\s][^*]*)\*`)
)

// HTML writes report.html: a self-contained page (no scripts, styles
// inline, drawings inline as SVG) that needs no network to open.
func HTML(w io.Writer, p Page) error {
	return pageTemplate.Execute(w, p)
}
