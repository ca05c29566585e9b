package visual

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// benchJournal is a journal of n gossip messages between five nodes, each
// sent and received, as a long broadcast run writes it.
func benchJournal(n int) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for i := range n {
		body := json.RawMessage(fmt.Sprintf(`{"type":"gossip","msg_id":%d,"values":[1,2,3,4,5,6,7,8]}`, i))
		_ = enc.Encode(send(int64(i), i, fmt.Sprintf("n%d", i%5), fmt.Sprintf("n%d", (i+1)%5), string(body)))
		_ = enc.Encode(end("recv", int64(i), i+1, "", ""))
	}
	return b.Bytes()
}

// BenchmarkReadJournal reads a 200,000-message journal (400,000 lines,
// 52 MB) keeping the first 400 messages: on this machine (2 shared cores,
// other helpers' tests running) 8 to 12 ms, so even the harness's cap of
// 2,000,000 events costs well under a second. Past the kept messages,
// lines are only counted, not parsed.
func BenchmarkReadJournal(b *testing.B) {
	data := benchJournal(200_000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		j, err := ReadJournal(bytes.NewReader(data), 0, 0)
		if err != nil || j.Total != 200_000 {
			b.Fatalf("%v, %d messages", err, j.Total)
		}
	}
}

// BenchmarkDiagram draws 400 messages: 5.9 ms here.
func BenchmarkDiagram(b *testing.B) {
	j, err := ReadJournal(bytes.NewReader(benchJournal(400)), 0, 0)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		Diagram(j, []Interval{{Start: ms(100), End: ms(200), Label: "n0 | n1"}}, nil)
	}
}
