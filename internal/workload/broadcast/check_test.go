package broadcast

import (
	"cmp"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// hist builds a history from lines of "time-ms process type f value node",
// value "-" for none. Reads' values are JSON arrays written without spaces.
func hist(t testing.TB, text string) history.History {
	t.Helper()
	var b history.Builder
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 6 {
			t.Fatalf("bad history line %q", line)
		}
		ms, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			t.Fatalf("bad time in %q", line)
		}
		p, err := strconv.Atoi(f[1])
		if err != nil {
			t.Fatalf("bad process in %q", line)
		}
		op := history.Op{Time: time.Duration(ms * float64(time.Millisecond)), Process: p, Type: history.Type(f[2]), F: f[3], Node: f[5]}
		if f[4] != "-" {
			op.Value = json.RawMessage(f[4])
		}
		b.Add(op)
	}
	return b.History()
}

func TestCheckPasses(t *testing.T) {
	tests := []struct {
		name     string
		h        string
		stable   int
		stale    int
		never    int
		validity workload.Validity
	}{
		{"broadcast then read", `
			0  0 invoke broadcast 0   n0
			1  0 ok     broadcast 0   n0
			2  1 invoke read      -   n1
			3  1 ok     read      [0] n1`, 1, 0, 0, workload.Valid},
		// Jepsen set-full: a read that completed before the broadcast was
		// invoked says nothing about the value.
		{"earlier read does not count", `
			0  1 invoke read      -   n1
			1  1 ok     read      []  n1
			2  0 invoke broadcast 0   n0
			3  0 ok     broadcast 0   n0
			4  1 invoke read      -   n1
			5  1 ok     read      [0] n1`, 1, 0, 0, workload.Valid},
		// Jepsen set-full: a read concurrent with the broadcast may miss it;
		// the stable latency is clipped at 0, so it is not stale.
		{"concurrent read misses", `
			0  0 invoke broadcast 0   n0
			5  1 invoke read      -   n1
			10 0 ok     broadcast 0   n0
			15 1 ok     read      []  n1
			20 1 invoke read      -   n1
			25 1 ok     read      [0] n1`, 1, 0, 0, workload.Valid},
		// Jepsen set-full: a read already running when the broadcast was
		// invoked counts when it completes after; one that completed before
		// does not.
		{"read running across the broadcast", `
			0  3 invoke read      -   n1
			1  3 ok     read      []  n1
			2  1 invoke read      -   n1
			3  0 invoke broadcast 0   n0
			4  1 ok     read      [0] n1
			5  0 ok     broadcast 0   n0`, 1, 0, 0, workload.Valid},
		// Jepsen set-full: reads are ordered by invocation, so a long read
		// that began first and missed the value does not outweigh a later one.
		{"ordered by invocation not completion", `
			0  0 invoke broadcast 0   n0
			1  0 ok     broadcast 0   n0
			2  1 invoke read      -   n1
			3  2 invoke read      -   n2
			4  2 ok     read      [0] n2
			5  1 ok     read      []  n1`, 1, 1, 0, workload.Valid},
		// Jepsen set-full: a read that missed the value after it was known
		// makes it stale, which is not a failure.
		{"stale", `
			0   0 invoke broadcast 0   n0
			10  0 ok     broadcast 0   n0
			300 1 invoke read      -   n1
			301 1 ok     read      []  n1
			500 1 invoke read      -   n1
			501 1 ok     read      [0] n1`, 1, 1, 0, workload.Valid},
		// Jepsen set-full: a broadcast that timed out and was never seen is
		// never-read, not lost.
		{"timed-out broadcast never seen", `
			0  0 invoke broadcast 0   n0
			1  0 ok     broadcast 0   n0
			2  0 invoke broadcast 1   n0
			3  0 info   broadcast -   n0
			4  2 invoke read      -   n1
			5  2 ok     read      [0] n1`, 1, 0, 1, workload.Valid},
		{"failed broadcast never seen", `
			0  0 invoke broadcast 0   n0
			1  0 fail   broadcast -   n0
			2  1 invoke read      -   n1
			3  1 ok     read      []  n1`, 0, 0, 1, workload.Unknown},
		// Jepsen set-full: a value a read returned before its broadcast was
		// acknowledged is known from that read.
		{"seen before acknowledged", `
			0  0 invoke broadcast 0   n0
			1  1 invoke read      -   n0
			2  1 ok     read      [0] n0
			3  0 ok     broadcast 0   n0`, 1, 0, 0, workload.Valid},
		// Jepsen set-full: when the last read that missed the value began
		// before the value was known, the value is never-read, not lost.
		{"last miss concurrent with the broadcast", `
			0  0 invoke broadcast 0   n0
			1  1 invoke read      -   n1
			2  0 ok     broadcast 0   n0
			3  1 ok     read      []  n1`, 0, 0, 1, workload.Unknown},
		// Jepsen set-full: with no read missing it, a value counts as stable
		// from time 0, so one known at a negative time (a damaged history)
		// is stale by that much; it must not crash the report.
		{"known before time zero", `
			-10 0 invoke broadcast 0   n0
			-5  0 ok     broadcast 0   n0
			1   1 invoke read      -   n1
			2   1 ok     read      [0] n1`, 1, 1, 0, workload.Valid},
		// Jepsen set-full: nothing read at all is unknown, not valid.
		{"empty history", ``, 0, 0, 0, workload.Unknown},
		{"failed reads are ignored", `
			0  0 invoke broadcast 0   n0
			1  0 ok     broadcast 0   n0
			2  1 invoke read      -   n1
			3  1 fail   read      -   n1
			4  1 invoke read      -   n1
			5  1 ok     read      [0] n1`, 1, 0, 0, workload.Valid},
		// Jepsen set-full: a value broadcast again is followed from its
		// latest broadcast; the earlier miss is forgotten.
		{"value broadcast twice", `
			0  0 invoke broadcast 0   n0
			1  0 ok     broadcast 0   n0
			2  1 invoke read      -   n1
			3  1 ok     read      [0] n1
			4  1 invoke read      -   n1
			5  1 ok     read      []  n1
			6  0 invoke broadcast 0   n0
			7  0 ok     broadcast 0   n0
			8  1 invoke read      -   n1
			9  1 ok     read      [0] n1`, 1, 0, 0, workload.Valid},
		{"read order and spacing do not matter", `
			0  0 invoke broadcast 0         n0
			1  0 ok     broadcast 0         n0
			2  0 invoke broadcast 1         n0
			3  0 ok     broadcast 1         n0
			4  1 invoke read      -         n1
			5  1 ok     read      [1,0]     n1`, 2, 0, 0, workload.Valid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Check(hist(t, tt.h))
			if res.Validity != tt.validity || len(res.Anomalies) != 0 {
				t.Fatalf("got %s %+v, want %s and no anomalies", res.Validity, res.Anomalies, tt.validity)
			}
			m := res.Metrics
			if m["stable_count"] != tt.stable || m["stale_count"] != tt.stale || m["never_read_count"] != tt.never || m["lost_count"] != 0 {
				t.Errorf("stable %v stale %v never-read %v lost %v; want %d %d %d 0",
					m["stable_count"], m["stale_count"], m["never_read_count"], m["lost_count"], tt.stable, tt.stale, tt.never)
			}
			if got, want := len(res.Notes) > 0, tt.stale+tt.never > 0; got != want {
				t.Errorf("notes %+v", res.Notes)
			}
		})
	}
}

