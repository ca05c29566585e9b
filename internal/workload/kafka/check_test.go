package kafka

import (
	"fmt"
	"testing"

	"github.com/glomers/glomers/internal/checkertest"
	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// ps builds a poll's msgs for one key from offset, msg, offset, msg, ...
func ps(offMsg ...int) []Pair {
	var out []Pair
	for i := 0; i+1 < len(offMsg); i += 2 {
		out = append(out, Pair{Offset: int64(offMsg[i]), Msg: history.Value(offMsg[i+1])})
	}
	return out
}

func kinds(r workload.Result) []string {
	var ks []string
	for _, a := range r.Anomalies {
		ks = append(ks, a.Kind)
	}
	return ks
}

// The checker's cases, one file each under testdata/check: a history in,
// the verdict, anomalies, notes and metrics out. Options: strict-commits.
func TestCheckCases(t *testing.T) {
	checkertest.Run(t, func(h history.History, options string) (workload.Result, error) {
		switch options {
		case "":
			return Check(h, CheckOptions{}), nil
		case "strict-commits":
			return Check(h, CheckOptions{StrictCommits: true}), nil
		}
		return workload.Result{}, fmt.Errorf("unknown options %q (known: strict-commits)", options)
	})
}
