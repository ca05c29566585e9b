package harness

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/proc"
	"github.com/glomers/glomers/internal/workload"
)

// echoWL is a minimal workload for harness tests: echo operations, checked
// for exact echoes, with an optional final phase of one op per thread.
type echoWL struct {
	workload.Base
	final bool
}

func (echoWL) Name() string                                     { return "test-echo" }
func (echoWL) NewGenerator(workload.Options) workload.Generator { return &echoGen{} }
func (w echoWL) NewFinalGenerator(workload.Options) workload.Generator {
	if !w.final {
		return nil
	}
	return &echoGen{final: map[int]bool{}}
}
func (echoWL) NewClient(workload.Options) workload.Client { return echoClient{} }
func (echoWL) Check(h history.History, _ workload.Options) workload.Result {
	pairs, err := h.Pair()
	if err != nil {
		return workload.Result{Validity: workload.Invalid, Anomalies: []workload.Anomaly{{Kind: "bad-history", Message: err.Error()}}}
	}
	res := workload.Result{Validity: workload.Valid}
	for i, op := range h {
		if op.Type == history.Invoke && (pairs[i] < 0 || h[pairs[i]].Type != history.OK || string(h[pairs[i]].Value) != string(op.Value)) {
			res.Validity = workload.Invalid
			res.Anomalies = append(res.Anomalies, workload.Anomaly{Kind: "bad-echo", Message: "op " + fmt.Sprint(i), Ops: []int{i}})
		}
	}
	return res
}

type echoGen struct {
	n     int
	final map[int]bool
}

func (g *echoGen) Next(thread int, _ time.Duration, rnd *rand.Rand) (workload.Invocation, bool) {
	if g.final != nil {
		if g.final[thread] {
			return workload.Invocation{}, false
		}
		g.final[thread] = true
		return workload.Invocation{F: "echo", Value: history.Value(fmt.Sprintf("final %d", thread)), Final: true}, true
	}
	g.n++
	return workload.Invocation{F: "echo", Value: history.Value(fmt.Sprintf("hi %d", rnd.IntN(128)))}, true
}
func (g *echoGen) Update(int, workload.Invocation, workload.Completion) {}

type echoClient struct{}

func (echoClient) Invoke(ctx context.Context, conn workload.Conn, inv workload.Invocation) workload.Completion {
	var v string
	_ = json.Unmarshal(inv.Value, &v)
	var out struct {
		Echo json.RawMessage `json:"echo"`
	}
	if err := workload.Call(ctx, conn, map[string]any{"type": "echo", "echo": v}, "echo_ok", &out); err != nil {
		return workload.Failed(err, false)
	}
	return workload.Completion{Type: history.OK, Value: out.Echo}
}

// rawNode is an in-process node written against the wire protocol by hand:
// handle gets each message and returns the lines to write.
func rawNode(name string, handle func(self string, msg map[string]any) []string) proc.Launcher {
	return &proc.Func{Name: name, Run: func(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer) error {
		sc := bufio.NewScanner(stdin)
		sc.Buffer(nil, 64<<20) // room for the huge lines some tests send
		self := ""
		for sc.Scan() {
			var msg map[string]any
			if err := json.Unmarshal(sc.Bytes(), &msg); err != nil {
				return err
			}
			body := msg["body"].(map[string]any)
			if body["type"] == "init" {
				self = body["node_id"].(string)
			}
			fmt.Fprintf(stderr, "got %s\n", sc.Text())
			for _, l := range handle(self, msg) {
				if _, err := io.WriteString(stdout, l+"\n"); err != nil {
					return err
				}
			}
		}
		return nil
	}}
}

func reply(self string, msg map[string]any, body map[string]any) string {
	req := msg["body"].(map[string]any)
	body["in_reply_to"] = req["msg_id"]
	b, _ := json.Marshal(map[string]any{"src": self, "dest": msg["src"], "body": body})
	return string(b)
}

// echoHandler answers init and echo correctly.
func echoHandler(self string, msg map[string]any) []string {
	body := msg["body"].(map[string]any)
	switch body["type"] {
	case "init":
		return []string{reply(self, msg, map[string]any{"type": "init_ok"})}
	case "echo":
		return []string{reply(self, msg, map[string]any{"type": "echo_ok", "echo": body["echo"]})}
	}
	return nil
}

