package listappend

import (
	"encoding/json"
	"testing"

	"github.com/glomers/glomers/internal/history"
	"github.com/glomers/glomers/internal/workload"
	"github.com/glomers/glomers/internal/workload/workloadtest"
)

// The wire format of Maelstrom's txn-list-append: the request as sent,
// txn_ok with each read's null replaced by the key's list (or left null);
// error 30 (txn-conflict) is a definite fail, a timeout or a crash an
// info, and a reply that does not answer the request a malformed info.
func TestClient(t *testing.T) {
	req := `[["r",1,null],["append",1,6],["append",2,9]]`
	inv := workload.Invocation{F: "txn", Value: json.RawMessage(req)}
	reply := func(body string) workloadtest.Reply { return workloadtest.Reply{Body: body} }
	workloadtest.RunClientCases(t, New(), []workloadtest.ClientCase{
		{Name: "ok", Inv: inv,
			Reply: reply(`{"type":"txn_ok","in_reply_to":1,"txn":[["r",1,[8]],["append",1,6],["append",2,9]]}`),
			Sent:  `{"type":"txn","txn":` + req + `}`,
			Type:  history.OK, Value: `[["r",1,[8]],["append",1,6],["append",2,9]]`},
		{Name: "a read of null", Inv: inv,
			Reply: reply(`{"type":"txn_ok","in_reply_to":1,"txn":[["r",1,null],["append",1,6],["append",2,9]]}`),
			Type:  history.OK, Value: `[["r",1,null],["append",1,6],["append",2,9]]`},
		{Name: "txn-conflict", Inv: inv,
			Reply: reply(`{"type":"error","in_reply_to":1,"code":30,"text":"busy"}`),
			Type:  history.Fail, Value: req, Error: "txn-conflict"},
		{Name: "crash", Inv: inv,
			Reply: reply(`{"type":"error","in_reply_to":1,"code":13,"text":"oops"}`),
			Type:  history.Info, Value: req, Error: "crash"},
		{Name: "timeout", Inv: inv, Reply: workloadtest.Reply{Err: workload.ErrTimeout},
			Type: history.Info, Value: req, Error: "timeout"},
		{Name: "an append changed", Inv: inv,
			Reply: reply(`{"type":"txn_ok","in_reply_to":1,"txn":[["r",1,[8]],["append",1,7],["append",2,9]]}`),
			Type:  history.Info, Value: req, Error: "micro-op 1 appends 7 to key 1, the request appended 6"},
		{Name: "a read as a number", Inv: inv,
			Reply: reply(`{"type":"txn_ok","in_reply_to":1,"txn":[["r",1,8],["append",1,6],["append",2,9]]}`),
			Type:  history.Info, Value: req, Error: "not null or a list"},
		{Name: "a micro-op missing", Inv: inv,
			Reply: reply(`{"type":"txn_ok","in_reply_to":1,"txn":[["r",1,[8]]]}`),
			Type:  history.Info, Value: req, Error: "txn has 1 micro-ops, the request had 3"},
	})
}
