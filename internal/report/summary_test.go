package report

import (
	"testing"

	"github.com/glomers/glomers/internal/workload"
)

// The summary lists an anomaly's operations after its message only when
// the message does not already name them all.
func TestOpsSuffix(t *testing.T) {
	tests := []struct {
		msg  string
		ops  []int
		want string
	}{
		{"value 1 was acknowledged at op 23, but the last reads did not have it (ops 165, 166 and 167)", []int{23, 165, 166, 167}, ""},
		{"T3 (op 7) read x=2 written by T5 (op 9)", []int{7, 9}, ""},
		{"id 4 was returned twice", []int{3, 8}, " (ops 3, 8)"},
		{"value 1 was lost (op 23)", []int{23, 165}, " (ops 23, 165)"},
		{"read 165 items", []int{165}, " (ops 165)"}, // a number, not an op
		{"op 12 timed out", nil, ""},
		{"nine at once", []int{1, 2, 3, 4, 5, 6, 7, 8, 9}, " (ops 1, 2, 3, 4, 5, 6, 7, 8, +1 more)"},
	}
	for _, tt := range tests {
		if got := opsSuffix(workload.Anomaly{Kind: "k", Message: tt.msg, Ops: tt.ops}); got != tt.want {
			t.Errorf("opsSuffix(%q, %v) = %q, want %q", tt.msg, tt.ops, got, tt.want)
		}
	}
}
