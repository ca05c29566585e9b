package broadcast

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/checkertest"
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

// The checker's cases, one file each under testdata/check: a history in,
// the verdict, anomalies, notes and metrics out.
func TestCheckCases(t *testing.T) {
	checkertest.RunNoOptions(t, Check)
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
