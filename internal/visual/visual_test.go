package visual

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/store"
)

// wellFormed fails the test unless b parses as XML from start to end.
func wellFormed(t *testing.T, b []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, b)
		}
	}
}

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// journalLines writes events as the harness does: one JSON object a line.
func journalLines(evs ...store.Event) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	for _, ev := range evs {
		_ = enc.Encode(ev)
	}
	return b.String()
}
