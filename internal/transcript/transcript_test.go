package transcript

import (
	"strings"
	"testing"
)

const echoProtocol = `# Echo: init, then one echo.
> {"src":"c0","dest":"n0","body":{"type":"init","msg_id":1,"node_id":"n0","node_ids":["n0"]}}
< {"src":"n0","dest":"c0","body":{"type":"init_ok","in_reply_to":1}}

# Two requests at once: the replies may come in either order.
> {"src":"c1","dest":"n0","body":{"type":"echo","msg_id":1,"echo":"a"}}
> {"src":"c2","dest":"n0","body":{"type":"echo","msg_id":1,"echo":"b"}}
< {"src":"n0","dest":"c1","body":{"type":"echo_ok","in_reply_to":1,"echo":"a"}}
< {"src":"n0","dest":"c2","body":{"type":"echo_ok","in_reply_to":1,"echo":"b"}}
`

func mustParse(t *testing.T, kind Kind, text string) *Transcript {
	t.Helper()
	tr, err := Parse("test", kind, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestParse(t *testing.T) {
	tr := mustParse(t, Protocol, echoProtocol)
	if tr.Node != "n0" {
		t.Errorf("Node = %q, want n0", tr.Node)
	}
	xs := tr.Exchanges()
	if len(xs) != 2 {
		t.Fatalf("%d exchanges, want 2", len(xs))
	}
	if len(xs[1].Send) != 2 || len(xs[1].Expect) != 2 {
		t.Errorf("second exchange sends %d and expects %d, want 2 and 2", len(xs[1].Send), len(xs[1].Expect))
	}
	if got := xs[1].Expect[0].Line; got != 8 {
		t.Errorf("line of the first echo_ok = %d, want 8", got)
	}
}

func TestParseErrors(t *testing.T) {
	init := `> {"src":"c0","dest":"n0","body":{"type":"init","msg_id":1,"node_id":"n0","node_ids":["n0","n1"]}}` + "\n"
	for _, tc := range []struct {
		name, kind, text, want string
	}{
		{"empty", "protocol", "# nothing\n", "no messages"},
		{"first is not init", "protocol", `> {"src":"c1","dest":"n0","body":{"type":"echo","msg_id":1}}`, "first message must be an init"},
		{"first is from the node", "protocol", `< {"src":"n0","dest":"c0","body":{"type":"init_ok"}}`, "first message must be an init"},
		{"no prefix", "protocol", init + `{"src":"c1","dest":"n0","body":{"type":"echo"}}`, "test:2: line must start with >, < or #"},
		{"not JSON", "protocol", init + `> {"src":`, "test:2: line is not a JSON object"},
		{"envelope field", "protocol", init + `> {"src":"c1","dest":"n0","to":"x","body":{"type":"echo"}}`, `unexpected top-level field "to"`},
		{"to another node", "protocol", init + `> {"src":"c1","dest":"n1","body":{"type":"echo"}}`, "message to n1, but the node under test is n0"},
		{"from another node", "protocol", init + `< {"src":"n1","dest":"c1","body":{"type":"echo_ok"}}`, "message from n1, but the node under test is n0"},
		{"protocol sees no service input", "protocol", init + `> {"src":"seq-kv","dest":"n0","body":{"type":"read_ok"}}`, "protocol transcript shows only messages of clients and other nodes"},
		{"protocol sees no service output", "protocol", init + `< {"src":"n0","dest":"lin-kv","body":{"type":"read"}}`, "protocol transcript shows only messages of clients and other nodes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kind, _ := ParseKind(tc.kind)
			_, err := Parse("test", kind, []byte(tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse error = %v, want one containing %q", err, tc.want)
			}
		})
	}
	// Raft's steps fix the messages between nodes, so their protocol
	// transcripts play the other nodes.
	t.Run("protocol may show other nodes", func(t *testing.T) {
		mustParse(t, Protocol, init+`> {"src":"n1","dest":"n0","body":{"type":"request_vote"}}`+"\n"+`< {"src":"n0","dest":"n1","body":{"type":"request_vote_res"}}`)
	})
	t.Run("solution may show server messages", func(t *testing.T) {
		mustParse(t, Solution, init+`< {"src":"n0","dest":"n1","body":{"type":"gossip"}}`)
	})
}

func TestRender(t *testing.T) {
	got := mustParse(t, Protocol, echoProtocol).Render()
	want := `# Echo: init, then one echo.
c0->n0 init msg_id=1 node_id="n0" node_ids=["n0"]
n0->c0 init_ok in_reply_to=1

# Two requests at once: the replies may come in either order.
c1->n0 echo msg_id=1 echo="a"
c2->n0 echo msg_id=1 echo="b"
n0->c1 echo_ok in_reply_to=1 echo="a"
n0->c2 echo_ok in_reply_to=1 echo="b"
`
	if got != want {
		t.Errorf("Render() =\n%s\nwant\n%s", got, want)
	}
}

func TestFromArchive(t *testing.T) {
	arch := "# A script.\nreplay protocol tutor node 1\n\n-- protocol --\n" + echoProtocol
	tr, err := FromArchive("testdata/script/transcript_1_echo.txtar", []byte(arch))
	if err != nil {
		t.Fatal(err)
	}
	if tr.Name != "transcript_1_echo" || tr.Kind != Protocol {
		t.Errorf("got %s of kind %v, want transcript_1_echo of kind protocol", tr.Name, tr.Kind)
	}
	// Lines count from the top of the archive: the script's 4 lines come
	// first, so the transcript's init (its line 2) is line 6.
	if got := tr.Exchanges()[0].Send[0].Line; got != 6 {
		t.Errorf("init is on archive line %d, want 6", got)
	}

	_, err = FromArchive("x.txtar", []byte("-- protocol --\n"+echoProtocol+"-- solution --\n"+echoProtocol))
	if err == nil || !strings.Contains(err.Error(), "holds both") {
		t.Errorf("two transcripts in one archive: error = %v", err)
	}
	_, err = FromArchive("x.txtar", []byte("-- want --\n"+echoProtocol))
	if err == nil || !strings.Contains(err.Error(), `no file named "protocol" or "solution"`) {
		t.Errorf("no transcript in the archive: error = %v", err)
	}
}

func TestStepOf(t *testing.T) {
	for file, want := range map[string]string{
		"testdata/script/transcript_3d_gossip.txtar": "3d",
		"transcript_1_echo.txtar":                    "1",
		"transcript_1.txtar":                         "",
		"read_1.txtar":                               "",
		"transcript_2_ids.txt":                       "",
	} {
		got, ok := StepOf(file)
		if got != want || ok != (want != "") {
			t.Errorf("StepOf(%q) = %q, %v; want %q", file, got, ok, want)
		}
	}
	if got := ArchiveName("3d", "gossip"); got != "transcript_3d_gossip.txtar" {
		t.Errorf("ArchiveName = %q", got)
	}
}

// A failure names the comment above its exchange, the line the chapters
// print as narration; a message after a blank line has none.
func TestNarration(t *testing.T) {
	text := `> {"src":"c0","dest":"n0","body":{"type":"init","msg_id":1,"node_id":"n0","node_ids":["n0"]}}
< {"src":"n0","dest":"c0","body":{"type":"init_ok","in_reply_to":1}}

# A client asks for an echo;
# the reply carries it back.
> {"src":"c1","dest":"n0","body":{"type":"echo","msg_id":1,"echo":"a"}}
< {"src":"n0","dest":"c1","body":{"type":"echo_ok","in_reply_to":1,"echo":"a"}}

> {"src":"c1","dest":"n0","body":{"type":"echo","msg_id":2,"echo":"b"}}
`
	tr, err := Parse("t", Protocol, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	for line, want := range map[int]string{
		7:  "A client asks for an echo;\nthe reply carries it back.",
		6:  "A client asks for an echo;\nthe reply carries it back.",
		2:  "",
		9:  "",
		99: "",
	} {
		if got := tr.Narration(line); got != want {
			t.Errorf("Narration(%d) = %q, want %q", line, got, want)
		}
	}
	f := &Failure{Transcript: "t", Line: 7, Problem: "no reply", Narration: tr.Narration(7)}
	want := "t:7: no reply\nthe transcript's note on this exchange:\n\t# A client asks for an echo;\n\t# the reply carries it back."
	if got := f.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
