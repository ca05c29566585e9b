// Package kafkaefficient is the reference solution to step 5c, Fly.io's
// "Efficient Kafka-Style Log": step 5b's log with far fewer messages
// between servers and lower latency.
//
// Step 5b pays a round trip to lin-kv for every decision because any node
// may decide anything. Here each key has one owner, chosen by hashing the
// key over the cluster's node ids, which every node computes alike. The
// owner keeps the key's log and committed offset in memory, as the single
// node of step 5a does, and is the only one that hands out its offsets, so
// it needs no compare-and-swap. A node that receives a request for keys it
// does not own forwards that part to the owner and relays the answer: one
// round trip between servers, and none at all for keys it owns.
//
// The price is availability: while an owner is unreachable its keys are
// too. The kafka runs have no partitions, and nodes do not crash.
package kafkaefficient

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"sync"
	"time"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

// callTimeout bounds a forwarded request. The owner answers from memory,
// so only a lost message makes one wait this long; the client then sees
// an error and treats the request as "maybe happened".
const callTimeout = time.Second

// maxPoll bounds the messages one poll returns per key, to keep replies
// small; the client polls again from where this one ended.
const maxPoll = 32

// store is the part of the logs this node owns. Handlers run concurrently,
// so every access holds mu.
type store struct {
	mu        sync.Mutex
	logs      map[string][]int
	committed map[string]int
}

// node is a cluster member: its store and how to reach the others.
type node struct {
	n *maelstrom.Node
	s store
}

// Register adds the log's handlers to n.
func Register(n *maelstrom.Node) {
	nd := &node{n: n, s: store{logs: map[string][]int{}, committed: map[string]int{}}}
	n.Handle("send", nd.send)
	n.Handle("poll", nd.poll)
	n.Handle("commit_offsets", nd.commit)
	n.Handle("list_committed_offsets", nd.list)
}

// owner returns the node that owns key. Every node hashes the same ids in
// the same order, so they all agree without talking.
func (nd *node) owner(key string) string {
	ids := nd.n.NodeIDs()
	h := fnv.New32a()
	h.Write([]byte(key))
	return ids[h.Sum32()%uint32(len(ids))]
}

func (nd *node) send(msg maelstrom.Message) error {
	var body struct {
		Key string `json:"key"`
		Msg int    `json:"msg"`
	}
	if err := json.Unmarshal(msg.Body, &body); err != nil {
		return err
	}
	if owner := nd.owner(body.Key); owner != nd.n.ID() {
		return nd.forward(msg, owner)
	}
	nd.s.mu.Lock()
	nd.s.logs[body.Key] = append(nd.s.logs[body.Key], body.Msg)
	off := len(nd.s.logs[body.Key]) - 1
	nd.s.mu.Unlock()
	return nd.n.Reply(msg, map[string]any{"type": "send_ok", "offset": off})
}

// forward sends msg's body to owner unchanged and relays the reply, error
// or not, to the original sender. The owner handles it as its own.
func (nd *node) forward(msg maelstrom.Message, owner string) error {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	reply, err := nd.n.SyncRPC(ctx, owner, msg.Body)
	if err != nil {
		return err
	}
	var body map[string]any
	if err := json.Unmarshal(reply.Body, &body); err != nil {
		return err
	}
	delete(body, "msg_id")
	delete(body, "in_reply_to")
	return nd.n.Reply(msg, body)
}

func (nd *node) poll(msg maelstrom.Message) error {
	var body struct {
		Offsets map[string]int `json:"offsets"`
	}
	if err := json.Unmarshal(msg.Body, &body); err != nil {
		return err
	}
	mine, others := split(nd, body.Offsets)
	out := map[string][][2]int{}
	for owner, part := range others {
		var reply struct {
			Msgs map[string][][2]int `json:"msgs"`
		}
		if err := nd.call(owner, map[string]any{"type": "poll", "offsets": part}, &reply); err != nil {
			return err
		}
		for key, msgs := range reply.Msgs {
			out[key] = msgs
		}
	}
	nd.s.mu.Lock()
	for key, from := range mine {
		log := nd.s.logs[key]
		from = max(from, 0)
		for off := from; off < len(log) && off < from+maxPoll; off++ {
			out[key] = append(out[key], [2]int{off, log[off]})
		}
	}
	nd.s.mu.Unlock()
	return nd.n.Reply(msg, map[string]any{"type": "poll_ok", "msgs": out})
}

func (nd *node) commit(msg maelstrom.Message) error {
	var body struct {
		Offsets map[string]int `json:"offsets"`
	}
	if err := json.Unmarshal(msg.Body, &body); err != nil {
		return err
	}
	mine, others := split(nd, body.Offsets)
	for owner, part := range others {
		if err := nd.call(owner, map[string]any{"type": "commit_offsets", "offsets": part}, nil); err != nil {
			return err
		}
	}
	nd.s.mu.Lock()
	for key, off := range mine {
		// The last commit wins, as in step 5a.
		nd.s.committed[key] = off
	}
	nd.s.mu.Unlock()
	return nd.n.Reply(msg, map[string]any{"type": "commit_offsets_ok"})
}

func (nd *node) list(msg maelstrom.Message) error {
	var body struct {
		Keys []string `json:"keys"`
	}
	if err := json.Unmarshal(msg.Body, &body); err != nil {
		return err
	}
	asMap := map[string]bool{}
	for _, key := range body.Keys {
		asMap[key] = true
	}
	mine, others := split(nd, asMap)
	out := map[string]int{}
	for owner, part := range others {
		var keys []string
		for key := range part {
			keys = append(keys, key)
		}
		var reply struct {
			Offsets map[string]int `json:"offsets"`
		}
		if err := nd.call(owner, map[string]any{"type": "list_committed_offsets", "keys": keys}, &reply); err != nil {
			return err
		}
		for key, off := range reply.Offsets {
			out[key] = off
		}
	}
	nd.s.mu.Lock()
	for key := range mine {
		if off, ok := nd.s.committed[key]; ok {
			out[key] = off
		}
	}
	nd.s.mu.Unlock()
	return nd.n.Reply(msg, map[string]any{"type": "list_committed_offsets_ok", "offsets": out})
}

// call sends body to owner and decodes its reply into out (if not nil).
// An error reply comes back as the library's *RPCError, which a handler
// returning it relays to the client with the same code.
func (nd *node) call(owner string, body any, out any) error {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	reply, err := nd.n.SyncRPC(ctx, owner, body)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(reply.Body, out)
}

// split divides a per-key request into the keys this node owns and, per
// other owner, the keys to forward there.
func split[V any](nd *node, m map[string]V) (mine map[string]V, others map[string]map[string]V) {
	mine, others = map[string]V{}, map[string]map[string]V{}
	for key, v := range m {
		owner := nd.owner(key)
		if owner == nd.n.ID() {
			mine[key] = v
			continue
		}
		if others[owner] == nil {
			others[owner] = map[string]V{}
		}
		others[owner][key] = v
	}
	return mine, others
}
