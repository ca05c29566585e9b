package report

import (
	"reflect"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/netsim"
	"github.com/glomers/glomers/internal/store"
	"github.com/glomers/glomers/internal/visual"
)

func TestPartitionsPairStartsWithStops(t *testing.T) {
	recs := []harness.NemesisRecord{
		{Time: time.Second, Kind: "start-partition", Grudge: netsim.Grudge{"n0": {"n1"}}, Description: "partition one: n0 drops n1"},
		{Time: 3 * time.Second, Kind: "stop-partition"},
		{Time: 5 * time.Second, Kind: "start-partition", Description: "isolate n2"},
		{Time: 6 * time.Second, Kind: "start-partition", Description: "ring"}, // replaces the grudge
	}
	want := []visual.Interval{
		{Start: time.Second, End: 3 * time.Second, Label: "one: n0 drops n1"},
		{Start: 5 * time.Second, End: 6 * time.Second, Label: "isolate n2"},
		{Start: 6 * time.Second, Label: "ring"}, // never healed: to the end
	}
	if got := Partitions(recs); !reflect.DeepEqual(got, want) {
		t.Fatalf("Partitions = %+v\nwant %+v", got, want)
	}
}

// When the first diagram stops before an anomaly's messages, a second one
// starts just before the earliest such operation, and never repeats a
// message of the first.
func TestFocusStart(t *testing.T) {
	var b history.Builder
	for i := range 4 { // op 2i invoked at i seconds
		b.Add(history.Op{Time: time.Duration(i) * time.Second, Type: history.Invoke, Process: i, F: "echo"})
		b.Add(history.Op{Time: time.Duration(i)*time.Second + time.Millisecond, Type: history.OK, Process: i, F: "echo"})
	}
	res := &harness.Result{History: b.History()}
	j := &visual.Journal{Events: []store.Event{{Kind: "send", ID: 1}}, Cut: true, Until: 500 * time.Millisecond}
	marks := map[int64]visual.Mark{1: {Op: 0}, 70: {Op: 6}, 40: {Op: 4}}
	first, from, ok := focusStart(res, j, marks)
	if op := first.Op; !ok || op != 4 || from != 2*time.Second-focusLead {
		t.Errorf("focus on op %d from %v (%v); want op 4 from 1.95s", op, from, ok)
	}
	// An operation just after the first diagram: start where it stopped.
	marks[30] = visual.Mark{Op: 2}
	if first, from, _ := focusStart(res, j, marks); first.Op != 2 || from != time.Second-focusLead {
		t.Errorf("focus on op %d from %v; want op 2 from 950ms", first.Op, from)
	}
	j.Until = 990 * time.Millisecond
	if _, from, _ := focusStart(res, j, marks); from != 990*time.Millisecond {
		t.Errorf("focus from %v, before the first diagram's end 990ms", from)
	}
	// Everything drawn, or nothing cut: no second diagram.
	if _, _, ok := focusStart(res, &visual.Journal{Cut: false}, marks); ok {
		t.Errorf("a focus diagram for a journal drawn whole")
	}
	if _, _, ok := focusStart(res, j, map[int64]visual.Mark{1: {Op: 0}}); ok {
		t.Errorf("a focus diagram when every marked op is drawn")
	}
}