// kvEchoNode answers each echo only once lin-kv has acknowledged writing
// the echoed text under the node's id, so every operation costs two server
// messages on top of the client's.
func kvEchoNode() proc.Launcher {
	pending := map[string]map[string]any{} // by node: the echo waiting for write_ok
	return rawNode("kv-echo", func(self string, msg map[string]any) []string {
		body := msg["body"].(map[string]any)
		switch body["type"] {
		case "echo":
			pending[self] = msg
			b, _ := json.Marshal(map[string]any{"src": self, "dest": "lin-kv", "body": map[string]any{"type": "write", "msg_id": 1, "key": self, "value": body["echo"]}})
			return []string{string(b)}
		case "write_ok":
			req := pending[self]
			delete(pending, self)
			return []string{reply(self, req, map[string]any{"type": "echo_ok", "echo": req["body"].(map[string]any)["echo"]})}
		}
		return echoHandler(self, msg)
	})
}

// echoSignedAs is an echo node whose n1 writes its echo replies with src
// set to as instead of its own id.
func echoSignedAs(name, as string) proc.Launcher {
	return rawNode(name, func(self string, msg map[string]any) []string {
		if self == "n1" && msg["body"].(map[string]any)["type"] == "echo" {
			self = as
		}
		return echoHandler(self, msg)
	})
}

// storedEchoRun runs the echo workload against a correct node, keeping
// the run directory in a fresh store.
func storedEchoRun(t *testing.T) (testRun, *Result) {
	t.Helper()
	o := testOptions(t, echoWL{}, rawNode("echo", echoHandler))
	o.Store = t.TempDir()
	return o, runIn(t, o)
}

// testRun is a test's options with its workload, handed to runWith as
// they are: nothing global is swapped, so tests may run in parallel.
type testRun struct {
	Config
	wl workload.Workload
}

func testOptions(t *testing.T, wl workload.Workload, l proc.Launcher) testRun {
	t.Helper()
	o := Config{Options: Defaults()} // no store
	o.Workload = wl.Name()
	o.Launcher = l
	o.Seed = 1
	o.NodeCount = 3
	o.TimeLimit = 10 * time.Second
	o.Rate = 20
	if err := o.Finish(); err != nil {
		t.Fatal(err)
	}
	return testRun{Config: o, wl: wl}
}

func runIn(t *testing.T, o testRun) *Result {
	t.Helper()
	var res *Result
	synctest.Test(t, func(t *testing.T) {
		var err error
		res, err = runWith(context.Background(), o.Config, o.wl)
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	})
	return res
}

func TestEchoRunIsValid(t *testing.T) {
	t.Parallel()
	o := testOptions(t, echoWL{}, rawNode("echo", echoHandler))
	res := runIn(t, o)
	if !res.Valid || res.Verdict != "valid" {
		t.Fatalf("verdict %s, anomalies %+v, problem %q", res.Verdict, res.Anomalies, res.Problem)
	}
	// 10 s at 20/s: about 200 operations, all ok.
	if res.Ops.Invoked < 150 || res.Ops.Invoked > 250 || res.Ops.OK != res.Ops.Invoked {
		t.Fatalf("ops %+v, want about 200 all ok", res.Ops)
	}
	// Every message is client traffic: init + init_ok per node, a
	// request and a reply per operation.
	wantMsgs := 2*3 + 2*res.Ops.Invoked
	if res.Net.Clients.MsgCount != wantMsgs || res.Net.Servers.MsgCount != 0 || res.Net.All.RecvCount != wantMsgs {
		t.Fatalf("net %+v, want %d client messages", res.Net, wantMsgs)
	}
	if res.Net.Servers.MsgsPerOp == nil || *res.Net.Servers.MsgsPerOp != 0 {
		t.Fatalf("servers msgs per op %v", res.Net.Servers.MsgsPerOp)
	}
	// Threads are bound round-robin: all three nodes served operations.
	seen := map[string]bool{}
	for _, op := range res.History {
		seen[op.Node] = true
	}
	if len(seen) != 3 {
		t.Errorf("operations went to %v", seen)
	}
}