func TestCheckFails(t *testing.T) {
	tests := []struct {
		name string
		h    string
		kind string
		msg  string
		ops  []int
	}{
		// Jepsen set-full: lost, a value read and then missing from every
		// later read.
		{"lost after being read", `
			0    0 invoke broadcast 17  n3
			1200 0 ok     broadcast 17  n3
			1300 1 invoke read      -   n1
			1301 1 ok     read      [17] n1
			1400 2 invoke read      -   n0
			1401 2 ok     read      []  n0
			1500 1 invoke read      -   n2
			1501 1 ok     read      []  n2`,
			KindLost,
			`^value 17 was acknowledged by n3 at op 1 \(t=1.2s\) and was last seen in a read on n1 \(op 2\), but the last 2 reads, on n0 and n2, did not have it \(ops 4, 6\)$`,
			[]int{1, 4, 6}},
		// Jepsen set-full: lost, known from the acknowledgement, never read.
		{"lost without ever being read", `
			0   0 invoke broadcast 3   n0
			10  0 ok     broadcast 3   n0
			20  1 invoke read      -   n1
			21  1 ok     read      []  n1`,
			KindLost,
			`^value 3 was acknowledged by n0 at op 1 \(t=10ms\) but no read ever had it: the last read, on n1, did not have it \(op 2\)$`,
			[]int{1, 2}},
		// Jepsen set-full: known from a read even though the broadcast timed out.
		{"lost after a timed-out broadcast was seen", `
			0   0 invoke broadcast 5   n0
			10  1 invoke read      -   n0
			11  1 ok     read      [5] n0
			20  0 info   broadcast -   n0
			30  1 invoke read      -   n0
			31  1 ok     read      []  n0`,
			KindLost,
			`^value 5 was first seen in a read on n0 \(op 1\) that completed at t=11ms, but the last read, on n0, did not have it \(op 4\)$`,
			[]int{2, 4}},
		// Jepsen set-full orders by invocation: the read that began last missed it.
		{"lost by invocation order", `
			0  0 invoke broadcast 0   n0
			1  0 ok     broadcast 0   n0
			2  1 invoke read      -   n1
			3  2 invoke read      -   n2
			4  2 ok     read      []  n2
			5  1 ok     read      [0] n1`,
			KindLost, `last seen in a read on n1 \(op 2\), but the last read, on n2, did not have it \(op 3\)$`, []int{1, 3}},
		// Jepsen means to flag a value repeated within one read (its test is
		// reversed, so it never does); we do.
		{"duplicate in one read", `
			0  0 invoke broadcast 4       n0
			1  0 ok     broadcast 4       n0
			2  1 invoke read      -       n1
			3  1 ok     read      [4,1,4] n1
			4  1 invoke read      -       n1
			5  1 ok     read      []      n1`,
			KindDuplicate, `^value 4 appeared 2 times in one read on n1 \(op 3\)`, []int{3}},
		// Ours: a value no client broadcast.
		{"unexpected value", `
			0  0 invoke broadcast 0     n0
			1  0 ok     broadcast 0     n0
			2  1 invoke read      -     n1
			3  1 ok     read      [0,9] n1`,
			KindUnexpected, `^value 9 was returned by a read, on n1 \(op 3\), but no client ever broadcast it$`, []int{3}},
		// Ours: a value read before anyone broadcast it.
		{"value read before its broadcast", `
			0  1 invoke read      -   n1
			1  1 ok     read      [0] n1
			2  0 invoke broadcast 0   n0
			3  0 ok     broadcast 0   n0
			4  1 invoke read      -   n1
			5  1 ok     read      [0] n1`,
			KindUnexpected, `^value 0 was returned by a read, on n1 \(op 1\), that completed before any client broadcast it \(op 2\)$`, []int{1, 2}},
		{"repeated unexpected value", `
			0  1 invoke read      -     n1
			1  1 ok     read      [8,8] n1`,
			KindUnexpected, `value 8 was returned by a read`, []int{1}},
		{"broadcast value not an integer", `
			0  0 invoke broadcast "a" n0
			1  0 ok     broadcast "a" n0`,
			KindMalformedHistory, `^op 0: broadcast value "a" is not an integer$`, []int{0}},
		{"read value not integers", `
			0  1 invoke read - n1
			1  1 ok     read [1.5] n1`,
			KindMalformedHistory, `^op 1: read_ok messages element 0: 1.5 is not an integer$`, []int{1}},
		{"read value missing", `
			0  1 invoke read - n1
			1  1 ok     read - n1`,
			KindMalformedHistory, `^op 1: read_ok messages nothing is not an array$`, []int{1}},
		{"unpaired completion", `
			0  1 ok     read [] n1`,
			KindMalformedHistory, `cannot be paired: op 0: ok completion for process 1 with no open invocation`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Check(hist(t, tt.h))
			if res.Validity != workload.Invalid {
				t.Fatalf("validity %s, want invalid", res.Validity)
			}
			var got []workload.Anomaly
			for _, a := range res.Anomalies {
				if a.Kind == tt.kind {
					got = append(got, a)
				}
			}
			if len(got) != 1 {
				t.Fatalf("got %d %s anomalies, want 1: %+v", len(got), tt.kind, res.Anomalies)
			}
			if !regexp.MustCompile(tt.msg).MatchString(got[0].Message) {
				t.Errorf("message %q\ndoes not match %q", got[0].Message, tt.msg)
			}
			if fmt.Sprint(got[0].Ops) != fmt.Sprint(tt.ops) {
				t.Errorf("ops %v, want %v", got[0].Ops, tt.ops)
			}
		})
	}
}

