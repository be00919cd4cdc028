package plan

import (
	"bytes"
	"testing"
)

func TestDefaultIsValidAndRoundTrips(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if errs := p.Validate(); len(errs) > 0 {
		t.Fatalf("Default().Validate():\n%v", errs)
	}
	b, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	q, err := Parse(b)
	if err != nil {
		t.Fatalf("Parse(Encode(Default())):\n%v\n%s", err, b)
	}
	b2, err := Encode(q)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, b2) {
		t.Errorf("Encode(Parse(Encode(Default()))) differs:\n%s\n---\n%s", b, b2)
	}
}
