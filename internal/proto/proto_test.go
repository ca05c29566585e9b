package proto

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// Maelstrom's envelope (doc/protocol.md): an object with string src and
// dest and an object body whose type is a string; nothing else at the top
// level but Maelstrom's own id.
func TestParseLine(t *testing.T) {
	for _, tc := range []struct {
		name, line, err string
	}{
		{"minimal", `{"src":"n0","dest":"c1","body":{"type":"echo_ok"}}`, ""},
		{"with id and reserved fields", `{"id":7,"src":"n0","dest":"n1","body":{"type":"gossip","msg_id":2,"in_reply_to":1,"code":13,"text":"x"}}`, ""},
		{"carriage return", "{\"src\":\"n0\",\"dest\":\"c1\",\"body\":{\"type\":\"a\"}}\r", ""},
		{"not JSON", `hello from n0`, "not a JSON object"},
		{"JSON but not an object", `[1,2]`, "not a JSON object"},
		{"truncated", `{"src":"n0","dest":`, "not a JSON object"},
		{"no src", `{"dest":"c1","body":{"type":"a"}}`, `no "src"`},
		{"no dest", `{"src":"n0","body":{"type":"a"}}`, `no "dest"`},
		{"src not a string", `{"src":0,"dest":"c1","body":{"type":"a"}}`, `"src" is not a string`},
		{"dest not a string", `{"src":"n0","dest":["c1"],"body":{"type":"a"}}`, `"dest" is not a string`},
		{"id not an integer", `{"id":"7","src":"n0","dest":"c1","body":{"type":"a"}}`, `"id" is not an integer`},
		{"no body", `{"src":"n0","dest":"c1"}`, `"body" is not an object`},
		{"body a string", `{"src":"n0","dest":"c1","body":"echo"}`, `"body" is not an object`},
		{"body without type", `{"src":"n0","dest":"c1","body":{"msg_id":1}}`, `no "type"`},
		{"type not a string", `{"src":"n0","dest":"c1","body":{"type":3}}`, "wrong type"},
		{"msg_id not an integer", `{"src":"n0","dest":"c1","body":{"type":"a","msg_id":"1"}}`, "wrong type"},
		{"in_reply_to a float", `{"src":"n0","dest":"c1","body":{"type":"a","in_reply_to":1.5}}`, "wrong type"},
		{"unknown top-level field", `{"src":"n0","dest":"c1","body":{"type":"a"},"extra":1}`, `unexpected top-level field "extra"`},
		{"invalid UTF-8", "{\"src\":\"n0\",\"dest\":\"c1\",\"body\":{\"type\":\"\xff\"}}", "not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ParseLine([]byte(tc.line))
			if tc.err == "" {
				if err != nil {
					t.Fatalf("ParseLine(%s) = %v, want a message", tc.line, err)
				}
				if m.Src == "" || m.Dest == "" || len(m.Body) == 0 {
					t.Errorf("ParseLine(%s) = %+v: empty field", tc.line, m)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("ParseLine(%s) = %v, want an error containing %q", tc.line, err, tc.err)
			}
			if strings.Contains(err.Error(), "\n") || !utf8.ValidString(err.Error()) {
				t.Errorf("error is not one valid line: %q", err)
			}
		})
	}
}

// An error about a huge line quotes its start and says how long it was.
func TestQuoteBoundsHugeLines(t *testing.T) {
	line := append([]byte(`{"src":"n0","dest":"c1","body":{"type":"`), bytes.Repeat([]byte("é"), 3<<20)...)
	_, err := ParseLine(line)
	if err == nil {
		t.Fatal("an unterminated line parsed")
	}
	if len(err.Error()) > 2*MaxQuote+100 {
		t.Errorf("error is %d bytes long", len(err.Error()))
	}
	if !strings.Contains(err.Error(), "(6291496 bytes)") || !utf8.ValidString(err.Error()) {
		t.Errorf("error = %.300s", err)
	}
}

func TestDescribe(t *testing.T) {
	m := Message{Src: "n1", Dest: "n2", Body: json.RawMessage(`{"message":5,"type":"broadcast","msg_id":3,"a":[1]}`)}
	if got, want := Describe(m), "n1->n2 broadcast msg_id=3 a=[1] message=5"; got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
	long := json.RawMessage(`{"type":"x","v":"` + strings.Repeat("ü", 40) + `"}`)
	if got := DescribeBody(long); !utf8.ValidString(got) || !strings.HasSuffix(got, "...") {
		t.Errorf("long value described as %q", got)
	}
	if got := DescribeBody(json.RawMessage(`nope`)); got != `"nope"` {
		t.Errorf("DescribeBody(nope) = %q", got)
	}
}

// Maelstrom's error table: which codes are definite.
func TestErrorCodes(t *testing.T) {
	for _, tc := range []struct {
		code     ErrorCode
		name     string
		definite bool
	}{
		{Timeout, "timeout", false},
		{Crash, "crash", false},
		{NotSupported, "not-supported", true},
		{TxnConflict, "txn-conflict", true},
		{PreconditionFailed, "precondition-failed", true},
		{ErrorCode(1001), "unknown-1001", false},
	} {
		if tc.code.String() != tc.name || tc.code.Definite() != tc.definite {
			t.Errorf("code %d: %s definite=%v, want %s definite=%v", int(tc.code), tc.code, tc.code.Definite(), tc.name, tc.definite)
		}
	}
	b, _ := json.Marshal(NewError(4, TxnConflict, "no"))
	if string(b) != `{"type":"error","in_reply_to":4,"code":30,"text":"no"}` {
		t.Errorf("NewError = %s", b)
	}
}

func sameJSON(a, b []byte) bool {
	var va, vb any
	da, db := json.NewDecoder(bytes.NewReader(a)), json.NewDecoder(bytes.NewReader(b))
	da.UseNumber()
	db.UseNumber()
	if da.Decode(&va) != nil || db.Decode(&vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

// FuzzParseLine: whatever a node writes, the decoder returns a message or
// an error, never panics, and what it accepts survives a round trip
// through Encode unchanged.
func FuzzParseLine(f *testing.F) {
	for _, s := range []string{
		`{"src":"n0","dest":"c1","body":{"type":"echo_ok","in_reply_to":1,"echo":"x"}}`,
		`{"id":3,"src":"n0","dest":"n1","body":{"type":"gossip","messages":[1,2]}}`,
		`{"src":"n0","dest":"c1","body":{"type":"error","code":30,"text":"abort"}}`,
		`not json`, `{}`, `{"src":"n0","dest":"c1","body":null}`, "\xff\xfe", `{"src":"n0","dest":"c1","body":{"type":"a","msg_id":1e3}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		m, err := ParseLine(line)
		if err != nil {
			if !utf8.ValidString(err.Error()) {
				t.Fatalf("error is not valid UTF-8: %q", err)
			}
			return
		}
		again, err := ParseLine(Encode(m))
		if err != nil {
			t.Fatalf("Encode(ParseLine(%q)) does not parse: %v", line, err)
		}
		// Encode may escape characters (json.Marshal writes & as \u0026),
		// so bodies are compared as JSON values, not bytes.
		if again.Src != m.Src || again.Dest != m.Dest || !sameJSON(again.Body, m.Body) {
			t.Fatalf("round trip changed %+v into %+v", m, again)
		}
		if d := Describe(m); !utf8.ValidString(d) {
			t.Fatalf("Describe gave invalid UTF-8: %q", d)
		}
	})
}