// A duplicate in a read makes the history invalid even though every value
// is stable: Jepsen's verdict is (and (empty? dups) valid?).
func TestCheckDuplicateAloneInvalidates(t *testing.T) {
	res := Check(hist(t, `
		0  0 invoke broadcast 0     n0
		1  0 ok     broadcast 0     n0
		2  1 invoke read      -     n1
		3  1 ok     read      [0,0,0] n1
		4  1 invoke read      -     n2
		5  1 ok     read      [0,0] n2`))
	if res.Validity != workload.Invalid || res.Metrics["stable_count"] != 1 || res.Metrics["duplicated_count"] != 1 {
		t.Fatalf("got %s %v", res.Validity, res.Metrics)
	}
	want := "value 0 appeared more than once (up to 3 times) in each of 2 reads, on n1 and n2 (ops 3, 5); a read returns a set"
	if len(res.Anomalies) != 1 || res.Anomalies[0].Message != want {
		t.Errorf("anomalies %+v\nwant %q", res.Anomalies, want)
	}
}

// Jepsen set-full latencies: (last-absent invoke time + 1 ns) - known time,
// clipped at 0, truncated to whole ms; quantiles take index
// min(n-1, floor(n*q)) of the sorted latencies.
func TestStableLatencies(t *testing.T) {
	// Five values: value v is broadcast at 1000v+500 ms and acknowledged
	// at 1000v+1000; one read, invoked at 1000v+1000+d[v], returns only the
	// earlier values; a final read returns them all. d tests clipping (a
	// read that began before the value was known) and truncation (299.9999
	// ms + 1 ns is still 299 ms).
	ds := []float64{-50, 0, 299.9999, 100, 400}
	type event struct {
		at   float64
		line string
	}
	var events []event
	var all []string
	for v, d := range ds {
		base := float64(1000 * v)
		events = append(events,
			event{base + 500, fmt.Sprintf("0 invoke broadcast %d n0", v)},
			event{base + 1000, fmt.Sprintf("0 ok broadcast %d n0", v)},
			event{base + 1000 + d, "1 invoke read - n1"},
			event{base + 1000 + d + 0.5, fmt.Sprintf("1 ok read [%s] n1", strings.Join(all, ","))})
		all = append(all, fmt.Sprint(v))
	}
	events = append(events,
		event{9000, "1 invoke read - n1"},
		event{9001, fmt.Sprintf("1 ok read [%s] n1", strings.Join(all, ","))})
	slices.SortStableFunc(events, func(a, b event) int { return cmp.Compare(a.at, b.at) })
	var sb strings.Builder
	for _, e := range events {
		fmt.Fprintf(&sb, "%v %s\n", e.at, e.line)
	}
	res := Check(hist(t, sb.String()))
	if res.Validity != workload.Valid {
		t.Fatalf("validity %s: %+v", res.Validity, res.Anomalies)
	}
	// Sorted latencies: 0, 0, 100, 299, 400 (n = 5).
	want := workload.Quantiles{Min: 0, Median: 100, P95: 400, P99: 400, Max: 400, Count: 5}
	if res.StableLatency == nil || *res.StableLatency != want {
		t.Errorf("stable latency %+v, want %+v", res.StableLatency, want)
	}
	// Jepsen set-full: stale = stable with latency > 0; the worst first.
	if res.Metrics["stale_count"] != 3 {
		t.Errorf("stale_count %v, want 3", res.Metrics["stale_count"])
	}
	worst := res.Metrics["worst_stale"].([]StaleValue)
	if len(worst) != 3 || worst[0].Value != 4 || worst[0].LatencyMS != 400 || worst[1].LatencyMS != 299 || worst[2].LatencyMS != 100 {
		t.Errorf("worst_stale %+v", worst)
	}
	if worst[0].KnownOp != 17 || worst[0].LastAbsentOp != 18 || worst[0].LastAbsentNode != "n1" {
		t.Errorf("worst_stale[0] = %+v, want known op 17, last absent op 18 on n1", worst[0])
	}
	if len(res.Notes) != 4 || !strings.HasPrefix(res.Notes[1].Message, "value 4 was acknowledged by n0 at op 17 (t=5s), but a read on n1 (op 18) that began 400 ms later still missed it") {
		t.Errorf("notes %+v", res.Notes)
	}
}

