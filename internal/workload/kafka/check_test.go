package kafka

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
)

// kb writes small kafka histories by hand. Each helper appends an
// invocation and its completion and returns the completion's index.
type kb struct{ b history.Builder }

func (k *kb) send(p int, key string, msg int, outcome history.Type, offset int64) int {
	v := SendValue{Key: key, Msg: history.Value(msg)}
	k.b.Add(history.Op{Type: history.Invoke, Process: p, F: "send", Value: history.Value(v)})
	if outcome == history.OK {
		v.Offset = &offset
	}
	return k.b.Add(history.Op{Type: outcome, Process: p, F: "send", Value: history.Value(v), Error: errorFor(outcome)})
}

func errorFor(t history.Type) string {
	switch t {
	case history.Fail:
		return "temporarily-unavailable"
	case history.Info:
		return "timeout"
	}
	return ""
}

// ps builds a poll's msgs for one key from offset, msg, offset, msg, ...
func ps(offMsg ...int) []Pair {
	var out []Pair
	for i := 0; i+1 < len(offMsg); i += 2 {
		out = append(out, Pair{Offset: int64(offMsg[i]), Msg: history.Value(offMsg[i+1])})
	}
	return out
}

// poll appends a poll whose completion is outcome; an ok poll has its
// commit (the highest offset per key) acknowledged.
func (k *kb) pollT(p int, outcome history.Type, msgs map[string][]Pair) int {
	k.b.Add(history.Op{Type: history.Invoke, Process: p, F: "poll"})
	v := PollValue{Offsets: map[string]int64{}, Msgs: msgs}
	if outcome == history.OK {
		v.Commit = map[string]int64{}
		for key, pairs := range msgs {
			if len(pairs) > 0 {
				v.Commit[key] = pairs[len(pairs)-1].Offset
			}
		}
	}
	return k.b.Add(history.Op{Type: outcome, Process: p, F: "poll", Value: history.Value(v), Error: errorFor(outcome)})
}

func (k *kb) poll(p int, msgs map[string][]Pair) int { return k.pollT(p, history.OK, msgs) }

// assign appends an assign that listed committed offsets (nil: seek to the
// beginning instead).
func (k *kb) assign(p int, keys []string, committed map[string]int64) int {
	v := AssignValue{Keys: keys, SeekToBeginning: committed == nil}
	k.b.Add(history.Op{Type: history.Invoke, Process: p, F: "assign", Value: history.Value(v)})
	v.Committed = committed
	return k.b.Add(history.Op{Type: history.OK, Process: p, F: "assign", Value: history.Value(v)})
}

func kinds(r workload.Result) []string {
	var ks []string
	for _, a := range r.Anomalies {
		ks = append(ks, a.Kind)
	}
	return ks
}

