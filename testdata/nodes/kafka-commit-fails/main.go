// Command kafka-commit-fails is a correct single-node log except that it
// refuses every third commit_offsets. Maelstrom's client polls and then
// commits in one operation, so such a poll fails although it returned
// messages and the client moved past them; Maelstrom records no messages
// for a failed poll, and the client's next poll of the key starts after
// messages no recorded poll returned: Jepsen's checker reports poll-skip,
// and so must the harness, by Maelstrom's verdict and the strict one.
package main

import (
	"encoding/json"
	"log"
	"sync"

	maelstrom "github.com/jepsen-io/maelstrom/demo/go"
)

func main() {
	n := maelstrom.NewNode()
	var mu sync.Mutex
	next := map[string]int{}
	logs := map[string]map[int]int{} // key -> offset -> message
	committed := map[string]int{}
	sends, commits := 0, 0
	n.Handle("send", func(msg maelstrom.Message) error {
		var body struct {
			Key string `json:"key"`
			Msg int    `json:"msg"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		off := next[body.Key]
		next[body.Key]++
		sends++
		if logs[body.Key] == nil {
			logs[body.Key] = map[int]int{}
		}
		logs[body.Key][off] = body.Msg
		return n.Reply(msg, map[string]any{"type": "send_ok", "offset": off})
	})
	n.Handle("poll", func(msg maelstrom.Message) error {
		var body struct {
			Offsets map[string]int `json:"offsets"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		out := map[string][][2]int{}
		for key, from := range body.Offsets {
			for off := from; off < next[key]; off++ {
				if v, ok := logs[key][off]; ok {
					out[key] = append(out[key], [2]int{off, v})
				}
			}
		}
		return n.Reply(msg, map[string]any{"type": "poll_ok", "msgs": out})
	})
	n.Handle("commit_offsets", func(msg maelstrom.Message) error {
		var body struct {
			Offsets map[string]int `json:"offsets"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		commits++
		if commits%3 == 0 {
			// The bug: every third commit is refused.
			return maelstrom.NewRPCError(maelstrom.TemporarilyUnavailable, "not now")
		}
		for k, v := range body.Offsets {
			committed[k] = v
		}
		return n.Reply(msg, map[string]any{"type": "commit_offsets_ok"})
	})
	n.Handle("list_committed_offsets", func(msg maelstrom.Message) error {
		var body struct {
			Keys []string `json:"keys"`
		}
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			return err
		}
		mu.Lock()
		out := map[string]int{}
		for _, k := range body.Keys {
			if v, ok := committed[k]; ok {
				out[k] = v
			}
		}
		mu.Unlock()
		return n.Reply(msg, map[string]any{"type": "list_committed_offsets_ok", "offsets": out})
	})
	if err := n.Run(); err != nil {
		log.Fatal(err)
	}
}
