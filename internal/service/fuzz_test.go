package service

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// Services face whatever a learner's node sends: no body may panic one,
// and every reply is a JSON object answering the request.
func FuzzHandle(f *testing.F) {
	for _, tc := range kvTable {
		for _, st := range tc.steps {
			f.Add(st.req)
		}
	}
	f.Add(`{"type":"ts","msg_id":1}`)
	f.Add(`{"type":"cas","key":[1,{"a":null}],"from":1e999,"to":-0.0,"create_if_not_exists":"yes"}`)
	f.Fuzz(func(t *testing.T, body string) {
		rnd := rand.New(rand.NewPCG(1, 1))
		for _, s := range All() {
			for range 3 {
				raw := s.Handle("n0", json.RawMessage(body), rnd)
				if raw == nil {
					continue
				}
				var m map[string]json.RawMessage
				if err := json.Unmarshal(raw, &m); err != nil {
					t.Fatalf("%s replied %s: %v", s.ID(), raw, err)
				}
				if _, ok := m["in_reply_to"]; !ok {
					t.Fatalf("%s replied without in_reply_to: %s", s.ID(), raw)
				}
			}
		}
	})
}
