package txn

import (
	"testing"

	"github.com/glomers/glomers/internal/checkertest"
)

// The checker's cases, one file each under testdata/check: a minimal
// history for one rule (its comment cites the rule), the consistency
// models in options (none: Maelstrom's default), and the verdict,
// anomalies, notes and metrics out. A rule's near misses are cases too,
// and a history that one model forbids and a weaker one allows appears
// once under each.
func TestCheckCases(t *testing.T) {
	checkertest.RunModels(t, Check)
}
