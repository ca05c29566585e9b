package harness

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/proc"
	"github.com/glomers/glomers/internal/workload"
)

// relayWL starts a relay on every node in setup and then only waits: the
// measure is how many server messages the harness routes meanwhile.
type relayWL struct {
	workload.Base
	tokens int
}

func (relayWL) Name() string { return "test-relay" }
func (w relayWL) Setup(o workload.Options) []workload.SetupRequest {
	var reqs []workload.SetupRequest
	for _, n := range o.Nodes {
		reqs = append(reqs, workload.SetupRequest{Node: n, Body: map[string]any{"type": "start", "tokens": w.tokens}, Reply: "start_ok"})
	}
	return reqs
}
func (relayWL) NewGenerator(workload.Options) workload.Generator { return nil }
func (relayWL) NewClient(workload.Options) workload.Client       { return nil }
func (relayWL) Reusable() bool                                   { return true }
func (relayWL) Check(history.History, workload.Options) workload.Result {
	return workload.Result{Validity: workload.Valid}
}

// relayNode passes every token it receives to a random node, for ever.
var relayNode = &proc.Func{Name: "relay", Run: func(ctx context.Context, stdin io.Reader, stdout, _ io.Writer) error {
	sc := bufio.NewScanner(stdin)
	w := bufio.NewWriter(stdout)
	var self string
	var ids []string
	rnd := rand.New(rand.NewPCG(1, 1))
	send := func(dest string, body string) {
		fmt.Fprintf(w, `{"src":%q,"dest":%q,"body":%s}`+"\n", self, dest, body)
	}
	for sc.Scan() {
		var m struct {
			Src  string `json:"src"`
			Body struct {
				Type    string   `json:"type"`
				MsgID   int      `json:"msg_id"`
				NodeID  string   `json:"node_id"`
				NodeIDs []string `json:"node_ids"`
				Tokens  int      `json:"tokens"`
			} `json:"body"`
		}
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			return err
		}
		switch m.Body.Type {
		case "init":
			self, ids = m.Body.NodeID, m.Body.NodeIDs
			send(m.Src, fmt.Sprintf(`{"type":"init_ok","in_reply_to":%d}`, m.Body.MsgID))
		case "start":
			send(m.Src, fmt.Sprintf(`{"type":"start_ok","in_reply_to":%d}`, m.Body.MsgID))
			for range m.Body.Tokens {
				send(ids[rnd.IntN(len(ids))], `{"type":"token","value":[1,2,3]}`)
			}
		case "token":
			send(ids[rnd.IntN(len(ids))], `{"type":"token","value":[1,2,3]}`)
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return sc.Err()
}}

// BenchmarkRouting25Nodes measures messages routed per second between 25
// in-process nodes, through every layer a real run uses: a node's stdout
// line, the harness's parse, the network model, the stdin queue and the
// node's parse. On the 2-core development machine: about 270,000 msgs/s
// (go test -run XXX -bench Routing ./internal/harness).
func BenchmarkRouting25Nodes(b *testing.B) {
	o := Config{Options: Defaults()}
	o.Workload = "test-relay"
	o.Launcher = relayNode
	o.Seed = 1
	o.NodeCount = 25
	o.Rate = 0
	o.TimeLimit = 2 * time.Second
	if err := o.Finish(); err != nil {
		b.Fatal(err)
	}
	var msgs, secs float64
	for b.Loop() {
		start := time.Now()
		res, err := runWith(context.Background(), o, relayWL{tokens: 40})
		if err != nil || res.Problem != "" {
			b.Fatalf("%v %s", err, res.Problem)
		}
		msgs += float64(res.Net.Servers.RecvCount)
		secs += time.Since(start).Seconds()
	}
	b.ReportMetric(msgs/secs, "msgs/s")
}
