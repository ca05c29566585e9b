package linkv

import (
	"testing"
	"time"

	"github.com/glomers/glomers/internal/checkertest"
	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// The checker's cases, one file each under testdata/check: a history in,
// the verdict, anomalies, notes and metrics out.
func TestCheckCases(t *testing.T) {
	checkertest.Run(t, func(h history.History, _ string) (workload.Result, error) {
		return Check(h, 10*time.Second), nil
	})
}
