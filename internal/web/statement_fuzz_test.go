package web

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzMarkSpans: whatever spans the linter reports, the marked parts put together are the text, and a
// mark never splits a character.
func FuzzMarkSpans(f *testing.F) {
	f.Add("We guarantee it is fixed today.", 3, 12, 0, 2)
	f.Add("Wij garanderen dat het nooit meer gebeurt!!!", 4, 14, 40, 43)
	f.Add("é😀 x", 0, 2, 2, 6)
	f.Add("", 0, 0, 1, 1)
	f.Fuzz(func(t *testing.T, text string, s1, e1, s2, e2 int) {
		if !utf8.ValidString(text) {
			return
		}
		parts := markSpans(text, []spanNote{{start: s1, end: e1}, {start: s2, end: e2}})
		var b strings.Builder
		for _, p := range parts {
			b.WriteString(p.Text)
			if p.Mark && !utf8.ValidString(p.Text) {
				t.Errorf("mark %q splits a character", p.Text)
			}
		}
		if b.String() != text {
			t.Fatalf("parts %+v put together are %q, want %q", parts, b.String(), text)
		}
	})
}
