package kafkaefficient_test

import (
	"fmt"
	"testing"
	"testing/synctest"

	"github.com/glomers/glomers/solutions/kafkaefficient"
	"github.com/glomers/glomers/solutions/soltest"
)

// Jepsen kafka: inconsistent-offsets. Two owners of one key would both
// hand out its offsets. Both nodes must agree on every key's owner: a key
// n0 forwards to n1 is one n1 serves itself, and the reverse. The test
// carries the messages between the nodes itself.
func TestNodesAgreeOnOwners(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		nodes := map[string]*soltest.Node{}
		for _, id := range []string{"n0", "n1"} {
			nodes[id] = soltest.Start(t, kafkaefficient.Register)
			nodes[id].Init(id, "n0", "n1")
		}
		owned := map[string]int{}
		for i := range 20 {
			key := fmt.Sprint(i)
			for _, entry := range []string{"n0", "n1"} {
				other := map[string]string{"n0": "n1", "n1": "n0"}[entry]
				n := nodes[entry]
				n.Send("c1", fmt.Sprintf(`{"type":"send","msg_id":%d,"key":%q,"msg":1}`, 100+i, key))
				out := n.Recv()
				switch out.Dest {
				case "c1":
					owned[entry+"/"+key]++
				case other:
					// The other node must serve the forwarded send
					// itself, not bounce it back.
					reply := nodes[other].Call(entry, string(out.Body))
					if reply.Type() != "send_ok" {
						t.Fatalf("key %s: %s forwarded to %s, which answered %s", key, entry, other, reply.Body)
					}
					owned[other+"/"+key]++
					n.Send(other, string(reply.Body))
					if relayed := n.Recv(); relayed.Dest != "c1" || relayed.Type() != "send_ok" {
						t.Fatalf("key %s: %s relayed %v, want send_ok to c1", key, entry, relayed)
					}
				default:
					t.Fatalf("key %s: %s wrote to %s", key, entry, out.Dest)
				}
			}
			if owned["n0/"+key]+owned["n1/"+key] != 2 || owned["n0/"+key]*owned["n1/"+key] != 0 {
				t.Errorf("key %s served by n0 %d times and by n1 %d times, want one owner for both sends",
					key, owned["n0/"+key], owned["n1/"+key])
			}
		}
		// A hash that sent every key to one node would pass the above.
		var n0, n1 int
		for k, c := range owned {
			if k[:2] == "n0" {
				n0 += c
			} else {
				n1 += c
			}
		}
		if n0 == 0 || n1 == 0 {
			t.Errorf("n0 owns %d sends and n1 %d of 40: the keys are not spread", n0, n1)
		}
	})
}
