// Command linkv-proxy is a correct lin-kv node, at any node count: it
// hands every read, write and cas to Maelstrom's lin-kv service and
// relays the answer, errors included (20 key-does-not-exist, 22
// precondition-failed), as Maelstrom's demo lin_kv_proxy.rb does. Being
// linearizable itself, the service makes the node so: the lin-kv
// checker must pass it. Scripts use it as the passing case beside the
// broken linkv-* nodes.
package main

import (
	"context"
	"encoding/json"
	"log"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

func main() {
	n := maelstrom.NewNode()
	proxy := func(msg maelstrom.Message) error {
		var body map[string]any
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		delete(body, "msg_id")
		reply, err := n.SyncRPC(context.Background(), "lin-kv", body)
		if err != nil {
			return err // an *RPCError: the library sends it back as the error reply
		}
		var out map[string]any
		if err := json.Unmarshal(reply.Body, &out); err != nil {
			return err
		}
		delete(out, "msg_id")
		delete(out, "in_reply_to")
		return n.Reply(msg, out)
	}
	for _, t := range []string{"read", "write", "cas"} {
		n.Handle(t, proxy)
	}
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
