package visual

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/glomers/glomers/internal/netsim"
	"github.com/glomers/glomers/internal/store"
)

func send(id int64, at int, src, dest, body string) store.Event {
	return store.Event{Kind: "send", Time: ms(at), Deadline: ms(at + 5), ID: id, Src: src, Dest: dest, Body: json.RawMessage(body)}
}

func end(kind string, id int64, at int, src, dest string) store.Event {
	return store.Event{Kind: netsim.EventKind(kind), Time: ms(at), Deadline: ms(at), ID: id, Src: src, Dest: dest, Body: json.RawMessage(`{}`)}
}

func TestDiagramDrawsMessagesDropsAndPartitions(t *testing.T) {
	src := journalLines(
		send(0, 0, "c1", "n0", `{"type":"echo","msg_id":1,"echo":"a<b & c"}`),
		end("recv", 0, 1, "c1", "n0"),
		send(1, 2, "n0", "n1", `{"type":"broadcast","message":5}`),
		send(2, 3, "n0", "lin-kv", `{"type":"read","key":"x"}`),
		end("drop", 1, 7, "n0", "n1"),
		end("recv", 2, 8, "n0", "lin-kv"),
		send(3, 9, "n0", "c1", `{"type":"echo_ok","in_reply_to":1,"echo":"a<b & c"}`),
	)
	j, err := ReadJournal(strings.NewReader(src), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if j.Kept != 4 || j.Total != 4 || len(j.Events) != 7 {
		t.Fatalf("kept %d of %d, %d events; want 4 of 4, 7 events", j.Kept, j.Total, len(j.Events))
	}
	svg := Diagram(j, []Interval{{Start: ms(2), End: ms(8), Label: "n0 drops n1 <&>"}}, nil)
	wellFormed(t, svg)
	s := string(svg)
	for _, want := range []string{
		">clients</text>", ">n0</text>", ">n1</text>", ">lin-kv</text>", // one lifeline each
		`c1: echo echo=&#34;a&lt;b &amp; c&#34;`,  // label, escaped, msg_id left out
		`class="m drop"`, `✗ broadcast message=5`, // the drop, drawn as such
		`partition: n0 drops n1 &lt;&amp;&gt;`, // the shaded partition, escaped
		`class="m flight"`,                     // the reply never arrived
		"1 still in flight",
		"All 4 messages.",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("diagram lacks %q", want)
		}
	}
	// Columns: nodes, then services, then clients.
	if a, b, c := strings.Index(s, ">n1</text>"), strings.Index(s, ">lin-kv</text>"), strings.Index(s, ">clients</text>"); !(a < b && b < c) {
		t.Errorf("columns out of order: n1 at %d, lin-kv at %d, clients at %d", a, b, c)
	}
	if !strings.Contains(s, "<title>Messages between nodes, services and clients</title>") {
		t.Errorf("a diagram without anomalies has the plain title")
	}
}

