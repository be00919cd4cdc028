//go:build analyzetmp

package analyze

import (
	"fmt"
	"testing"
)

func TestZZDbg(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Fatal(err)
	}
	sl := a.sentiment["nl"]
	for _, w := range []string{"morgen", "om", "10", "uur", "gaat", "de", "winkel", "open"} {
		e, ok := sl.lex.lookup(w)
		fmt.Println(w, e.val, e.role, e.boost, ok, len(e.phrases))
	}
	sc := &scratch{}
	for _, s := range []string{"Morgen om 10 uur gaat de winkel open", "Het was niet slecht"} {
		sc.toks = sc.tz.Tokenize(sc.toks[:0], s)
		out := a.sentimentOf(sc, "nl")
		fmt.Println(s, sc.sent.f, sc.sent.feats, sc.prob, out)
		for _, f := range sc.sent.feats {
			fmt.Print(sl.model.names[f.idx], " ", sl.model.w[int(f.idx)*3:int(f.idx)*3+3], "; ")
		}
		fmt.Println()
	}
}
