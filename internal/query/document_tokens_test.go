package query

import (
	"slices"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/text"
)

// A Doc reset with the post's tokens matches exactly the monitors that a Doc that tokenizes the post
// itself matches.
func TestResetTokensSameAsReset(t *testing.T) {
	c := newCorpus(200, 7)
	m, err := Compile(c.monitors(400))
	if err != nil {
		t.Fatal(err)
	}
	var own, given Doc
	var tz text.Tokenizer
	var toks []text.Token
	matched := 0
	for i := range 2000 {
		p := c.post(i)
		a := c.analysis()
		own.Reset(p, a)
		toks = tz.Tokenize(toks[:0], p.Text)
		given.ResetTokens(p, a, toks)
		want := m.AppendMatches(nil, &own)
		got := m.AppendMatches(nil, &given)
		if !slices.Equal(got, want) {
			t.Fatalf("post %d %q: ResetTokens matched %v, Reset %v", i, p.Text, got, want)
		}
		matched += len(want)
	}
	if matched == 0 {
		t.Fatal("no post matched any monitor, so the comparison says nothing")
	}
}
