package workload

import (
	"strings"
	"testing"
)

// A kinds document: prose before the first heading, a title line, text
// wrapped over lines, a shared kind with no words.
func TestParseKinds(t *testing.T) {
	got := ParseKinds("# About\n\nIgnored.\n\n## lost\nA value was lost\n\nA broadcast was\nacknowledged  and lost.\n\n## malformed-history\n")
	if len(got) != 2 || got["lost"] != (Meaning{Title: "A value was lost", Text: "A broadcast was acknowledged and lost."}) || got["malformed-history"] != MalformedHistory {
		t.Errorf("ParseKinds = %+v", got)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), `"lost"`) {
			t.Errorf("a kind without words: recovered %v, want a panic naming it", r)
		}
	}()
	ParseKinds("## lost\n")
}
