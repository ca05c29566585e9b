package broadcast

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/glomers/glomers/internal/jsonval"
)

// Broadcast values travel as JSON integers. As in Maelstrom's schemas, an
// integer is a number written without fraction or exponent: 1.0 is not one.
// Reads are parsed by hand because the checker parses every read of the
// run, and a read of a long run holds thousands of values.

// parseInt parses one JSON integer that fits in an int64.
func parseInt(raw []byte) (int64, error) {
	lit := trimSpace(raw)
	if !isIntLiteral(lit) {
		return 0, fmt.Errorf("%s is not an integer", jsonval.Short(raw))
	}
	v, err := strconv.ParseInt(string(lit), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is out of range", jsonval.Short(raw))
	}
	return v, nil
}

// parseInts parses a JSON array of integers, keeping order and repeats.
func parseInts(raw []byte) ([]int64, error) {
	if vs, ok := fastInts(raw); ok {
		return vs, nil
	}
	// Slow path, only for the error: say which element is wrong.
	t := trimSpace(raw)
	if len(t) == 0 || t[0] != '[' {
		return nil, fmt.Errorf("%s is not an array", jsonval.Short(raw))
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(t, &elems); err != nil {
		return nil, fmt.Errorf("%s is not a JSON array", jsonval.Short(raw))
	}
	for i, e := range elems {
		if _, err := parseInt(e); err != nil {
			return nil, fmt.Errorf("element %d: %v", i, err)
		}
	}
	// fastInts and parseInt disagree: a bug here, not in the reply.
	return nil, errors.New("unparseable array of integers")
}

// fastInts scans "[ int , int ... ]" with optional JSON whitespace and
// nothing else. It reports false on anything else.
func fastInts(b []byte) ([]int64, bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return nil, false
	}
	i = skipSpace(b, i+1)
	out := []int64{}
	if i < len(b) && b[i] == ']' {
		return out, skipSpace(b, i+1) == len(b)
	}
	for {
		start := i
		for i < len(b) && (b[i] == '-' || b[i] >= '0' && b[i] <= '9') {
			i++
		}
		v, ok := intValue(b[start:i])
		if !ok {
			return nil, false
		}
		out = append(out, v)
		i = skipSpace(b, i)
		if i >= len(b) {
			return nil, false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case ']':
			return out, skipSpace(b, i+1) == len(b)
		default:
			return nil, false
		}
	}
}

// intValue parses an integer literal without the allocation strconv needs
// for a []byte; false when lit is not one or does not fit in an int64.
func intValue(lit []byte) (int64, bool) {
	if !isIntLiteral(lit) {
		return 0, false
	}
	neg := lit[0] == '-'
	if neg {
		lit = lit[1:]
	}
	// Accumulate negatively, so that math.MinInt64 fits.
	var v int64
	for _, c := range lit {
		d := int64(c - '0')
		if v < (math.MinInt64+d)/10 {
			return 0, false
		}
		v = v*10 - d
	}
	if !neg {
		if v == math.MinInt64 {
			return 0, false
		}
		v = -v
	}
	return v, true
}

// isIntLiteral reports whether b is -?(0|[1-9][0-9]*).
func isIntLiteral(b []byte) bool {
	if len(b) > 0 && b[0] == '-' {
		b = b[1:]
	}
	if len(b) == 0 || (b[0] == '0' && len(b) > 1) {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

func trimSpace(b []byte) []byte {
	i := skipSpace(b, 0)
	j := len(b)
	for j > i && isSpace(b[j-1]) {
		j--
	}
	return b[i:j]
}
