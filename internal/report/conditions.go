package report

import "github.com/glomers/glomers/internal/harness"

// calmMeanings replace the usual words for a kind on a run without
// partitions, where the network delivered every message: the usual
// cause of a lost value on 3c is a partition, but on 3b, with none, it
// cannot be, and naming it sends the learner looking in the wrong place.
// Keys are a kind, for every workload, or "workload/kind".
var calmMeanings = map[string]Meaning{
	"broadcast/lost": {Title: "A value was lost",
		Text: "A broadcast was acknowledged (or once read), but later reads on some nodes did not hold it. This run had no partitions and the network delivered every message it was given, so the value never reached those nodes from their peers: the node kept it to itself (no gossip at all), sent it to some neighbours only (a topology ignored or read the wrong way, a peer skipped), or a peer received it and did not keep or pass it on (values from other nodes handled differently from a client's). The lines below say whether any message between servers carried it there."},
	"g-set/lost": {Title: "An element was lost",
		Text: "An add was acknowledged (or its element once read), but later reads on some nodes did not hold it. This run had no partitions and the network delivered every message it was given, so either no message between servers carried the element there, or one did and the node dropped it: look at how a node merges a peer's set (it must keep the union of both, never replace its own) and whether it sends its set at all. The lines below say whether any message between servers carried it there."},
	"availability": {Title: "Too many operations failed",
		Text: "The run asks for a share of operations to succeed (--availability), and fewer did. Operations fail when the node answers with an error, and are indeterminate when no reply came before the client's timeout. This run had no partitions, so look for requests the node never answered: a handler that returns without a reply, or one that blocks (a deadlock, or a call to a peer that never answers)."},
	"g-counter/wrong-final-read": {Title: "The final count was wrong",
		Text: "After the operations stopped and the nodes had time to agree, a read returned a total that no set of the acknowledged adds could make. Usually an add was lost (a lost update on the shared counter: read, add, write without a compare-and-swap), or counted twice (a retry applied again)."},
}

// partitioned reports whether the run had partitions, or asked for them.
func partitioned(res *harness.Result) bool {
	return len(res.Options.Nemesis) > 0 || len(Partitions(res.Nemesis)) > 0
}

// meaningFor returns the plain words for a kind that fit the run: on a
// run without partitions, words that do not blame one.
func meaningFor(res *harness.Result, kind string) (Meaning, bool) {
	if !partitioned(res) {
		if m, ok := calmMeanings[res.Workload+"/"+kind]; ok {
			return m, true
		}
		if m, ok := calmMeanings[kind]; ok {
			return m, true
		}
	}
	return MeaningOf(res.Workload, kind)
}
