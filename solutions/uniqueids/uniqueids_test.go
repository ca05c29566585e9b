package uniqueids_test

import (
	"fmt"
	"testing"
	"testing/synctest"

	"github.com/glomers/glomers/solutions/soltest"
	"github.com/glomers/glomers/solutions/uniqueids"
)

func TestUniqueIDs(t *testing.T) {
	t.Run("init", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := soltest.Start(t, uniqueids.Register)
			n.Init("n0", "n0", "n1", "n2")
		})
	})

	t.Run("generate", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := soltest.Start(t, uniqueids.Register)
			n.Init("n1", "n0", "n1", "n2")
			reply := n.Call("c3", `{"type":"generate","msg_id":1}`)
			// The reference's id format is node id, dash, counter.
			soltest.AssertBody(t, reply, `{"type":"generate_ok","in_reply_to":1,"id":"n1-1"}`)
		})
	})

	// Maelstrom's unique-ids checker: no id may be acknowledged twice.
	// Requests are sent without waiting, so the library's handlers race
	// on the counter.
	t.Run("generate/concurrent requests get distinct ids", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			n := soltest.Start(t, uniqueids.Register)
			n.Init("n0", "n0")
			const requests = 200
			for i := 1; i <= requests; i++ {
				n.Send("c1", fmt.Sprintf(`{"type":"generate","msg_id":%d}`, i))
			}
			ids := map[any]int{}
			for range requests {
				body := soltest.Body(t, n.Recv())
				if body["type"] != "generate_ok" {
					t.Fatalf("reply %v, want generate_ok", body)
				}
				ids[body["id"]]++
			}
			for id, count := range ids {
				if count > 1 {
					t.Errorf("id %v returned %d times", id, count)
				}
			}
			if len(ids) != requests {
				t.Errorf("%d distinct ids for %d requests", len(ids), requests)
			}
		})
	})

	// The same checker across nodes: the nodes never talk, so uniqueness
	// across them has to come from the ids themselves.
	t.Run("generate/nodes never collide", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			seen := map[any]string{}
			for _, id := range []string{"n0", "n1", "n2"} {
				n := soltest.Start(t, uniqueids.Register)
				n.Init(id, "n0", "n1", "n2")
				for i := 1; i <= 50; i++ {
					body := soltest.Body(t, n.Call("c1", fmt.Sprintf(`{"type":"generate","msg_id":%d}`, i)))
					if other, dup := seen[body["id"]]; dup {
						t.Fatalf("id %v from %s was already returned by %s", body["id"], id, other)
					}
					seen[body["id"]] = id
				}
			}
		})
	})
}
