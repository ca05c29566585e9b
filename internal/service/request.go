package service

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/glomers/glomers/internal/proto"
)

// request is a decoded request body. Fields a request type does not use are
// left null, as Clojure reads a missing key as nil.
type request struct {
	typ    string
	msgID  json.RawMessage // copied into in_reply_to; null when absent
	key    value
	val    value
	from   value
	to     value
	create bool
}

// serve is the frame of every service's Handle: a body that does not
// parse gets no reply, and requests are applied one at a time, each with
// mu held while handle runs.
func serve(mu *sync.Mutex, body json.RawMessage, handle func(request) json.RawMessage) json.RawMessage {
	req, ok := parseRequest(body)
	if !ok {
		return nil
	}
	mu.Lock()
	defer mu.Unlock()
	return handle(req)
}

// parseRequest decodes a body. It fails on a body that is not an object or
// has no string type: Maelstrom's service thread throws on those and sends
// nothing back.
func parseRequest(body json.RawMessage) (request, bool) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return request{}, false
	}
	var req request
	if err := json.Unmarshal(fields["type"], &req.typ); err != nil || req.typ == "" {
		return request{}, false
	}
	req.msgID = fields["msg_id"]
	if len(req.msgID) == 0 {
		req.msgID = json.RawMessage("null")
	}
	for name, dst := range map[string]*value{"key": &req.key, "value": &req.val, "from": &req.from, "to": &req.to} {
		v, err := newValue(fields[name])
		if err != nil {
			return request{}, false
		}
		*dst = v
	}
	// Clojure truthiness: anything but a missing field, null or false.
	if c := bytes.TrimSpace(fields["create_if_not_exists"]); len(c) > 0 && string(c) != "null" && string(c) != "false" {
		req.create = true
	}
	return req, true
}

// reply is a reply body under construction; encode adds in_reply_to.
type reply map[string]any

func okReply(typ string) reply { return reply{"type": typ} }

func errReply(code proto.ErrorCode, text string) reply {
	return reply{"type": "error", "code": int(code), "text": text}
}

func (r reply) encode(req request) json.RawMessage {
	r["in_reply_to"] = req.msgID
	b, err := json.Marshal(r)
	if err != nil {
		// Every field is built by this package from valid JSON.
		panic(fmt.Sprintf("service: encode reply: %v", err))
	}
	return b
}

// Error texts, as Maelstrom words them.
const textNoKey = "key does not exist"

// evalKV evaluates a KV request against one state of a key (cur, present
// when exists). It returns the reply and, when the request stores a value,
// that value. allowCreate is false for lww-kv, whose cas ignores
// create_if_not_exists. ok is false for a request type the KV API does not
// know, which gets no reply.
func evalKV(req request, cur value, exists, allowCreate bool) (r reply, store *value, ok bool) {
	switch req.typ {
	case "read":
		if !exists {
			return errReply(proto.KeyDoesNotExist, textNoKey), nil, true
		}
		return reply{"type": "read_ok", "value": cur.raw}, nil, true
	case "write":
		v := req.val
		return okReply("write_ok"), &v, true
	case "cas":
		switch {
		case exists && cur.canon == req.from.canon:
			v := req.to
			return okReply("cas_ok"), &v, true
		case exists:
			return errReply(proto.PreconditionFailed, fmt.Sprintf("current value %s is not %s", cur.raw, req.from.raw)), nil, true
		case req.create && allowCreate:
			v := req.to
			return okReply("cas_ok"), &v, true
		default:
			return errReply(proto.KeyDoesNotExist, textNoKey), nil, true
		}
	}
	return nil, nil, false
}
