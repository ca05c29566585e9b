package book

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

const sample = `// Package sample is a solution.
package sample

import "fmt"

// Register installs the handlers.
func Register() {
	fmt.Println("hi")
}

type server struct{ n int }

// handle answers one request.
func (s *server) handle() {
	// region inner
	s.n++
	// endregion inner
}

func (s server) peek() int { return s.n }

const (
	// limit bounds everything.
	limit = 3
	other = 4
)

var single = 1
`

func TestRegion(t *testing.T) {
	for _, tc := range []struct{ region, want string }{
		{"Register", "// Register installs the handlers.\nfunc Register() {\n\tfmt.Println(\"hi\")\n}\n"},
		{"(*server).handle", "// handle answers one request.\nfunc (s *server) handle() {\n\ts.n++\n}\n"},
		{"server.handle", "// handle answers one request.\nfunc (s *server) handle() {\n\ts.n++\n}\n"},
		{"(server).peek", "func (s server) peek() int { return s.n }\n"},
		{"server", "type server struct{ n int }\n"},
		// A grouped spec is shown alone, dedented, with its own doc.
		{"limit", "// limit bounds everything.\nlimit = 3\n"},
		{"single", "var single = 1\n"},
		{"#inner", "s.n++\n"},
	} {
		got, err := Region("sample.go", []byte(sample), tc.region)
		if err != nil || got != tc.want {
			t.Errorf("Region(%q) = %q, %v\nwant %q", tc.region, got, err, tc.want)
		}
	}
	whole, err := Region("sample.go", []byte(sample), "")
	if err != nil || strings.Contains(whole, "region") || !strings.HasPrefix(whole, "// Package sample") {
		t.Errorf("whole file: marker lines must go, the rest stay:\n%s", whole)
	}
	_, err = Region("sample.go", []byte(sample), "Missing")
	if err == nil || !strings.Contains(err.Error(), `sample.go has no top-level declaration "Missing" (it has: Register, server, (*server).handle, (server).peek, limit, other, single)`) {
		t.Errorf("missing declaration: %v", err)
	}
	_, err = Region("sample.go", []byte(sample), "#outer")
	if err == nil || !strings.Contains(err.Error(), `no marker region "outer"`) {
		t.Errorf("missing marker region: %v", err)
	}
}

const archive = `replay protocol tutor node 1

-- protocol --
# Hello.
> {"src":"c0","dest":"n0","body":{"type":"init","msg_id":1,"node_id":"n0","node_ids":["n0"]}}
< {"src":"n0","dest":"c0","body":{"type":"init_ok","in_reply_to":1}}
`

