package query

import (
	"errors"
	"slices"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that any input either parses or fails with a positioned *Error, never panics,
// that a parsed query renders to text that parses to the same tree, and that the compiled matcher and
// the reference evaluator agree on it. Seeds are in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"storing", `"klantenservice ING"~2 NOT test`, "(a1 OR b1) NEAR/3f c1", "lang:nl authorFollowers:[1000 TO *]",
	} {
		f.Add(s)
	}
	docs := []*Doc{
		NewDoc(testPost("Storing bij de klantenservice, ING! #DataLek @ingnl café ideeën https://example.nl/x"), Analysis{Sentiment: "negative"}),
		NewDoc(testPost("a1 b1 c1 a1 storingen bank banken e mail"), Analysis{Complaint: true}),
	}
	f.Fuzz(func(t *testing.T, src string) {
		q, err := Parse(src)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) returned %T, not *Error", src, err)
			}
			if e.Line < 1 || e.Col < 1 || e.Offset < 0 || e.Offset > len(src) || e.Msg == "" {
				t.Fatalf("Parse(%q): bad error %+v", src, e)
			}
			_ = e.Format(src)
			return
		}
		// The rendering must parse. It is checked for ASCII queries only: the rendering shows
		// folded text, and folding maps some characters to others the tokenizer reads differently
		// (a modifier apostrophe becomes ', which alone is punctuation; a full-width letter becomes
		// ASCII). Nor need it give the same tree: a clitic split off one word reads as punctuation
		// before the next.
		if isPrintableASCII(src) {
			out := q.Root.String()
			if _, err := Parse(out); err != nil {
				t.Fatalf("Parse(%q) ok, but its rendering %q fails: %v", src, out, err)
			}
		}
		m, err := Compile([]Monitor{{ID: "m", Query: q}})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			want := q.Match(d)
			if got := slices.Equal(m.Match(d), []string{"m"}); got != want {
				t.Fatalf("%q on %q: matcher %v, reference %v", src, d.post.Text, got, want)
			}
		}
	})
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf || s[i] < ' ' && s[i] != '\n' && s[i] != '\t' {
			return false
		}
	}
	return true
}