func TestReadJournalKeepsTheFirstMessagesAndCountsTheRest(t *testing.T) {
	var evs []store.Event
	for i := range 1000 {
		evs = append(evs, send(int64(i), i, "n0", "n1", `{"type":"gossip","values":[1,2,3]}`))
		evs = append(evs, end("recv", int64(i), i, "n0", "n1"))
	}
	// A kept message whose receipt comes late is still drawn whole.
	evs = append([]store.Event{send(5000, 0, "n1", "n2", `{"type":"slow"}`)}, evs...)
	evs = append(evs, end("recv", 5000, 2000, "n1", "n2"))
	j, err := ReadJournal(strings.NewReader(journalLines(evs...)), 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if j.Kept != 10 || j.Total != 1001 || j.Until != ms(9) {
		t.Fatalf("kept %d of %d until %v; want 10 of 1001 until 9ms", j.Kept, j.Total, j.Until)
	}
	if len(j.Events) != 20 || j.Events[19].ID != 5000 {
		t.Fatalf("%d events, last %+v; want 20 ending with message 5000's receipt", len(j.Events), j.Events[len(j.Events)-1])
	}
	svg := Diagram(j, nil, nil)
	wellFormed(t, svg)
	if !strings.Contains(string(svg), "The first 10 of 1001 messages (those sent before 9 ms); the other 991 are in journal.jsonl.") {
		t.Errorf("diagram does not say what it left out:\n%s", svg)
	}
}

func TestReadJournalNamesABadLine(t *testing.T) {
	_, err := ReadJournal(strings.NewReader(journalLines(send(0, 0, "c0", "n0", `{}`))+"{oops\n"), 0, 0)
	if err == nil || !strings.Contains(err.Error(), "journal line 2") {
		t.Fatalf("err = %v, want one naming journal line 2", err)
	}
}

// A journal written by another encoder, with the fields in another order,
// reads the same: sends are found by their kind, not by where it is.
func TestReadJournalAnyFieldOrder(t *testing.T) {
	src := `{"id":1,"src":"c0","dest":"n0","body":{"kind":"recv"},"time":1000000,"kind":"send"}
{"body":{},"dest":"c0","kind":"send","src":"n0","time":2000000,"id":2}
{"time":3000000,"id":1,"src":"c0","dest":"n0","body":{},"kind":"recv"}
{"kind":"drop","time":4000000,"id":2,"src":"n0","dest":"c0","body":{}}
`
	j, err := ReadJournal(strings.NewReader(src), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if j.Kept != 2 || j.Total != 2 || len(j.Events) != 4 {
		t.Fatalf("kept %d of %d, %d events; want 2 of 2, 4 events", j.Kept, j.Total, len(j.Events))
	}
	if e := j.Events[3]; e.Kind != netsim.Drop || e.ID != 2 || e.Time != ms(4) {
		t.Errorf("last event %+v, want message 2 dropped at 4 ms", e)
	}
}

func TestDiagramSizeIsBounded(t *testing.T) {
	var evs []store.Event
	for i := range 5000 {
		evs = append(evs, send(int64(i), i, fmt.Sprintf("n%d", i%5), fmt.Sprintf("n%d", (i+1)%5), `{"type":"gossip","values":[1,2,3,4,5,6,7,8,9,10]}`))
		evs = append(evs, end("recv", int64(i), i+1, "", ""))
	}
	j, err := ReadJournal(strings.NewReader(journalLines(evs...)), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	svg := Diagram(j, nil, nil)
	if len(svg) > 400<<10 {
		t.Fatalf("diagram of a long run is %d bytes; want at most 400 KiB", len(svg))
	}
}

func TestDiagramMarksAnomalousOperations(t *testing.T) {
	src := journalLines(
		send(0, 0, "c1", "n0", `{"type":"echo","msg_id":1,"echo":"a"}`),
		end("recv", 0, 1, "c1", "n0"),
		send(1, 2, "n0", "c1", `{"type":"echo_ok","in_reply_to":1,"echo":"A"}`),
		end("recv", 1, 3, "n0", "c1"),
		send(2, 4, "c1", "n0", `{"type":"echo","msg_id":2,"echo":"b"}`),
		end("recv", 2, 5, "c1", "n0"),
	)
	j, err := ReadJournal(strings.NewReader(src), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The checker cited the operation by its completion, 5; its anchor is
	// its invocation, 4.
	svg := string(Diagram(j, nil, map[int64]Mark{0: {Op: 4, Name: 5, Kind: "echo-mismatch"}, 1: {Op: 4, Name: 5, Kind: "echo-mismatch"}}))
	wellFormed(t, []byte(svg))
	if strings.Count(svg, `id="op-4"`) != 1 {
		t.Errorf("want one anchor for op 4 (on its request):\n%s", svg)
	}
	for _, want := range []string{"op 5 echo-mismatch: echo_ok echo=&#34;A&#34;", "op 5 (echo-mismatch): c1 -&gt; n0"} {
		if !strings.Contains(svg, want) {
			t.Errorf("diagram lacks %q", want)
		}
	}
	if strings.Contains(svg, "op 5 echo-mismatch: echo echo=&#34;b&#34;") {
		t.Errorf("an unmarked message is marked")
	}
}

func TestReadJournalFromATime(t *testing.T) {
	var evs []store.Event
	for i := range 100 { // message i sent at i ms, received 3 ms later
		evs = append(evs, send(int64(i), i, "n0", "n1", `{"type":"gossip"}`))
		if i >= 3 {
			evs = append(evs, end("recv", int64(i-3), i, "n0", "n1"))
		}
	}
	j, err := ReadJournal(strings.NewReader(journalLines(evs...)), 10, ms(50))
	if err != nil {
		t.Fatal(err)
	}
	if j.Before != 50 || j.Kept != 10 || j.Total != 100 || !j.Cut || j.Until != ms(60) {
		t.Fatalf("before %d, kept %d of %d, cut %v at %v; want 50, 10 of 100, cut at 60ms", j.Before, j.Kept, j.Total, j.Cut, j.Until)
	}
	// Only the kept messages' events: receipts of earlier ones are left out.
	for _, e := range j.Events {
		if e.ID < 50 || e.ID >= 60 {
			t.Fatalf("event of message %d kept", e.ID)
		}
	}
	if len(j.Events) != 20 {
		t.Fatalf("%d events, want 20", len(j.Events))
	}
	svg := string(Diagram(j, nil, nil))
	if !strings.Contains(svg, "The 10 messages sent from 50 ms to 60 ms, of the run&#39;s 100; the other 90 are in journal.jsonl.") {
		t.Errorf("the diagram does not say which messages it shows:\n%s", svg)
	}
}

// Every client shares one lane; a label starts beside its arrow's start,
// above its row, so it never lies on its own arrow; the title names the
// first anomaly shown.
func TestDiagramSharesTheClientsLaneAndKeepsLabelsOffArrows(t *testing.T) {
	var evs []store.Event
	for i := range 8 {
		c := fmt.Sprintf("c%d", i+10)
		evs = append(evs,
			send(int64(2*i), 4*i, c, "n0", `{"type":"echo","msg_id":1,"echo":"x"}`),
			end("recv", int64(2*i), 4*i+1, c, "n0"),
			send(int64(2*i+1), 4*i+2, "n0", c, `{"type":"echo_ok","in_reply_to":1,"echo":"x"}`),
			end("recv", int64(2*i+1), 4*i+3, "n0", c))
	}
	j, err := ReadJournal(strings.NewReader(journalLines(evs...)), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	svg := string(Diagram(j, nil, map[int64]Mark{5: {Op: 7, Name: 8, Kind: "echo-mismatch"}, 9: {Op: 9, Name: 9, Kind: "echo-mismatch"}}))
	if n := strings.Count(svg, `font-weight="bold"`); n != 2 {
		t.Errorf("%d lifelines, want 2 (n0 and the clients')", n)
	}
	if !strings.Contains(svg, "<title>op 8 (echo-mismatch), the first anomaly shown: messages between nodes, services and clients</title>") {
		t.Errorf("title does not name the first anomaly:\n%.300s", svg)
	}
	// n0's lane is left of the clients': a request's label ends left of
	// the clients' lane, a reply's starts right of n0's, both above the
	// row the arrow leaves from (y - 4).
	if !strings.Contains(svg, `text-anchor="end"`) || !strings.Contains(svg, `text-anchor="start"`) {
		t.Errorf("labels are not anchored beside the arrows' starts")
	}
	if strings.Contains(svg, `text-anchor="middle" fill="#222222" class="l"`) {
		t.Errorf("a label is centred on its arrow")
	}
}
