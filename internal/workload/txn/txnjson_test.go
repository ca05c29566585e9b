package txn

import (
	"math/rand/v2"
	"strings"
	"testing"
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
	rnd := rand.New(rand.NewPCG(1, 1))
	alphabet := []string{"[", "]", ",", `"r"`, `"w"`, "1", "-2", "null", " ", "0", "3.5", `"`}
	for range 5000 {
		var sb strings.Builder
		for range rnd.IntN(14) {
			sb.WriteString(alphabet[rnd.IntN(len(alphabet))])
		}
		cases = append(cases, sb.String())
	}
	for _, c := range cases {
		want, werr := decodeTxn([]byte(c))
		got, ok := scanTxn([]byte(c))
		if ok && (werr != nil || encodeTxn(got) == nil || string(encodeTxn(got)) != string(encodeTxn(want))) {
			t.Errorf("%q: scanner %v, decoder %v / %v", c, got, want, werr)
		}
		if _, err := parseTxn([]byte(c)); (err == nil) != (werr == nil) {
			t.Errorf("%q: parseTxn and decodeTxn disagree", c)
		}
	}
	if _, err := parseTxn([]byte(`[["\u0072",1,null]]`)); err != nil {
		t.Errorf("an escaped but valid function was refused: %v", err)
	}
}