// The quantile rule itself, on hand-computed cases: with n values the
// median is the element at floor(n/2), the upper one for even n.
func TestQuantileArithmetic(t *testing.T) {
	tests := []struct {
		in   []float64
		want *workload.Quantiles
	}{
		{nil, nil},
		{[]float64{7}, &workload.Quantiles{Min: 7, Median: 7, P95: 7, P99: 7, Max: 7, Count: 1}},
		{[]float64{20, 10}, &workload.Quantiles{Min: 10, Median: 20, P95: 20, P99: 20, Max: 20, Count: 2}},
		// n = 20: 0.5 -> 10, 0.95 -> 19, 0.99 -> 19, 1 -> min(19, 20).
		{seq(20), &workload.Quantiles{Min: 0, Median: 10, P95: 19, P99: 19, Max: 19, Count: 20}},
		// n = 100: 0.95 -> 95, 0.99 -> 99.
		{seq(100), &workload.Quantiles{Min: 0, Median: 50, P95: 95, P99: 99, Max: 99, Count: 100}},
		// n = 101: 0.5 -> 50, 0.95 -> floor(95.95) = 95, 0.99 -> floor(99.99) = 99.
		{seq(101), &workload.Quantiles{Min: 0, Median: 50, P95: 95, P99: 99, Max: 100, Count: 101}},
	}
	for _, tt := range tests {
		got := workload.NewQuantiles(tt.in)
		if (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
			t.Errorf("NewQuantiles(%d values) = %+v, want %+v", len(tt.in), got, tt.want)
		}
	}
}