func TestSameSeedSameOperations(t *testing.T) {
	t.Parallel()
	ops := func(seed uint64) []string {
		o := testOptions(t, echoWL{}, rawNode("echo", echoHandler))
		o.Seed = seed
		o.Concurrency = 1
		res := runIn(t, o)
		var out []string
		for _, op := range res.History {
			if op.Type == history.Invoke {
				out = append(out, fmt.Sprintf("%v %s", op.Time.Round(time.Millisecond), op.Value))
			}
		}
		return out
	}
	a, b, c := ops(7), ops(7), ops(8)
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Fatal("same seed gave different operation streams")
	}
	if strings.Join(a, ",") == strings.Join(c, ",") {
		t.Fatal("different seeds gave the same operation stream")
	}
}

func TestFinalPhaseRunsAfterRecovery(t *testing.T) {
	t.Parallel()
	o := testOptions(t, echoWL{final: true}, rawNode("echo", echoHandler))
	o.Concurrency = 6
	o.Nemesis = []string{"partition"}
	res := runIn(t, o)
	if !res.Valid {
		t.Fatalf("verdict %s: %+v", res.Verdict, res.Anomalies)
	}
	var finals []history.Op
	for _, op := range res.History {
		if op.Final && op.Type == history.Invoke {
			finals = append(finals, op)
		}
	}
	if len(finals) != 6 {
		t.Fatalf("%d final ops, want one per thread (6)", len(finals))
	}
	// Maelstrom: heal, wait 10 s, then the final phase.
	last := res.Nemesis[len(res.Nemesis)-1]
	if last.Kind != "stop-partition" {
		t.Fatalf("last nemesis action %+v, want a heal", last)
	}
	for _, f := range finals {
		if f.Time < last.Time+10*time.Second {
			t.Fatalf("final op at %v, healed at %v: recovery wait skipped", f.Time, last.Time)
		}
	}
}

func TestNonJSONLineStopsTheRun(t *testing.T) {
	t.Parallel()
	o := testOptions(t, echoWL{}, rawNode("chatty", func(self string, msg map[string]any) []string {
		out := echoHandler(self, msg)
		if msg["body"].(map[string]any)["type"] == "echo" {
			out = append([]string{"handling echo now"}, out...)
		}
		return out
	}))
	res := runIn(t, o)
	if res.Valid || res.Verdict != "invalid" {
		t.Fatalf("verdict %s", res.Verdict)
	}
	if !strings.Contains(res.Problem, "broke the protocol: line is not a JSON object: \"handling echo now\"") ||
		!strings.HasPrefix(res.Problem, "n") {
		t.Fatalf("problem %q does not name the node and quote the line", res.Problem)
	}
	if res.Anomalies[0].Kind != "protocol" {
		t.Fatalf("anomalies %+v", res.Anomalies)
	}
}

// As in Maelstrom, a node may write a message whose src is another node
// (forwarding a client's request so that node replies itself): only a src
// that does not exist breaks the protocol.
func TestOtherNodeSrcIsAllowed(t *testing.T) {
	t.Parallel()
	o := testOptions(t, echoWL{}, echoSignedAs("forwarder", "n2"))
	res := runIn(t, o)
	if res.Problem != "" || !res.Valid {
		t.Fatalf("problem %q, verdict %s", res.Problem, res.Verdict)
	}
}

func TestUnknownSrcIsAProtocolError(t *testing.T) {
	t.Parallel()
	o := testOptions(t, echoWL{}, echoSignedAs("impostor", "n9"))
	res := runIn(t, o)
	if !strings.Contains(res.Problem, `n1 broke the protocol: message from unknown sender "n9"`) {
		t.Fatalf("problem %q", res.Problem)
	}
}

func TestUnknownDestIsAProtocolError(t *testing.T) {
	t.Parallel()
	o := testOptions(t, echoWL{}, rawNode("lost", func(self string, msg map[string]any) []string {
		out := echoHandler(self, msg)
		if msg["body"].(map[string]any)["type"] == "echo" {
			out = append(out, `{"src":"`+self+`","dest":"n7","body":{"type":"gossip"}}`)
		}
		return out
	}))
	res := runIn(t, o)
	if !strings.Contains(res.Problem, `broke the protocol: n`) || !strings.Contains(res.Problem, `sent a message to unknown destination "n7"`) {
		t.Fatalf("problem %q", res.Problem)
	}
}

