package txn

import (
	"testing"

	"github.com/glomers/glomers/internal/checkertest"
	"github.com/glomers/glomers/internal/workload"
)

func find(as []workload.Anomaly, kind string) *workload.Anomaly {
	for i := range as {
		if as[i].Kind == kind {
			return &as[i]
		}
	}
	return nil
}

// expectValid asserts that nothing failed.
func expectValid(t *testing.T, res workload.Result) {
	t.Helper()
	if res.Validity != workload.Valid || len(res.Anomalies) > 0 {
		t.Fatalf("validity %s, want valid\n%s", res.Validity, dump(res))
	}
}

// dump shows a result in a failure message, as checker case files do.
func dump(res workload.Result) string { return checkertest.Render(res) }

var (
	ru  = []string{"read-uncommitted"}
	rc  = []string{"read-committed"}
	ser = []string{"serializable"}
)
