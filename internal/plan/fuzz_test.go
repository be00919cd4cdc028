package plan

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParse checks that the loader never panics, that every error it returns can be told in both
// languages, and that any plan it accepts survives Encode and Parse unchanged. The seeds include a full
// plan, whose minimisation is slow; run it with a short -fuzzminimizetime:
//
//	go test -run XXX -fuzz FuzzParse -fuzztime 60s -fuzzminimizetime 5s ./internal/plan
func FuzzParse(f *testing.F) {
	f.Add([]byte(minimal))
	if p, err := Default(); err == nil {
		if b, err := Encode(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Parse(b)
		if err != nil {
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("Parse error %v is not a non-empty Errors", err)
			}
			for _, e := range errs {
				if e.Message("en") == "" || e.Message("nl") == "" {
					t.Fatalf("error at %q has an empty message", e.Path)
				}
			}
			return
		}
		out, err := Encode(p)
		if err != nil {
			t.Fatalf("Encode of a parsed plan: %v", err)
		}
		q, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Encode(p)): %v\n%s", err, out)
		}
		out2, err := Encode(q)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, out2) {
			t.Fatalf("Encode is not stable:\n%s\n---\n%s", out, out2)
		}
	})
}
