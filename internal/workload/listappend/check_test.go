package listappend

import (
	"strings"
	"testing"

	"github.com/glomers/glomers/internal/checkertest"
	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// The checker's cases, one file each under testdata/check: a minimal
// history for one rule (its comment cites the rule), the consistency
// models in options (none: Maelstrom's default), and the verdict,
// anomalies, notes and metrics out. A rule's near misses are cases too,
// and a history that one model forbids and a weaker one allows appears
// once under each.
func TestCheckCases(t *testing.T) {
	checkertest.Run(t, func(h history.History, options string) (workload.Result, error) {
		return Check(h, strings.Fields(options)), nil
	})
}