func TestCheckPasses(t *testing.T) {
	cases := []struct {
		name  string
		build func(k *kb)
	}{
		{"sends then a poll of everything", func(k *kb) {
			k.send(0, "1", 1, history.OK, 0)
			k.send(0, "1", 2, history.OK, 1)
			k.poll(1, map[string][]Pair{"1": ps(0, 1, 1, 2)})
		}},
		// Maelstrom kafka.clj: offsets may be sparse.
		{"sparse offsets", func(k *kb) {
			k.send(0, "1", 1, history.OK, 10)
			k.send(0, "1", 2, history.OK, 20)
			k.poll(1, map[string][]Pair{"1": ps(10, 1)})
			k.poll(1, map[string][]Pair{"1": ps(20, 2)})
		}},
		// Values are unique per key, not globally.
		{"the same message in two keys", func(k *kb) {
			k.send(0, "1", 1, history.OK, 0)
			k.send(0, "2", 1, history.OK, 0)
			k.poll(1, map[string][]Pair{"1": ps(0, 1), "2": ps(0, 1)})
		}},
		// Jepsen kafka: assign keeps tracking only for the keys still
		// assigned, so a client that dropped a key may re-read it.
		{"re-reading after the key was unassigned", func(k *kb) {
			k.send(0, "1", 1, history.OK, 0)
			k.send(0, "1", 2, history.OK, 1)
			k.poll(1, map[string][]Pair{"1": ps(0, 1, 1, 2)})
			k.assign(1, []string{"2"}, map[string]int64{})
			k.assign(1, []string{"1"}, map[string]int64{"1": 1})
			k.poll(1, map[string][]Pair{"1": ps(0, 1, 1, 2)})
		}},
		// Each client's polls are tracked separately.
		{"two clients read the same messages", func(k *kb) {
			k.send(0, "1", 1, history.OK, 0)
			k.poll(1, map[string][]Pair{"1": ps(0, 1)})
			k.poll(2, map[string][]Pair{"1": ps(0, 1)})
		}},
		// Only acknowledged sends must be seen.
		{"info and failed sends need not be seen", func(k *kb) {
			k.send(0, "1", 1, history.OK, 0)
			k.send(0, "1", 2, history.Info, 0)
			k.send(2, "1", 3, history.Fail, 0)
			k.poll(1, map[string][]Pair{"1": ps(0, 1)})
		}},
		{"an info send may be seen", func(k *kb) {
			k.send(0, "1", 1, history.OK, 0)
			k.send(0, "1", 2, history.Info, 0)
			k.poll(1, map[string][]Pair{"1": ps(0, 1, 1, 2)})
		}},
		// Near miss for lost-write: a message past the highest read is not
		// lost while some later poll returns it.
		{"a message read later is not lost", func(k *kb) {
			k.send(0, "1", 1, history.OK, 0)
			k.send(0, "1", 2, history.OK, 1)
			k.poll(1, map[string][]Pair{"1": ps(0, 1)})
			k.poll(1, map[string][]Pair{"1": ps(1, 2)})
		}},
		// A poll with an empty list for a key leaves the position alone.
		{"empty poll between polls", func(k *kb) {
			k.send(0, "1", 1, history.OK, 0)
			k.send(0, "1", 2, history.OK, 1)
			k.poll(1, map[string][]Pair{"1": ps(0, 1)})
			k.poll(1, map[string][]Pair{"1": {}})
			k.poll(1, map[string][]Pair{"1": ps(1, 2)})
		}},
		// A client's sends may interleave with other clients' sends.
		{"sends from two clients interleave", func(k *kb) {
			k.send(0, "1", 1, history.OK, 0)
			k.send(1, "1", 2, history.OK, 1)
			k.send(0, "1", 3, history.OK, 2)
			k.poll(2, map[string][]Pair{"1": ps(0, 1, 1, 2, 2, 3)})
		}},
		// Ours, near miss: a commit acknowledged after the list was invoked
		// need not be listed.
		{"commit concurrent with the list", func(k *kb) {
			k.send(0, "1", 1, history.OK, 0)
			k.b.Add(history.Op{Type: history.Invoke, Process: 2, F: "assign", Value: history.Value(AssignValue{Keys: []string{"1"}})})
			k.poll(1, map[string][]Pair{"1": ps(0, 1)})
			k.b.Add(history.Op{Type: history.OK, Process: 2, F: "assign", Value: history.Value(AssignValue{Keys: []string{"1"}, Committed: map[string]int64{}})})
		}},
		{"crash ops are ignored", func(k *kb) {
			k.b.Add(history.Op{Type: history.Invoke, Process: 0, F: "crash"})
			k.b.Add(history.Op{Type: history.Info, Process: 0, F: "crash", Error: crashError})
			k.send(2, "1", 1, history.OK, 0)
			k.poll(2, map[string][]Pair{"1": ps(0, 1)})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var k kb
			tc.build(&k)
			r := Check(k.b.History(), CheckOptions{StrictCommits: true})
			if r.Validity != workload.Valid {
				t.Fatalf("validity %s, anomalies %+v", r.Validity, r.Anomalies)
			}
			if len(r.Notes) != 0 {
				t.Fatalf("notes %+v", r.Notes)
			}
		})
	}
}

