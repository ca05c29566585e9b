package service

import (
	"bytes"
	"encoding/json"

	"github.com/glomers/glomers/internal/jsonval"
)

// value is a JSON value as a client wrote it, plus its canonical form.
//
// Maelstrom decodes JSON into Clojure data and compares with Clojure's =:
// objects are equal whatever their key order, integers are equal by value
// however large (1 and 1 with a BigInteger behind it are equal), floats are
// equal by double value, and an integer never equals a float (1 is not 1.0).
// canon, jsonval's canonical form, encodes exactly that equivalence, so
// two values are equal when their canonical strings are. The raw text is
// what a read returns: a value comes back as its writer spelled it
// (Maelstrom would re-print 1.50 as 1.5; nothing in the protocol depends
// on the spelling).
type value struct {
	raw   json.RawMessage
	canon string
}

// null is the value of an absent field, as Clojure reads a missing key as nil.
var null = value{raw: json.RawMessage("null"), canon: "null"}

// newValue canonicalises raw; an absent field (nil raw) is null.
func newValue(raw json.RawMessage) (value, error) {
	if len(raw) == 0 {
		return null, nil
	}
	c, err := jsonval.Canonical(raw)
	if err != nil {
		return value{}, err
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return value{}, err
	}
	return value{raw: buf.Bytes(), canon: c}, nil
}
