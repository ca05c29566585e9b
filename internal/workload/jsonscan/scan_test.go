package jsonscan

import "testing"

// ParseInt takes JSON integers only, and says which way a number fails.
func TestParseInt(t *testing.T) {
	for raw, want := range map[string]string{
		"0": "", " -12 ": "", "9223372036854775807": "", "-0": "",
		"1.0": "1.0 is not an integer", "1e3": "1e3 is not an integer", `"1"`: `"1" is not an integer`,
		"": " is not an integer", "null": "null is not an integer",
		"9223372036854775808": "9223372036854775808 is not a 64-bit integer",
	} {
		_, err := ParseInt([]byte(raw))
		if got := errText(err); got != want {
			t.Errorf("ParseInt(%q) error %q, want %q", raw, got, want)
		}
	}
}

// List accepts exactly the arrays it describes, here of arrays of
// integers; the fixed shape of a micro-op is ScanTxn's.
func TestListOfLists(t *testing.T) {
	for raw, want := range map[string]bool{
		`[]`: true, ` [ [1 , 2] ,[3,4] ] `: true, `[[1,2],]`: false, `[[1,]]`: false, `[1,2]`: false, `[[1,2]] x`: false, `[[1,2]`: false,
	} {
		s := Scanner{B: []byte(raw)}
		var sum int64
		ok := s.List(func() bool {
			return s.List(func() bool {
				v, ok := s.Int()
				sum += v
				return ok
			})
		}) && s.End()
		if ok != want {
			t.Errorf("%q: %v, want %v", raw, ok, want)
		}
	}
}

// ScanTxn reads the [[f, key, value], ...] frame, hands each value to the
// workload with its function and key, and refuses any other shape,
// leaving it to the reference decoder.
func TestScanTxn(t *testing.T) {
	type mop struct {
		f      string
		key, v int64
	}
	fnames := []string{"r", "append"}
	// scan's values are integers only, as a register's writes are.
	scan := func(raw string) ([]mop, bool) {
		s := Scanner{B: []byte(raw)}
		return ScanTxn(&s, fnames, func(f string, key int64) (mop, bool) {
			v, ok := s.Int()
			return mop{f, key, v}, ok
		})
	}
	for raw, want := range map[string][]mop{
		`[]`:          {},
		` [ ] `:       {},
		`[["r",1,2]]`: {{"r", 1, 2}},
		"[ [ \"append\" , -3 ,\n0 ] ,[\"r\",0,-7]] ": {{"append", -3, 0}, {"r", 0, -7}},
	} {
		got, ok := scan(raw)
		if !ok || len(got) != len(want) {
			t.Errorf("%q: %v, %v; want %v", raw, got, ok, want)
			continue
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%q: micro-op %d is %v, want %v", raw, i, got[i], want[i])
			}
		}
	}
	for _, raw := range []string{
		``, `null`, `{}`, `[`, `[["r`, `[["r"`, `[["r",1,2`, `["r",1,2]`, `[[]]`, `[["r",1]]`, `[["r",1,2,3]]`, `[["r",1,2],]`, `[["r",1,2]] x`,
		`[["w",1,2]]`, `[["rr",1,2]]`, `[["",1,2]]`, `[["appen",1,2]]`, `[[r,1,2]]`, `[["r,1,2]]`, `[["\u0072",1,2]]`,
		`[["r","1",2]]`, `[["r",1.5,2]]`, `[["r",01,2]]`, `[["r",9223372036854775808,2]]`,
		`[["r",1,null]]`, `[["r",1,"2"]]`, `[["r",1,2.0]]`,
	} {
		if got, ok := scan(raw); ok {
			t.Errorf("%q: accepted as %v", raw, got)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
