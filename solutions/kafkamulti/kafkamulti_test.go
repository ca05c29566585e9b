package kafkamulti_test

import (
	"fmt"
	"testing"
	"testing/synctest"

	"github.com/glomers/glomers/solutions/kafkamulti"
	"github.com/glomers/glomers/solutions/soltest"
)

// linKV plays lin-kv: it takes the node's next request, checks it, and
// answers with reply (a JSON object without in_reply_to). Both may depend
// on the request's key, for requests that come in no fixed order.
func linKV(t *testing.T, n *soltest.Node, want func(string) string, reply func(string) string) {
	t.Helper()
	m := n.Recv()
	if m.Dest != "lin-kv" {
		t.Fatalf("sent to %s, want lin-kv: %s", m.Dest, m.Body)
	}
	body := soltest.Body(t, m)
	id := body["msg_id"]
	delete(body, "msg_id")
	key := fmt.Sprint(body["key"])
	if got, w := fmt.Sprint(body), want(key); got != w {
		t.Fatalf("request %s, want %s", got, w)
	}
	r := reply(key)
	n.Send("lin-kv", fmt.Sprintf(`{"in_reply_to":%v,%s`, id, r[1:]))
}

// fixed is a want or reply that does not depend on the key.
func fixed(s string) func(string) string { return func(string) string { return s } }

// Jepsen kafka: inconsistent-offsets. Another node appended first, so the
// swap fails; the send reads the log again and takes the next offset,
// never the one the other node got.
func TestSendRetriesALostSwap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := soltest.Start(t, kafkamulti.Register)
		n.Init("n0", "n0", "n1")
		n.Send("c1", `{"type":"send","msg_id":1,"key":"k","msg":7}`)
		linKV(t, n, fixed("map[key:log-k type:read]"), fixed(`{"type":"read_ok","value":[1,2]}`))
		linKV(t, n, fixed("map[create_if_not_exists:true from:[1 2] key:log-k to:[1 2 7] type:cas]"),
			fixed(`{"type":"error","code":22,"text":"current value is [1,2,3]"}`))
		linKV(t, n, fixed("map[key:log-k type:read]"), fixed(`{"type":"read_ok","value":[1,2,3]}`))
		linKV(t, n, fixed("map[create_if_not_exists:true from:[1 2 3] key:log-k to:[1 2 3 7] type:cas]"), fixed(`{"type":"cas_ok"}`))
		soltest.AssertBody(t, n.Recv(), `{"type":"send_ok","in_reply_to":1,"offset":3}`)
	})
}

// The first send to a key creates its log: offset 0.
func TestFirstSendCreatesTheLog(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := soltest.Start(t, kafkamulti.Register)
		n.Init("n1", "n0", "n1")
		n.Send("c1", `{"type":"send","msg_id":1,"key":"k","msg":7}`)
		linKV(t, n, fixed("map[key:log-k type:read]"), fixed(`{"type":"error","code":20,"text":"not found"}`))
		linKV(t, n, fixed("map[create_if_not_exists:true from:[] key:log-k to:[7] type:cas]"), fixed(`{"type":"cas_ok"}`))
		soltest.AssertBody(t, n.Recv(), `{"type":"send_ok","in_reply_to":1,"offset":0}`)
	})
}

// Jepsen kafka: poll skips. A poll returns every message from the asked
// offset on, each with its offset; a key nobody sent to is left out.
func TestPollReturnsTheLogFromTheOffset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := soltest.Start(t, kafkamulti.Register)
		n.Init("n0", "n0", "n1")
		n.Send("c1", `{"type":"poll","msg_id":1,"offsets":{"k":1,"empty":0}}`)
		for range 2 {
			linKV(t, n, func(key string) string { return "map[key:" + key + " type:read]" },
				func(key string) string {
					if key == "log-k" {
						return `{"type":"read_ok","value":[5,6,7]}`
					}
					return `{"type":"error","code":20,"text":"not found"}`
				})
		}
		soltest.AssertBody(t, n.Recv(), `{"type":"poll_ok","in_reply_to":1,"msgs":{"k":[[1,6],[2,7]]}}`)
	})
}

// Committed offsets live in lin-kv, so any node can list what another
// node committed; a key never committed is left out of the answer.
func TestCommitsAreSharedThroughLinKV(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := soltest.Start(t, kafkamulti.Register)
		n.Init("n0", "n0", "n1")
		n.Send("c1", `{"type":"commit_offsets","msg_id":1,"offsets":{"k":2}}`)
		linKV(t, n, fixed("map[key:commit-k type:write value:2]"), fixed(`{"type":"write_ok"}`))
		soltest.AssertBody(t, n.Recv(), `{"type":"commit_offsets_ok","in_reply_to":1}`)

		n.Send("c2", `{"type":"list_committed_offsets","msg_id":2,"keys":["k","never"]}`)
		for range 2 {
			linKV(t, n, func(key string) string { return "map[key:" + key + " type:read]" },
				func(key string) string {
					if key == "commit-k" {
						return `{"type":"read_ok","value":2}`
					}
					return `{"type":"error","code":20,"text":"not found"}`
				})
		}
		soltest.AssertBody(t, n.Recv(), `{"type":"list_committed_offsets_ok","in_reply_to":2,"offsets":{"k":2}}`)
	})
}
