package txn

import (
	"strings"
	"testing"

	"github.com/glomers/glomers/internal/workload/workloadtest"
)

// The fast scanner and the reference decoder agree: whenever the scanner
// accepts, it yields what the decoder yields; the decoder decides the
// rest.
func TestScanMatchesDecode(t *testing.T) {
	cases := []string{
		`[]`, ` [ ] `, `[["r",1,null]]`, `[["w",-3,0],["r",0,-7]]`, "[\n[\"r\" , 1 , 2 ] ]",
		`[["r",1,1.0]]`, `[["r",1,1e3]]`, `[["r",01,2]]`, `[["w",1,null]]`, `[["x",1,2]]`,
		`[["\u0072",1,null]]`, `[["r",1]]`, `[["r",1,2,3]]`, `[["r","1",2]]`, `{}`, `null`, ``,
		`[["r",9223372036854775807,null]]`, `[["r",9223372036854775808,null]]`, `[["r",1,null]] x`,
		`[["r",1,null],]`, `[[` + strings.Repeat(" ", 10) + `"w",1,2]]`,
	}
	alphabet := []string{"[", "]", ",", `"r"`, `"w"`, "1", "-2", "null", " ", "0", "3.5", `"`}
	workloadtest.ScanMatchesDecode(t, cases, alphabet, scanTxn, decodeTxn, parseTxn, encodeTxn)
	if _, err := parseTxn([]byte(`[["\u0072",1,null]]`)); err != nil {
		t.Errorf("an escaped but valid function was refused: %v", err)
	}
}