func TestCheckFails(t *testing.T) {
	cases := []struct {
		name  string
		kinds []string
		build func(k *kb) []int // the ops the first anomaly must name
	}{
		// Jepsen kafka: inconsistent-offsets.
		{"two messages at one offset", []string{KindInconsistentOffsets}, func(k *kb) []int {
			a := k.send(0, "1", 1, history.OK, 0)
			b := k.send(1, "1", 2, history.OK, 0)
			k.poll(2, map[string][]Pair{"1": ps(0, 1)})
			k.poll(3, map[string][]Pair{"1": ps(0, 2)})
			return []int{a, b}
		}},
		// Jepsen kafka: duplicate.
		{"one message at two offsets", []string{KindDuplicate}, func(k *kb) []int {
			a := k.send(0, "1", 1, history.OK, 0)
			p := k.poll(2, map[string][]Pair{"1": ps(0, 1, 1, 1)})
			return []int{a, p}
		}},
		// Jepsen kafka: lost-write. A lost message is never returned, so it
		// is also unseen: Maelstrom reports both.
		{"an acknowledged message below the highest read is missing", []string{KindLostWrite, KindUnseen}, func(k *kb) []int {
			a := k.send(0, "1", 1, history.OK, 0)
			k.send(0, "1", 2, history.OK, 1)
			p := k.poll(2, map[string][]Pair{"1": ps(1, 2)})
			return []int{a, p}
		}},
		// Jepsen kafka: poll-skip.
		{"next poll skips a message", []string{KindPollSkip}, func(k *kb) []int {
			for i := range 3 {
				k.send(0, "1", i+1, history.OK, int64(i))
			}
			a := k.poll(1, map[string][]Pair{"1": ps(0, 1)})
			b := k.poll(1, map[string][]Pair{"1": ps(2, 3)})
			k.poll(2, map[string][]Pair{"1": ps(0, 1, 1, 2, 2, 3)})
			return []int{a, b}
		}},
		// As in Maelstrom: a poll whose commit failed is a failed op whose
		// messages Maelstrom never records, though the client moved past
		// them, so the next poll skips them.
		{"a poll whose commit failed does not count", []string{KindPollSkip}, func(k *kb) []int {
			for i := range 3 {
				k.send(0, "1", i+1, history.OK, int64(i))
			}
			a := k.poll(1, map[string][]Pair{"1": ps(0, 1)})
			k.pollT(1, history.Fail, map[string][]Pair{"1": ps(1, 2)})
			b := k.poll(1, map[string][]Pair{"1": ps(2, 3)})
			k.poll(2, map[string][]Pair{"1": ps(0, 1, 1, 2, 2, 3)})
			return []int{a, b}
		}},
		// Jepsen kafka: nonmonotonic-poll (re-reading the same message
		// counts).
		{"next poll starts back at the last message read", []string{KindNonmonotonicPoll}, func(k *kb) []int {
			k.send(0, "1", 1, history.OK, 0)
			k.send(0, "1", 2, history.OK, 1)
			a := k.poll(1, map[string][]Pair{"1": ps(0, 1, 1, 2)})
			b := k.poll(1, map[string][]Pair{"1": ps(1, 2)})
			return []int{a, b}
		}},
		// Jepsen kafka: int-poll-skip.
		{"one poll skips a message", []string{KindIntPollSkip}, func(k *kb) []int {
			for i := range 3 {
				k.send(0, "1", i+1, history.OK, int64(i))
			}
			a := k.poll(1, map[string][]Pair{"1": ps(0, 1, 2, 3)})
			k.poll(2, map[string][]Pair{"1": ps(0, 1, 1, 2, 2, 3)})
			return []int{a}
		}},
		// Jepsen kafka: int-nonmonotonic-poll.
		{"one poll goes backwards", []string{KindIntNonmonotonicPoll}, func(k *kb) []int {
			k.send(0, "1", 1, history.OK, 0)
			k.send(0, "1", 2, history.OK, 1)
			a := k.poll(1, map[string][]Pair{"1": ps(1, 2, 0, 1)})
			return []int{a}
		}},
		// Jepsen kafka: nonmonotonic-send.
		{"a client's second send lands before its first", []string{KindNonmonotonicSend}, func(k *kb) []int {
			a := k.send(0, "1", 1, history.OK, 5)
			b := k.send(0, "1", 2, history.OK, 3)
			k.poll(1, map[string][]Pair{"1": ps(3, 2, 5, 1)})
			return []int{a, b}
		}},
		// Jepsen kafka: G1a (aborted read).
		{"a poll returns a message whose send failed", []string{KindG1a}, func(k *kb) []int {
			k.send(0, "1", 1, history.OK, 0)
			f := k.send(0, "1", 2, history.Fail, 0)
			p := k.poll(1, map[string][]Pair{"1": ps(0, 1, 1, 2)})
			return []int{f, p}
		}},
		// Maelstrom: unseen fails the run.
		{"an acknowledged message is never returned", []string{KindUnseen}, func(k *kb) []int {
			k.send(0, "1", 1, history.OK, 0)
			a := k.send(0, "1", 2, history.OK, 1)
			k.poll(1, map[string][]Pair{"1": ps(0, 1)})
			return []int{a}
		}},
		// Ours: Jepsen's checker throws on these.
		{"a poll returns a message nobody sent", []string{KindUnknownMessage}, func(k *kb) []int {
			k.send(0, "1", 1, history.OK, 0)
			p := k.poll(1, map[string][]Pair{"1": ps(0, 1, 1, 99)})
			return []int{p}
		}},
		// Ours, with StrictCommits: committed offsets must not go back.
		{"listed committed offset below an acknowledged commit", []string{KindCommitRegression}, func(k *kb) []int {
			k.send(0, "1", 1, history.OK, 0)
			k.send(0, "1", 2, history.OK, 1)
			c := k.poll(1, map[string][]Pair{"1": ps(0, 1, 1, 2)})
			a := k.assign(2, []string{"1"}, map[string]int64{"1": 0})
			return []int{c, a - 1, a}
		}},
		{"listed committed offsets leave out a committed key", []string{KindCommitRegression}, func(k *kb) []int {
			k.send(0, "1", 1, history.OK, 0)
			c := k.poll(1, map[string][]Pair{"1": ps(0, 1)})
			a := k.assign(2, []string{"1"}, map[string]int64{})
			return []int{c, a - 1, a}
		}},
		{"ok send without an offset", []string{KindMalformedOp}, func(k *kb) []int {
			k.b.Add(history.Op{Type: history.Invoke, Process: 0, F: "send", Value: history.Value(SendValue{Key: "1", Msg: history.Value(1)})})
			k.b.Add(history.Op{Type: history.OK, Process: 0, F: "send", Value: history.Value(SendValue{Key: "1", Msg: history.Value(1)})})
			k.send(0, "1", 2, history.OK, 0)
			k.poll(1, map[string][]Pair{"1": ps(0, 2)})
			return []int{0, 1}
		}},
		{"poll pair with a fractional offset", []string{KindMalformedOp}, func(k *kb) []int {
			k.send(0, "1", 1, history.OK, 0)
			k.poll(1, map[string][]Pair{"1": ps(0, 1)})
			k.b.Add(history.Op{Type: history.Invoke, Process: 1, F: "poll"})
			p := k.b.Add(history.Op{Type: history.OK, Process: 1, F: "poll", Value: []byte(`{"offsets":{},"msgs":{"1":[[1.5,2]]}}`)})
			return []int{p - 1, p}
		}},
		{"completion with nothing open", []string{KindMalformedHistory}, func(k *kb) []int {
			p := k.b.Add(history.Op{Type: history.OK, Process: 5, F: "poll", Value: history.Value(PollValue{})})
			k.send(0, "1", 1, history.OK, 0)
			k.poll(1, map[string][]Pair{"1": ps(0, 1)})
			return []int{p}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var k kb
			ops := tc.build(&k)
			r := Check(k.b.History(), CheckOptions{StrictCommits: true})
			if r.Validity != workload.Invalid {
				t.Fatalf("validity %s, want invalid", r.Validity)
			}
			if got := kinds(r); !slices.Equal(got, tc.kinds) {
				t.Fatalf("anomaly kinds %v, want %v: %+v", got, tc.kinds, r.Anomalies)
			}
			if !slices.Equal(r.Anomalies[0].Ops, ops) {
				t.Fatalf("anomaly names ops %v, want %v: %s", r.Anomalies[0].Ops, ops, r.Anomalies[0].Message)
			}
			for _, a := range r.Anomalies {
				t.Log(a.Kind + ": " + a.Message)
			}
		})
	}
}

