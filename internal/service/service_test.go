package service

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// call sends one request body and decodes the reply; nil means no reply.
func call(t *testing.T, s Service, src, body string, rnd *rand.Rand) map[string]any {
	t.Helper()
	raw := s.Handle(src, json.RawMessage(body), rnd)
	if raw == nil {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: reply %s is not an object: %v", s.ID(), raw, err)
	}
	return m
}

// kvStep is one request and the reply it must get.
type kvStep struct {
	req  string
	want string // JSON reply; "" for no reply
}

// kvTable runs the KV API's rules (Maelstrom doc/services.md and
// service.clj, reference §5.1) as sequences of steps from one caller.
var kvTable = []struct {
	name  string
	steps []kvStep
}{
	{"read of a missing key is error 20", []kvStep{
		{`{"type":"read","msg_id":1,"key":"x"}`, `{"type":"error","code":20,"text":"key does not exist","in_reply_to":1}`},
	}},
	{"write then read", []kvStep{
		{`{"type":"write","msg_id":1,"key":"x","value":3}`, `{"type":"write_ok","in_reply_to":1}`},
		{`{"type":"read","msg_id":2,"key":"x"}`, `{"type":"read_ok","value":3,"in_reply_to":2}`},
	}},
	{"write overwrites", []kvStep{
		{`{"type":"write","msg_id":1,"key":"x","value":3}`, `{"type":"write_ok","in_reply_to":1}`},
		{`{"type":"write","msg_id":2,"key":"x","value":[1,"a"]}`, `{"type":"write_ok","in_reply_to":2}`},
		{`{"type":"read","msg_id":3,"key":"x"}`, `{"type":"read_ok","value":[1,"a"],"in_reply_to":3}`},
	}},
	{"cas from the current value succeeds", []kvStep{
		{`{"type":"write","msg_id":1,"key":"x","value":3}`, `{"type":"write_ok","in_reply_to":1}`},
		{`{"type":"cas","msg_id":2,"key":"x","from":3,"to":4}`, `{"type":"cas_ok","in_reply_to":2}`},
		{`{"type":"read","msg_id":3,"key":"x"}`, `{"type":"read_ok","value":4,"in_reply_to":3}`},
	}},
	{"cas from another value is error 22 naming both", []kvStep{
		{`{"type":"write","msg_id":1,"key":"x","value":3}`, `{"type":"write_ok","in_reply_to":1}`},
		{`{"type":"cas","msg_id":2,"key":"x","from":2,"to":4}`, `{"type":"error","code":22,"text":"current value 3 is not 2","in_reply_to":2}`},
		{`{"type":"read","msg_id":3,"key":"x"}`, `{"type":"read_ok","value":3,"in_reply_to":3}`},
	}},
	{"cas on a missing key is error 20", []kvStep{
		{`{"type":"cas","msg_id":1,"key":"x","from":0,"to":1}`, `{"type":"error","code":20,"text":"key does not exist","in_reply_to":1}`},
	}},
	{"cas with create_if_not_exists false is error 20", []kvStep{
		{`{"type":"cas","msg_id":1,"key":"x","from":0,"to":1,"create_if_not_exists":false}`, `{"type":"error","code":20,"text":"key does not exist","in_reply_to":1}`},
	}},
	{"cas with create_if_not_exists creates the key with to", []kvStep{
		{`{"type":"cas","msg_id":1,"key":"x","from":0,"to":1,"create_if_not_exists":true}`, `{"type":"cas_ok","in_reply_to":1}`},
		{`{"type":"read","msg_id":2,"key":"x"}`, `{"type":"read_ok","value":1,"in_reply_to":2}`},
	}},
	{"create_if_not_exists does not bypass from on an existing key", []kvStep{
		{`{"type":"write","msg_id":1,"key":"x","value":5}`, `{"type":"write_ok","in_reply_to":1}`},
		{`{"type":"cas","msg_id":2,"key":"x","from":0,"to":1,"create_if_not_exists":true}`, `{"type":"error","code":22,"text":"current value 5 is not 0","in_reply_to":2}`},
	}},
	{"1 is not 1.0", []kvStep{
		{`{"type":"write","msg_id":1,"key":"x","value":1}`, `{"type":"write_ok","in_reply_to":1}`},
		{`{"type":"cas","msg_id":2,"key":"x","from":1.0,"to":2}`, `{"type":"error","code":22,"text":"current value 1 is not 1.0","in_reply_to":2}`},
	}},
	{"floats compare by value, integers by value however large", []kvStep{
		{`{"type":"write","msg_id":1,"key":"x","value":1.50}`, `{"type":"write_ok","in_reply_to":1}`},
		{`{"type":"cas","msg_id":2,"key":"x","from":1.5e0,"to":123456789012345678901234567890}`, `{"type":"cas_ok","in_reply_to":2}`},
		{`{"type":"cas","msg_id":3,"key":"x","from":123456789012345678901234567890,"to":0}`, `{"type":"cas_ok","in_reply_to":3}`},
	}},
	{"objects compare whatever their key order", []kvStep{
		{`{"type":"write","msg_id":1,"key":"x","value":{"a":1,"b":[2]}}`, `{"type":"write_ok","in_reply_to":1}`},
		{`{"type":"cas","msg_id":2,"key":"x","from":{"b":[2],"a":1},"to":"y"}`, `{"type":"cas_ok","in_reply_to":2}`},
		{`{"type":"read","msg_id":3,"key":"x"}`, `{"type":"read_ok","value":"y","in_reply_to":3}`},
	}},
	{"keys are JSON values: 1 and \"1\" differ", []kvStep{
		{`{"type":"write","msg_id":1,"key":1,"value":"int"}`, `{"type":"write_ok","in_reply_to":1}`},
		{`{"type":"write","msg_id":2,"key":"1","value":"string"}`, `{"type":"write_ok","in_reply_to":2}`},
		{`{"type":"read","msg_id":3,"key":1}`, `{"type":"read_ok","value":"int","in_reply_to":3}`},
		{`{"type":"read","msg_id":4,"key":{"k":[1]}}`, `{"type":"error","code":20,"text":"key does not exist","in_reply_to":4}`},
	}},
	{"a missing value is null", []kvStep{
		{`{"type":"write","msg_id":1,"key":"x"}`, `{"type":"write_ok","in_reply_to":1}`},
		{`{"type":"read","msg_id":2,"key":"x"}`, `{"type":"read_ok","value":null,"in_reply_to":2}`},
	}},
	{"no msg_id: in_reply_to is null", []kvStep{
		{`{"type":"read","key":"x"}`, `{"type":"error","code":20,"text":"key does not exist","in_reply_to":null}`},
	}},
	{"unknown type: no reply", []kvStep{
		{`{"type":"delete","msg_id":1,"key":"x"}`, ``},
		{`{"type":"ts","msg_id":2}`, ``},
	}},
	{"malformed bodies: no reply", []kvStep{
		{`[1,2]`, ``},
		{`{"msg_id":1}`, ``},
		{`{"type":5,"msg_id":1}`, ``},
		{`not json`, ``},
	}},
}

