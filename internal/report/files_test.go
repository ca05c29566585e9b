package report

import (
	"reflect"
	"testing"
	"time"

	"github.com/glomers/glomers/internal/harness"
	"github.com/glomers/glomers/internal/netsim"
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