func TestExpand(t *testing.T) {
	fsys := fstest.MapFS{
		"solutions/sample/sample.go":            {Data: []byte(sample)},
		"testdata/script/transcript_1_hi.txtar": {Data: []byte(archive)},
	}
	chapter := "# T\n\nText.\n\n<!-- code solutions/sample/sample.go single -->\n\n" +
		"```\n<!-- code not/a/cell.go -->\n```\n\n<!-- transcript transcript_1_hi -->\n<!-- a plain comment -->\n"
	got, err := Expand(fsys, "ch.md", []byte(chapter))
	if err != nil {
		t.Fatal(err)
	}
	want := "# T\n\nText.\n\n```go\n// solutions/sample/sample.go\n\nvar single = 1\n```\n\n" +
		"```\n<!-- code not/a/cell.go -->\n```\n\n```text\n# Hello.\nc0->n0 init msg_id=1 node_id=\"n0\" node_ids=[\"n0\"]\nn0->c0 init_ok in_reply_to=1\n```\n<!-- a plain comment -->\n"
	if string(got) != want {
		t.Errorf("Expand =\n%s\nwant\n%s", got, want)
	}

	for _, tc := range []struct{ cell, want string }{
		{"<!-- code solutions/sample/missing.go -->", "ch.md:3: code cell: open solutions/sample/missing.go"},
		{"<!-- code solutions/sample/sample.go Nope -->", `ch.md:3: solutions/sample/sample.go has no top-level declaration "Nope"`},
		{"<!-- code internal/proto/proto.go -->", "ch.md:3: code cell names internal/proto/proto.go: chapters quote only files under solutions/"},
		{"<!-- code solutions/../internal/x.go -->", "chapters quote only files under solutions/"},
		{"<!-- transcript transcript_9_none -->", "ch.md:3: transcript cell: open testdata/script/transcript_9_none.txtar"},
		{"<!-- transcript transcript_1_hi extra -->", "ch.md:3: a transcript cell names only the archive"},
		{"<!-- code -->", `ch.md:3: malformed cell "<!-- code -->"`},
		{"<!-- code a b c -->", "malformed cell"},
	} {
		_, err := Expand(fsys, "ch.md", []byte("# T\n\n"+tc.cell+"\n"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Expand(%s) error = %v, want %q", tc.cell, err, tc.want)
		}
	}
}

func TestRenderNoTTY(t *testing.T) {
	out, err := Render([]byte("# Title\n\nA paragraph.\n\n```\ncode\n```\n"), RenderOptions{Style: NoTTY, Width: 40})
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(out, "\n") {
		if strings.TrimRight(l, " ") != l {
			t.Errorf("line %d has trailing spaces: %q", i+1, l)
		}
	}
	if !strings.HasPrefix(out, "  # Title\n") || !strings.HasSuffix(out, "    code\n") {
		t.Errorf("Render =\n%q", out)
	}
}

func TestProtectBreaks(t *testing.T) {
	in := "Prose with compare-and-set and `--flag`, see https://fly.io/dist-sys/1.\n" +
		"- a list item with a-hyphen\n" +
		"1. numbered -x\n" +
		"---\n" +
		"| a | b |\n|---|:--:|\n| x-y | z |\n" +
		"```go\nx := a - b\n```\n" +
		"```text\n./maelstrom test -w echo\n```\n"
	want := "Prose with compare‑and‑set and `‑‑flag`, see https://fly․io/dist‑sys/1.\n" +
		"- a list item with a‑hyphen\n" +
		"1. numbered ‑x\n" +
		"---\n" +
		"| a | b |\n|---|:--:|\n| x‑y | z |\n" +
		"```go\nx := a - b\n```\n" +
		"```text\n./maelstrom test ‑w echo\n```\n"
	if got := string(protectBreaks([]byte(in))); got != want {
		t.Errorf("protectBreaks =\n%s\nwant\n%s", got, want)
	}
}

// glamour's first wrapping pass miscounts lines that break at a hyphen,
// and its second pass then strands the last word on a line of its own.
func TestRenderLeavesNoStrandedWords(t *testing.T) {
	md := "One node owns the counter and the others ask it for the next value; or the nodes " +
		"agree on each value, with a consensus protocol or a compare-and-set on a linearizable " +
		"store. The ids are then small, dense and in one order. Two flags make it harder than " +
		"it looks: `--nemesis partition` splits the cluster every few seconds.\n"
	out, err := Render([]byte(md), RenderOptions{Style: NoTTY, Width: 80})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	for i, l := range lines[:len(lines)-1] {
		if len(l) < 40 || len(l) > 80 {
			t.Errorf("line %d is %d columns: %q", i+1, len(l), l)
		}
	}
	if !strings.Contains(out, "compare-and-set") || strings.Contains(out, nbHyphen) {
		t.Errorf("hyphens not restored:\n%s", out)
	}
}

func TestRenderKeepsURLsWhole(t *testing.T) {
	const u = "https://github.com/twitter-archive/snowflake"
	out, err := Render([]byte("- Snowflake, Twitter's id service: "+u+"\n"), RenderOptions{Style: NoTTY, Width: 80})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "  "+u+"\n") {
		t.Errorf("the URL is cut:\n%s", out)
	}
}

// Code blocks are never wrapped, at any width: every line of every fenced
// block of every chapter comes out whole. Tables never split a word or a
// number.
func TestRenderNeverWrapsCodeOrTables(t *testing.T) {
	for _, s := range append([]Step{Intro()}, Steps()...) {
		md, err := s.Markdown()
		if err != nil {
			t.Fatal(err)
		}
		for _, width := range []int{40, 80} {
			out, err := Render(md, RenderOptions{Style: NoTTY, Width: width})
			if err != nil {
				t.Fatal(err)
			}
			lines, words := map[string]bool{}, map[string]bool{}
			for _, l := range strings.Split(out, "\n") {
				lines[strings.TrimSpace(l)] = true
				for _, w := range strings.Fields(l) {
					words[w] = true
				}
			}
			_, blocks := lift(md)
			for _, b := range blocks {
				for _, l := range b.lines {
					if b.lang == "|" {
						if tableDelim.MatchString(l) {
							continue
						}
						for _, w := range strings.Fields(strings.Join(splitRow(l), " ")) {
							if !words[w] {
								t.Errorf("%s at %d columns: table row %q: %q is split", s.Chapter, width, l, w)
							}
						}
						continue
					}
					if l = strings.TrimSpace(l); l != "" && !lines[l] {
						t.Errorf("%s at %d columns: code line %q is wrapped", s.Chapter, width, l)
					}
				}
			}
		}
	}
}

