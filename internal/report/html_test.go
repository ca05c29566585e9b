package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/workload"
)

// page renders report.html for the echo run of echoRun.
func page(t *testing.T, hints []string) (string, *harness.Result) {
	t.Helper()
	res := echoRun(t)
	res.Targets = []harness.Target{{Name: "servers msgs-per-op", Limit: 30, Value: 41.5, Met: false}}
	ex := Explain(res, Gather(res))
	var b bytes.Buffer
	if err := HTML(&b, Page{Result: res, Explanations: ex, Hints: hints, Files: Draw(res, nil, nil), Logs: []string{"node-logs/n0.log"}}); err != nil {
		t.Fatal(err)
	}
	return b.String(), res
}

func TestHTMLShowsVerdictAnomaliesHintsAndPictures(t *testing.T) {
	s, _ := page(t, []string{"Did you <em>copy</em> the echo field?"})
	for _, want := range []string{
		`<div id="verdict" class="verdict invalid">✗ INVALID: echo-mismatch</div>`,
		"<title>Step 1: invalid</title>",
		"An echo came back different",
		`op 2 sent &#34;hi &lt;2&gt;&#34; to n0`, // the message, escaped
		`op 2 at 0.020 s: c4 -&gt; n0 echo`,      // the op
		`<span class="hit">Received {c4 n0`,      // the log line about it
		`<a href="node-logs/n0.log">`,
		`<a href="results.json">results.json</a>`, `<a href="history.jsonl">`, `<a href="journal.jsonl">`,
		`<a href="messages.svg">`,
		"Did you &lt;em&gt;copy&lt;/em&gt; the echo field?", // hints are text, escaped
		"servers msgs-per-op", "41.50",
		`id="latency"><svg`, `id="rate"><svg`, `<div class="figure diagram"><svg`,
		"partition one: n0 drops n1",
		"--seed 42",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}

// The page must open without a network: no scripts, stylesheets, images
// or fonts fetched from anywhere.
func TestHTMLIsSelfContained(t *testing.T) {
	s, _ := page(t, nil)
	for _, bad := range []string{"<script", "<link", "<img", "@import", "url(http"} {
		if strings.Contains(s, bad) {
			t.Errorf("report.html contains %q", bad)
		}
	}
	for _, m := range regexp.MustCompile(`(?:href|src)="([^"]*)"`).FindAllStringSubmatch(s, -1) {
		if strings.Contains(m[1], "//") {
			t.Errorf("report.html links outside the store directory: %s", m[1])
		}
	}
}

func TestExplainedSummaryShowsOpsLogsAndHints(t *testing.T) {
	res := echoRun(t)
	ex := Explain(res, Gather(res))
	var b bytes.Buffer
	Explained(&b, res, ex, []string{"Reply with the request's echo field, unchanged: build the reply from the request body."})
	s := b.String()
	for _, want := range []string{
		"What went wrong\n\n  An echo came back different (echo-mismatch)\n",
		`    op 2 at 0.020 s: c4 -> n0 echo "hi <2>" -> ok "HI <2>" after 1 ms`,
		"    n0's log about op 2 (c4's request msg_id 2 and the reply to it) (node-logs/n0.log):\n",
		`    >    4  Received {c4 n0 {"type":"echo","msg_id":2,"echo":"hi <2>"}}`,
		"\nHints from the chapter\n  - Reply with the request's echo field, unchanged: build the reply from the\n    request body.\n",
		"report.html for the plots and the message diagram",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
}

func TestInlineMarkdown(t *testing.T) {
	for in, want := range map[string]string{
		"Use `n.RPC` with a **timeout**, *then* retry.": "Use <code>n.RPC</code> with a <strong>timeout</strong>, <em>then</em> retry.",
		"<b>not html</b> & `a<b>`":                      "&lt;b&gt;not html&lt;/b&gt; &amp; <code>a&lt;b&gt;</code>",
		"an unpaired ` backtick":                        "an unpaired ` backtick",
		"2 * 3 * 4":                                     "2 * 3 * 4",
	} {
		if got := string(inlineMarkdown(in)); got != want {
			t.Errorf("inlineMarkdown(%q) = %q, want %q", in, got, want)
		}
	}
}

// A meaning whose title already names its kind is headed with the kind
// once, where the count goes: "Intermediate read (G1b ×2)".
func TestKindGroupTitleNamesTheKindOnce(t *testing.T) {
	m := Meaning{Title: "Intermediate read (G1b)", Text: "A read saw a value its writer later overwrote."}
	ex := []Explanation{{Anomaly: workload.Anomaly{Kind: "G1b"}, Meaning: m}, {Anomaly: workload.Anomaly{Kind: "G1b"}, Meaning: m}}
	var b strings.Builder
	explain(&b, ex)
	if !strings.Contains(b.String(), "\n  Intermediate read (G1b ×2)\n") {
		t.Errorf("explain wrote:\n%s", b.String())
	}
	if plain := (KindGroup{Kind: "lost", Meaning: Meaning{Title: "An element was lost"}}); plain.Title() != "An element was lost" {
		t.Errorf("a title without its kind changed: %q", plain.Title())
	}
}
