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

// List and Tuple accept exactly the arrays they describe.
func TestListOfTuples(t *testing.T) {
	for raw, want := range map[string]bool{
		`[]`: true, ` [ [1 , 2] ,[3,4] ] `: true, `[[1,2],]`: false, `[[1]]`: false, `[[1,2,3]]`: false, `[1,2]`: false, `[[1,2]] x`: false,
	} {
		s := Scanner{B: []byte(raw)}
		var sum int64
		ok := s.List(func() bool {
			var a, b int64
			ok := s.Tuple(func() (ok bool) { a, ok = s.Int(); return ok }, func() (ok bool) { b, ok = s.Int(); return ok })
			sum += a + b
			return ok
		}) && s.End()
		if ok != want {
			t.Errorf("%q: %v, want %v", raw, ok, want)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
