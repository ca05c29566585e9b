package listappend

import (
	"testing"

	"github.com/glomers/glomers/internal/checkertest"
)

// The checker's cases, one file each under testdata/check: a minimal
// history for one anomaly with the model that must catch it (options;
// none: strict-serializable), near misses under models that allow it,
// and the verdict out.
func TestCheckCases(t *testing.T) { checkertest.RunModels(t, Check) }