// By default a committed-offset regression is a note, not a failure:
// nothing in Maelstrom's or Fly.io's spec forbids it.
func TestCommitRegressionIsANoteByDefault(t *testing.T) {
	var k kb
	k.send(0, "1", 1, history.OK, 0)
	k.send(0, "1", 2, history.OK, 1)
	k.poll(1, map[string][]Pair{"1": ps(0, 1, 1, 2)})
	k.assign(2, []string{"1"}, map[string]int64{"1": 0})
	r := Check(k.b.History(), CheckOptions{})
	if r.Validity != workload.Valid || len(r.Anomalies) != 0 {
		t.Fatalf("validity %s anomalies %+v, want valid", r.Validity, r.Anomalies)
	}
	if len(r.Notes) != 1 || r.Notes[0].Kind != KindCommitRegression {
		t.Fatalf("notes %+v, want one %s", r.Notes, KindCommitRegression)
	}
}

func TestCheckUnknownWithoutAcknowledgedSends(t *testing.T) {
	var k kb
	k.send(0, "1", 1, history.Fail, 0)
	k.poll(1, map[string][]Pair{})
	r := Check(k.b.History(), CheckOptions{})
	if r.Validity != workload.Unknown || len(r.Notes) != 1 {
		t.Fatalf("validity %s notes %+v, want unknown with a note", r.Validity, r.Notes)
	}
	if r := Check(nil, CheckOptions{}); r.Validity != workload.Unknown {
		t.Fatalf("empty history: %s", r.Validity)
	}
}

