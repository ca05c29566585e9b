package workload

import (
	"math"
	"math/rand/v2"
)

// ExpIndex draws an index of n keys from Elle's exponential key
// distribution with base 2, which the kafka and txn-rw-register
// generators share: index i has probability 2^(i+1) / (2^(n+1) - 2), each
// twice as likely as the one before, so the newest keys get most traffic.
// Elle draws u uniform in [0, scale) with scale = 2(2^n - 1) and takes
// floor(log2(u + 2)) - 1; we compute the same in logarithms so that large
// pools do not overflow.
func ExpIndex(n int, rnd *rand.Rand) int {
	if n <= 1 {
		return 0
	}
	var x float64
	if n <= 60 {
		scale := 2 * (math.Exp2(float64(n)) - 1)
		x = math.Log2(rnd.Float64()*scale+2) - 1
	} else {
		// u*scale + 2 is u*2^(n+1) to within rounding for such n.
		x = float64(n) + math.Log2(rnd.Float64())
	}
	i := int(math.Floor(x))
	return min(max(i, 0), n-1)
}
