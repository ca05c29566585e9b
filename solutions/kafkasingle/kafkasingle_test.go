package kafkasingle_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"testing/synctest"

	"github.com/glomers/glomers/solutions/kafkasingle"
	"github.com/glomers/glomers/solutions/soltest"
)

// Jepsen kafka: inconsistent-offsets. The library runs each send in its
// own goroutine, so concurrent sends to one key race for offsets; each
// must get its own, and together they must fill the log with no gaps.
func TestConcurrentSendsGetDistinctOffsets(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := soltest.Start(t, kafkasingle.Register)
		n.Init("n0", "n0")
		const sends = 100
		for i := 1; i <= sends; i++ {
			n.Send("c1", fmt.Sprintf(`{"type":"send","msg_id":%d,"key":"k","msg":%d}`, i, i))
		}
		seen := map[string]bool{}
		for range sends {
			body := soltest.Body(t, n.Recv())
			off, ok := body["offset"].(json.Number)
			if body["type"] != "send_ok" || !ok {
				t.Fatalf("reply %v, want send_ok with an offset", body)
			}
			if seen[off.String()] {
				t.Fatalf("offset %v handed out twice", off)
			}
			seen[off.String()] = true
		}
		for off := range sends {
			if !seen[fmt.Sprint(off)] {
				t.Errorf("offset %d never handed out: the log has a gap", off)
			}
		}
	})
}

// Jepsen kafka: poll-skip. A poll starts at the offset asked for, not
// after it, and returns a bounded run with no gaps.
func TestPollStartsAtTheOffsetAskedFor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := soltest.Start(t, kafkasingle.Register)
		n.Init("n0", "n0")
		for i := 1; i <= 40; i++ {
			n.Call("c1", fmt.Sprintf(`{"type":"send","msg_id":%d,"key":"k","msg":%d}`, i, 100+i))
		}
		reply := soltest.Body(t, n.Call("c2", `{"type":"poll","msg_id":1,"offsets":{"k":5}}`))
		msgs, _ := reply["msgs"].(map[string]any)["k"].([]any)
		if len(msgs) == 0 || len(msgs) > 35 {
			t.Fatalf("poll from 5 of 40 returned %d messages: %v", len(msgs), reply)
		}
		for i, m := range msgs {
			if got, want := fmt.Sprint(m), fmt.Sprintf("[%d %d]", 5+i, 106+i); got != want {
				t.Fatalf("message %d of the poll is %s, want %s", i, got, want)
			}
		}
	})
}
