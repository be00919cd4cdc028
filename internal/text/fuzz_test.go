package text

import (
	"testing"
	"unicode/utf8"
)

// FuzzTokenize checks the contract on arbitrary input: no panic, spans in bounds and ordered, Text equal
// to its span, Norm never empty, and a second call giving the same tokens.
func FuzzTokenize(f *testing.F) {
	for _, p := range benchPosts {
		f.Add(p)
	}
	var tz Tokenizer
	var again Tokenizer
	f.Fuzz(func(t *testing.T, s string) {
		toks := tz.Tokenize(nil, s)
		checkInvariants(t, s, toks)
		for _, tk := range toks {
			// Word and tag norms are what Fold gives, so the query engine's folded terms can equal them.
			if (tk.Kind == Word || tk.Kind == Hashtag) && Fold(tk.Text) != "" && Fold(tk.Norm) != tk.Norm {
				t.Fatalf("%s %q: Norm %q is not folded (Fold gives %q)", tk.Kind, tk.Text, tk.Norm, Fold(tk.Norm))
			}
			if tk.Kind == Word && tk.Flags&(Clitic|Negation) == 0 && Fold(tk.Text) != "" && tk.Norm != Fold(tk.Text) &&
				!isNegStem(tk.Norm) {
				t.Fatalf("word %q: Norm %q, Fold %q", tk.Text, tk.Norm, Fold(tk.Text))
			}
		}
		toks2 := again.Tokenize(nil, s)
		if len(toks) != len(toks2) {
			t.Fatalf("second tokenizer gives %d tokens, first %d", len(toks2), len(toks))
		}
		for i := range toks {
			if toks[i] != toks2[i] {
				t.Fatalf("token %d differs between calls: %+v vs %+v", i, toks[i], toks2[i])
			}
		}
	})
}

// FuzzFold checks that Fold never panics, is idempotent and keeps valid UTF-8 valid.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"Café", "IDEEËN", "sooooo", "Straße", "zo’n", "a\xffb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := Fold(s)
		if twice := Fold(once); twice != once {
			t.Fatalf("Fold not idempotent: %q -> %q -> %q", s, once, twice)
		}
		if utf8.ValidString(s) && !utf8.ValidString(once) {
			t.Fatalf("Fold(%q) = %q is not valid UTF-8", s, once)
		}
	})
}

func isNegStem(norm string) bool {
	for _, n := range negStem {
		if n == norm {
			return true
		}
	}
	return false
}