func TestRenderTable(t *testing.T) {
	md := "Before.\n\n| run | msgs per op | result |\n|-----|------------:|--------|\n| `tutor check 3d` | 4.13 | **valid** |\n| b \\| c | 12.5 | ok |\n\nAfter.\n"
	out, err := Render([]byte(md), RenderOptions{Style: NoTTY, Width: 80})
	if err != nil {
		t.Fatal(err)
	}
	want := "  Before.\n\n" +
		"  run               msgs per op  result\n" +
		"  ────────────────  ───────────  ──────\n" +
		"  `tutor check 3d`         4.13  valid\n" +
		"  b | c                    12.5  ok\n\n" +
		"  After.\n"
	if out != want {
		t.Errorf("Render =\n%s\nwant\n%s", out, want)
	}
	// Too wide for 30 columns: the widest column wraps its words.
	out, err = Render([]byte(md), RenderOptions{Style: NoTTY, Width: 30})
	if err != nil {
		t.Fatal(err)
	}
	want = "  Before.\n\n" +
		"  run         msgs per  result\n" +
		"                    op\n" +
		"  ─────────  ─────────  ──────\n" +
		"  `tutor          4.13  valid\n" +
		"  check 3d`\n" +
		"  b | c           12.5  ok\n\n" +
		"  After.\n"
	if out != want {
		t.Errorf("Render at 30 columns =\n%s\nwant\n%s", out, want)
	}
}

// A code block in a list item stays in it, at the item's indentation,
// and a fence that interrupts a paragraph still ends it.
func TestRenderCodeInList(t *testing.T) {
	md := "- Run it:\n  ```\n  tutor check 1 --a-very-long-flag-name value --another-flag-with-a-long-name value\n  ```\n- Next.\n"
	out, err := Render([]byte(md), RenderOptions{Style: NoTTY, Width: 40})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "\n      tutor check 1 --a-very-long-flag-name value --another-flag-with-a-long-name value\n") || !strings.Contains(out, "Next.") {
		t.Errorf("Render =\n%s", out)
	}
}

// On a terminal a hint shows no Markdown marks at all: code and emphasis
// are coloured and bold instead.
func TestRenderHintOnATerminal(t *testing.T) {
	md := "Reply with `n.Reply`, **not** `n.Send` ([docs](https://x.dev))."
	got := RenderHint(md, RenderOptions{Style: "dark", Width: 80, Profile: termenv.ANSI256})
	if plain := ansi.Strip(got); strings.ContainsAny(plain, "`*[") || plain != "Reply with n.Reply, not n.Send (docs (https://x.dev))." || !strings.Contains(got, "n.Reply") || !strings.Contains(got, "docs (https://x.dev)") || !strings.Contains(got, "\x1b[") {
		t.Errorf("RenderHint on a terminal = %q", got)
	}
	if got := RenderHint(md, RenderOptions{Style: NoTTY}); got != "Reply with `n.Reply`, not `n.Send` (docs (https://x.dev))." {
		t.Errorf("RenderHint, plain = %q", got)
	}
}

// On a colour terminal too, code lines come out whole (highlighted), at
// the code block's indentation.
func TestRenderColourKeepsCodeWhole(t *testing.T) {
	const init = `{"src":"c0","dest":"n0","body":{"type":"init","msg_id":1,"node_id":"n0","node_ids":["n0"]}}`
	md := "# T\n\nSend it:\n\n```json\n" + init + "\n```\n\n```go\nfunc Register(n *maelstrom.Node) { n.Handle(\"echo\", func(msg maelstrom.Message) error { return nil }) }\n```\n"
	for _, style := range []string{"dark", "light"} {
		out, err := Render([]byte(md), RenderOptions{Style: style, Width: 80, Profile: termenv.ANSI256})
		if err != nil {
			t.Fatal(err)
		}
		plain := ansi.Strip(out)
		if !strings.Contains(plain, "\n    "+init+"\n") || !strings.Contains(plain, "\n    func Register(n *maelstrom.Node) { n.Handle(\"echo\", func(msg maelstrom.Message) error { return nil }) }\n") {
			t.Errorf("%s: code wrapped or misplaced:\n%s", style, plain)
		}
		if !strings.Contains(out, "\x1b[") || strings.Contains(plain, "GLOMERSBLOCK") {
			t.Errorf("%s: no colour, or a placeholder left:\n%q", style, out)
		}
	}
}
