package report

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/proc"
)

// chattyEcho answers echo correctly and, for each echo, tells the next
// node about it, fire and forget: under partitions some of those notes
// are dropped, which the diagram must show.
var chattyEcho = &proc.Func{Name: "chatty-echo", Run: func(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer) error {
	sc := bufio.NewScanner(stdin)
	var self string
	var nodes []string
	out := json.NewEncoder(stdout)
	for n := 0; sc.Scan(); n++ {
		var m struct {
			Src  string         `json:"src"`
			Body map[string]any `json:"body"`
		}
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "Received %s\n", sc.Text())
		send := func(dest string, body map[string]any) error {
			return out.Encode(map[string]any{"src": self, "dest": dest, "body": body})
		}
		var err error
		switch m.Body["type"] {
		case "init":
			self = m.Body["node_id"].(string)
			for _, id := range m.Body["node_ids"].([]any) {
				nodes = append(nodes, id.(string))
			}
			err = send(m.Src, map[string]any{"type": "init_ok", "in_reply_to": m.Body["msg_id"]})
		case "echo":
			err = send(m.Src, map[string]any{"type": "echo_ok", "in_reply_to": m.Body["msg_id"], "echo": m.Body["echo"]})
			for i, id := range nodes {
				if id == self && err == nil {
					err = send(nodes[(i+1)%len(nodes)], map[string]any{"type": "note", "n": n})
				}
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}}

// A whole run in the harness, on a fake clock, then the report files: the
// journal and nemesis record as the harness writes them are what the
// drawings read.
func TestReportOfARealRun(t *testing.T) {
	store := t.TempDir()
	var res *harness.Result
	synctest.Test(t, func(t *testing.T) {
		o := harness.DefaultConfig()
		o.Workload, o.Launcher, o.Store, o.Seed = "echo", chattyEcho, store, 7
		o.NodeCount, o.TimeLimit, o.Rate = 3, 10*time.Second, 10
		o.Nemesis, o.NemesisInterval = []string{"partition"}, 2*time.Second
		if err := o.Finish(); err != nil {
			t.Fatal(err)
		}
		var err error
		if res, err = harness.Run(context.Background(), o); err != nil {
			t.Fatal(err)
		}
	})
	if !res.Valid || len(res.Nemesis) == 0 {
		t.Fatalf("verdict %s, %d nemesis events; want a valid run with partitions", res.Verdict, len(res.Nemesis))
	}
	ev := Gather(res)
	if err := WriteFiles(res, ev, Explain(res, ev), nil); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(res.StoreDir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	svg := read("messages.svg")
	for _, want := range []string{">n0</text>", ">n2</text>", "echo_ok echo=", "note n=", `class="partition"`, "partition: ", `class="m drop"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("messages.svg of a partitioned run lacks %q", want)
		}
	}
	if lat := read("latency.svg"); !strings.Contains(lat, `class="partition"`) || !strings.Contains(lat, "echo ok") {
		t.Errorf("latency.svg lacks the partitions or the echoes")
	}
	page := read("report.html")
	for _, want := range []string{`class="verdict valid">✓ VALID`, `href="node-logs/n0.log"`, "nemesis"} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}