// seq returns n-1, ..., 1, 0: reversed, so that sorting is exercised.
func seq(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(n - 1 - i)
	}
	return out
}

// Jepsen set-full: lost latency runs from known to the invocation of the
// last read that held the value.
func TestLostMetrics(t *testing.T) {
	res := Check(hist(t, `
		0    0 invoke broadcast 1  n0
		100  0 ok     broadcast 1  n0
		350  1 invoke read      -  n1
		351  1 ok     read      [1] n1
		400  1 invoke read      -  n1
		401  1 ok     read      [] n1`))
	m := res.Metrics
	if m["lost_count"] != 1 || fmt.Sprint(m["lost"]) != "[1]" {
		t.Errorf("lost %v %v", m["lost_count"], m["lost"])
	}
	q, _ := m["lost_latencies"].(*workload.Quantiles)
	if q == nil || q.Max != 250 || q.Count != 1 {
		t.Errorf("lost_latencies %+v, want 250 ms", q)
	}
	if res.StableLatency != nil {
		t.Errorf("stable latency %+v with nothing stable", res.StableLatency)
	}
}

// A node that loses everything yields a readable report: the first lost
// values in full, then one summary.
func TestManyLostAreSummarised(t *testing.T) {
	var sb strings.Builder
	i := 0
	for v := range 50 {
		fmt.Fprintf(&sb, "%d 0 invoke broadcast %d n0\n%d 0 ok broadcast %d n0\n", i, v, i+1, v)
		i += 2
	}
	fmt.Fprintf(&sb, "%d 1 invoke read - n1\n%d 1 ok read [] n1\n", i, i+1)
	res := Check(hist(t, sb.String()))
	if res.Metrics["lost_count"] != 50 {
		t.Fatalf("lost_count %v", res.Metrics["lost_count"])
	}
	last := res.Anomalies[len(res.Anomalies)-1]
	if len(res.Anomalies) != 21 || !strings.HasPrefix(last.Message, "30 more lost anomalies") {
		t.Errorf("got %d anomalies, last %q", len(res.Anomalies), last.Message)
	}
}

