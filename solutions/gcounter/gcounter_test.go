package gcounter_test

import (
	"fmt"
	"testing"
	"testing/synctest"

	"github.com/glomers/glomers/solutions/gcounter"
	"github.com/glomers/glomers/solutions/soltest"
)

// kv plays seq-kv: it takes the node's next request, checks it, and
// answers with reply (a JSON object without in_reply_to).
func kv(t *testing.T, n *soltest.Node, want, reply string) {
	t.Helper()
	m := n.Recv()
	if m.Dest != "seq-kv" {
		t.Fatalf("sent to %s, want seq-kv: %s", m.Dest, m.Body)
	}
	body := soltest.Body(t, m)
	id := body["msg_id"]
	delete(body, "msg_id")
	got := fmt.Sprint(body)
	if got != want {
		t.Fatalf("request %s, want %s", got, want)
	}
	n.Send("seq-kv", fmt.Sprintf(`{"in_reply_to":%v,%s`, id, reply[1:]))
}

// A lost compare-and-swap (a stale read, or another handler first) is
// retried from a fresh read, so no add is lost.
func TestAddRetriesALostSwap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := soltest.Start(t, gcounter.Register)
		n.Init("n0", "n0", "n1")
		n.Send("c1", `{"type":"add","msg_id":1,"delta":3}`)
		kv(t, n, "map[key:counter-n0 type:read]", `{"type":"read_ok","value":5}`)
		kv(t, n, "map[create_if_not_exists:true from:5 key:counter-n0 to:8 type:cas]", `{"type":"error","code":22,"text":"stale"}`)
		kv(t, n, "map[key:counter-n0 type:read]", `{"type":"read_ok","value":7}`)
		kv(t, n, "map[create_if_not_exists:true from:7 key:counter-n0 to:10 type:cas]", `{"type":"cas_ok"}`)
		soltest.AssertBody(t, n.Recv(), `{"type":"add_ok","in_reply_to":1}`)
	})
}

// A read first writes a token nobody wrote before, so seq-kv must show
// it a state at least that new; then it sums every node's key, a missing
// key counting as zero.
func TestReadWritesATokenFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := soltest.Start(t, gcounter.Register)
		n.Init("n1", "n0", "n1")
		for i := 1; i <= 2; i++ {
			n.Send("c1", fmt.Sprintf(`{"type":"read","msg_id":%d}`, i))
			kv(t, n, fmt.Sprintf("map[key:sync-n1 type:write value:n1-%d]", i), `{"type":"write_ok"}`)
			kv(t, n, "map[key:counter-n0 type:read]", `{"type":"error","code":20,"text":"no such key"}`)
			kv(t, n, "map[key:counter-n1 type:read]", `{"type":"read_ok","value":4}`)
			soltest.AssertBody(t, n.Recv(), fmt.Sprintf(`{"type":"read_ok","in_reply_to":%d,"value":4}`, i))
		}
	})
}