func TestCrashNamesNodeAndShowsLog(t *testing.T) {
	t.Parallel()
	o := testOptions(t, echoWL{}, &proc.Func{Name: "crasher", Run: func(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer) error {
		sc := bufio.NewScanner(stdin)
		n := 0
		for sc.Scan() {
			var msg map[string]any
			_ = json.Unmarshal(sc.Bytes(), &msg)
			n++
			if n == 5 {
				fmt.Fprintln(stderr, "panic: index out of range [5] with length 5")
				return fmt.Errorf("exit status 2")
			}
			self := msg["dest"].(string)
			for _, l := range echoHandler(self, msg) {
				io.WriteString(stdout, l+"\n")
			}
		}
		return nil
	}})
	res := runIn(t, o)
	if res.Valid || res.Anomalies[0].Kind != "node-crashed" || !strings.HasPrefix(res.Problem, "node n") {
		t.Fatalf("verdict %s problem %q anomalies %+v", res.Verdict, res.Problem, res.Anomalies)
	}
	if len(res.ProblemLog) == 0 || res.ProblemLog[len(res.ProblemLog)-1] != "panic: index out of range [5] with length 5" {
		t.Fatalf("log %q", res.ProblemLog)
	}
	// What was recorded before the crash is kept.
	if res.Ops.Invoked == 0 {
		t.Fatal("history lost")
	}
}

func TestSilentNodeFailsInit(t *testing.T) {
	t.Parallel()
	o := testOptions(t, echoWL{}, rawNode("mute", func(string, map[string]any) []string { return nil }))
	res := runIn(t, o)
	if res.Valid || res.Anomalies[0].Kind != "init" || !strings.Contains(res.Problem, "did not answer init with init_ok within 10s") {
		t.Fatalf("problem %q anomalies %+v", res.Problem, res.Anomalies)
	}
}

func TestTimeoutsAreIndeterminate(t *testing.T) {
	t.Parallel()
	// n0 never answers echo: its operations time out after 5 s and are
	// recorded as info; the thread gets a new process each time.
	o := testOptions(t, echoWL{}, rawNode("half-mute", func(self string, msg map[string]any) []string {
		if self == "n0" && msg["body"].(map[string]any)["type"] == "echo" {
			return nil
		}
		return echoHandler(self, msg)
	}))
	o.Availability = "0.5"
	res := runIn(t, o)
	if res.Ops.Info == 0 {
		t.Fatalf("no info ops: %+v", res.Ops)
	}
	procs := map[int]bool{}
	for _, op := range res.History {
		if op.Node == "n0" {
			procs[op.Process] = true
			if op.Type == history.Info && op.Error != "timeout" {
				t.Fatalf("info op error %q", op.Error)
			}
		}
	}
	if len(procs) < 2 {
		t.Errorf("n0's thread kept one process after info completions: %v", procs)
	}
	if res.Availability == nil || res.Availability.Valid != (res.Availability.OKFraction >= 0.5) {
		t.Errorf("availability %+v", res.Availability)
	}
	if res.Valid {
		t.Error("timeouts passed the echo check")
	}
}

func TestInterruptKeepsHistory(t *testing.T) {
	t.Parallel()
	o := testOptions(t, echoWL{}, rawNode("echo", echoHandler))
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(3*time.Second, cancel)
		res, err := runWith(ctx, o.Config, o.wl)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Interrupted || res.Verdict != "interrupted" || res.Ops.Invoked == 0 {
			t.Fatalf("interrupted=%v verdict=%s ops=%+v", res.Interrupted, res.Verdict, res.Ops)
		}
		if res.Duration > 4*time.Second {
			t.Fatalf("run went on for %v after the interrupt at 3s", res.Duration)
		}
	})
}

// Services answer through the network with server latency, and their
// traffic counts as server messages (Maelstrom net/checker.clj).
func TestServicesAreServerTraffic(t *testing.T) {
	t.Parallel()
	// Each echo asks lin-kv to write the echoed text before answering.
	o := testOptions(t, echoWL{}, kvEchoNode())
	o.Concurrency = 1
	o.NodeCount = 1
	o.Latency = 50 * time.Millisecond
	res := runIn(t, o)
	if !res.Valid {
		t.Fatalf("verdict %s: %+v %s", res.Verdict, res.Anomalies, res.Problem)
	}
	// One write and one write_ok per operation.
	if got, want := res.Net.Servers.MsgCount, 2*res.Ops.Invoked; got != want {
		t.Fatalf("server messages %d, want %d", got, want)
	}
	// A round trip to lin-kv costs two hops of 50 ms.
	if res.LatencyMS.Min < 100 || res.LatencyMS.Max > 101 {
		t.Fatalf("request latency %+v, want 100 ms", res.LatencyMS)
	}
}