func TestCheckMessages(t *testing.T) {
	var k kb
	for i := range 3 {
		k.send(0, "7", i+1, history.OK, int64(2*i))
	}
	k.poll(1, map[string][]Pair{"7": ps(0, 1)})
	k.poll(1, map[string][]Pair{"7": ps(4, 3)})
	r := Check(k.b.History(), CheckOptions{})
	want := []string{
		`message 2 was acknowledged at offset 2 of key "7" (send op 3), but no ok poll returned it, although poll op 9 returned offset 4 further along that log`,
		`process 1 polled key "7" up to offset 0 (op 7), then its next poll started at offset 4 (op 9), skipping message 2 at offset 2 known to exist`,
		`key "7": 1 message was acknowledged but never returned by any ok poll, even after the final polls: 2 (op 3)`,
	}
	var got []string
	for _, a := range r.Anomalies {
		got = append(got, a.Message)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("messages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// An ok poll that returns an empty list for a key makes Jepsen forget the
// client's position in it: a skip across it is the course's finding
// alone, strict, and Maelstrom's verdict stays valid.
func TestSkipAcrossAnEmptyPollIsStrict(t *testing.T) {
	var k kb
	for i := range 3 {
		k.send(0, "1", i+1, history.OK, int64(i))
	}
	k.poll(1, map[string][]Pair{"1": ps(0, 1)})
	empty := k.poll(1, map[string][]Pair{"1": {}})
	k.poll(1, map[string][]Pair{"1": ps(2, 3)})
	k.poll(2, map[string][]Pair{"1": ps(0, 1, 1, 2, 2, 3)})
	r := Check(k.b.History(), CheckOptions{})
	if r.Validity != workload.Invalid || r.Maelstrom() != workload.Valid {
		t.Fatalf("validity %s, Maelstrom's %s, want invalid and valid: %+v", r.Validity, r.Maelstrom(), r.Anomalies)
	}
	if len(r.Anomalies) != 1 || r.Anomalies[0].Kind != KindPollSkip || !r.Anomalies[0].Strict ||
		!strings.Contains(r.Anomalies[0].Message, fmt.Sprintf("across op %d, which returned an empty list", empty)) {
		t.Fatalf("anomalies %+v, want one strict poll-skip across op %d", r.Anomalies, empty)
	}
}