func runKVTable(t *testing.T, newService func() Service, skip map[string]bool) {
	for _, tc := range kvTable {
		if skip[tc.name] {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			s := newService()
			rnd := rand.New(rand.NewPCG(1, 2))
			for i, st := range tc.steps {
				got := call(t, s, "n0", st.req, rnd)
				if st.want == "" {
					if got != nil {
						t.Fatalf("step %d %s: got reply %v, want none", i, st.req, got)
					}
					continue
				}
				var want map[string]any
				if err := json.Unmarshal([]byte(st.want), &want); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("step %d %s:\n got %v\nwant %v", i, st.req, got, want)
				}
			}
		})
	}
}

// Maelstrom service.clj: lin-kv is one atomically updated map.
func TestLinKV(t *testing.T) { runKVTable(t, NewLinKV, nil) }

// A single caller always stands at the newest state after its own
// mutation, so seq-kv must pass the same table (read-your-writes).
func TestSeqKVSingleCaller(t *testing.T) { runKVTable(t, NewSeqKV, nil) }

func TestLinTSO(t *testing.T) {
	s := NewLinTSO()
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range 5 {
		got := call(t, s, fmt.Sprintf("n%d", i%2), fmt.Sprintf(`{"type":"ts","msg_id":%d}`, 10+i), rnd)
		want := map[string]any{"type": "ts_ok", "ts": float64(i), "in_reply_to": float64(10 + i)}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("request %d: got %v, want %v", i, got, want)
		}
	}
	if got := call(t, s, "n0", `{"type":"read","msg_id":1,"key":"x"}`, rnd); got != nil {
		t.Fatalf("lin-tso answered a read: %v", got)
	}
	// The unanswered request must not have consumed a timestamp.
	if got := call(t, s, "n0", `{"type":"ts","msg_id":2}`, rnd); got["ts"] != float64(5) {
		t.Fatalf("ts after an unknown request = %v, want 5", got["ts"])
	}
}

func TestRegistry(t *testing.T) {
	all := All()
	if len(all) != 4 {
		t.Fatalf("All returned %d services, want 4", len(all))
	}
	for i, id := range IDs() {
		if all[i].ID() != id {
			t.Errorf("All()[%d] is %s, want %s", i, all[i].ID(), id)
		}
		s, ok := New(id)
		if !ok || s.ID() != id {
			t.Errorf("New(%q) = %v, %v", id, s, ok)
		}
	}
	if _, ok := New("lin-queue"); ok {
		t.Error("New accepted an unknown id")
	}
	// Fresh instances share no state.
	rnd := rand.New(rand.NewPCG(1, 2))
	a, b := NewLinKV(), NewLinKV()
	call(t, a, "n0", `{"type":"write","msg_id":1,"key":"x","value":1}`, rnd)
	if got := call(t, b, "n0", `{"type":"read","msg_id":1,"key":"x"}`, rnd); got["code"] != float64(20) {
		t.Fatalf("a write to one lin-kv is visible in another: %v", got)
	}
}
