package listappend

import (
	"testing"

	"github.com/glomers/glomers/internal/workload/workloadtest"
)

// The fast scanner and the reference decoder agree: whenever the scanner
// accepts, it yields what the decoder yields; the decoder decides the
// rest.
func TestScanMatchesDecode(t *testing.T) {
	cases := []string{
		`[]`, ` [ ] `, `[["r",1,null]]`, `[["append",-3,0],["r",0,[-7, 2]]]`, "[\n[\"r\" , 1 , [ ] ] ]",
		`[["r",1,[1.0]]]`, `[["append",1,1e3]]`, `[["r",01,null]]`, `[["append",1,null]]`, `[["w",1,2]]`,
		`[["\u0072",1,null]]`, `[["r",1]]`, `[["r",1,[1],3]]`, `[["r","1",null]]`, `{}`, `null`, ``,
		`[["r",1,[1,]]]`, `[["r",1,[1,2]]] x`, `[["r",1,null],]`, `[["r",1,2]]`, `[["append",1,[2]]]`,
	}
	alphabet := []string{"[", "]", ",", `"r"`, `"append"`, "1", "-2", "null", " ", "0", "3.5", `"`}
	workloadtest.ScanMatchesDecode(t, cases, alphabet, scanTxn, decodeTxn, parseTxn, encodeTxn)
	for _, c := range []string{`[["\u0072",1,null]]`, `[["r",1,[1,2]],["append",1,3]]`} {
		if _, err := parseTxn([]byte(c)); err != nil {
			t.Errorf("%s was refused: %v", c, err)
		}
	}
}

// A generated transaction survives the trip through the wire shape.
func TestEncodeRoundTrip(t *testing.T) {
	mops := []mop{{f: 'r', key: 1, nil: true}, {f: 'a', key: 2, val: 5}, {f: 'r', key: 2, list: []int64{5}}, {f: 'r', key: 3, list: []int64{}}}
	raw := encodeTxn(mops)
	if string(raw) != `[["r",1,null],["append",2,5],["r",2,[5]],["r",3,[]]]` {
		t.Fatalf("encodeTxn = %s", raw)
	}
	got, err := parseTxn(raw)
	if err != nil || string(encodeTxn(got)) != string(raw) {
		t.Errorf("parseTxn(%s) = %v, %v", raw, got, err)
	}
}
