package bus

import (
	"bytes"
	"encoding/json"
	"testing"
)

func FuzzDecodeBatch(f *testing.F) {
	f.Add([]byte(`{"e":[{"s":1,"t":1700000000000000000},{"s":2,"t":1700000000000000001,"p":{"Post":{"id":"x"}}}]}`))
	f.Add([]byte(`{"e":[]}`))
	f.Add([]byte(`{"e":[{"s":0}]}`))
	f.Add([]byte(`{"e":[{"s":-1}]}`))
	f.Add([]byte(`{"e":[{"s":3,"p":nul}]}`))
	f.Add([]byte(`[`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, data []byte) {
		es, err := decodeBatch(data)
		if err != nil {
			return
		}
		for _, e := range es {
			if e.Seq == 0 {
				t.Fatalf("accepted sequence number 0 in %q", data)
			}
		}
		// What decodes encodes again and decodes to the same entries.
		again, err := encodeBatch(es)
		if err != nil {
			t.Fatal(err)
		}
		es2, err := decodeBatch(again)
		if err != nil || len(es2) != len(es) {
			t.Fatalf("round trip: %v, %d entries; want %d", err, len(es2), len(es))
		}
		for i := range es {
			if es[i].Seq != es2[i].Seq || es[i].At != es2[i].At || !bytes.Equal(compact(es[i].Post), compact(es2[i].Post)) {
				t.Fatalf("entry %d changed in a round trip: %+v, %+v", i, es[i], es2[i])
			}
		}
	})
}

func compact(b []byte) []byte {
	var out bytes.Buffer
	if len(b) == 0 {
		return nil
	}
	if err := jsonCompact(&out, b); err != nil {
		return b
	}
	return out.Bytes()
}

func TestDecodeBatchErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"e":[{"s":0}]}`, "entry 0: sequence number 0"},
		{`{"e":[{"s":1},{"t":5}]}`, "entry 1: sequence number 0"},
		{`{"e":`, "unexpected end of JSON input"},
	} {
		_, err := decodeBatch([]byte(c.in))
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte(c.want)) {
			t.Errorf("decodeBatch(%s) = %v; want an error with %q", c.in, err, c.want)
		}
	}
}

var jsonCompact = json.Compact