func TestMetricListsAreBounded(t *testing.T) {
	var sb strings.Builder
	for v := range MaxListed + 5 {
		fmt.Fprintf(&sb, "%d 0 invoke broadcast %d n0\n%d 0 fail broadcast - n0\n", 2*v, v, 2*v+1)
	}
	res := Check(hist(t, sb.String()))
	if res.Metrics["never_read_count"] != MaxListed+5 || len(res.Metrics["never_read"].([]int64)) != MaxListed {
		t.Errorf("never_read_count %v, listed %d", res.Metrics["never_read_count"], len(res.Metrics["never_read"].([]int64)))
	}
	b, err := json.Marshal(res.Metrics)
	if err != nil || !strings.Contains(string(b), `"lost":[]`) {
		t.Errorf("metrics do not encode as JSON with empty lists: %s, %v", b, err)
	}
}

func TestParseInts(t *testing.T) {
	good := map[string]string{
		`[]`:                     `[]`,
		` [ 1 , -2,0 ] `:         `[1 -2 0]`,
		"[\n3\t]":                `[3]`,
		`[9223372036854775807]`:  `[9223372036854775807]`,
		`[-9223372036854775808]`: `[-9223372036854775808]`,
		`[1,1]`:                  `[1 1]`,
	}
	for in, want := range good {
		got, err := parseInts([]byte(in))
		if err != nil || fmt.Sprint(got) != want {
			t.Errorf("parseInts(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	bad := map[string]string{
		``:                      `nothing is not an array`,
		`null`:                  `null is not an array`,
		`{"a":1}`:               `is not an array`,
		`[1.0]`:                 `element 0: 1.0 is not an integer`,
		`[1,1e3]`:               `element 1: 1000.0 is not an integer`,
		`[1,"2"]`:               `element 1: "2" is not an integer`,
		`[null]`:                `element 0: null is not an integer`,
		`[01]`:                  `is not a JSON array`,
		`[1,]`:                  `is not a JSON array`,
		`[1] x`:                 `is not a JSON array`,
		`[9223372036854775808]`: `element 0: 9223372036854775808 is out of range`,
		`[-]`:                   `is not a JSON array`,
	}
	for in, want := range bad {
		_, err := parseInts([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseInts(%q) error %v, want %q", in, err, want)
		}
	}
}
