package query

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

// The vocabulary is small so that random queries and random posts share words, and it has the
// diacritics and case variants that folding must equate.
var diffVocab = []string{
	"storing", "Storing", "STORING", "bank", "Bank", "ing", "ING", "café", "cafe", "Café",
	"ideeën", "ideeen", "één", "een", "reünie", "reunie", "app", "datalek", "lek", "outage",
	"down", "niet", "werkt", "klantenservice", "storingen", "banken", "naïef", "naief",
}

type diffGen struct{ r *rand.Rand }

func (g diffGen) word() string { return diffVocab[g.r.IntN(len(diffVocab))] }

// wildcard cuts a word after at least two characters and puts a * or ? there.
func (g diffGen) wildcard() string {
	w := []rune(g.word())
	cut := 2 + g.r.IntN(len(w)-1)
	if cut >= len(w) {
		return string(w) + "*"
	}
	if g.r.IntN(2) == 0 {
		return string(w[:cut]) + "*"
	}
	return string(w[:cut]) + "?" + string(w[cut+1:])
}

func (g diffGen) positional(depth int) string {
	switch n := g.r.IntN(10); {
	case n < 3:
		return g.word()
	case n == 3:
		return g.wildcard()
	case n == 4:
		return "#" + g.word()
	case n == 5:
		return "@" + g.word()
	case n == 6:
		s := `"` + g.word() + " " + g.word()
		if g.r.IntN(2) == 0 {
			s += " " + g.word()
		}
		s += `"`
		if g.r.IntN(3) == 0 {
			s += fmt.Sprintf("~%d", g.r.IntN(4))
		}
		return s
	case n == 7 && depth < 3:
		return "(" + g.positional(depth+1) + " OR " + g.positional(depth+1) + ")"
	case n >= 8 && depth < 3:
		op := fmt.Sprintf(" NEAR/%d", g.r.IntN(4))
		if g.r.IntN(2) == 0 {
			op += "f"
		}
		return g.positional(depth+1) + op + " " + g.positional(depth+1)
	}
	return g.word()
}

func (g diffGen) field() string {
	switch g.r.IntN(8) {
	case 0:
		return "lang:" + []string{"nl", "en"}[g.r.IntN(2)]
	case 1:
		return "platform:" + []string{"bluesky", "x", "mastodon"}[g.r.IntN(3)]
	case 2:
		return "authorKind:" + []string{"press", "person"}[g.r.IntN(2)]
	case 3:
		return fmt.Sprintf("authorFollowers:[%d TO *]", g.r.IntN(3)*1000)
	case 4:
		return "sentiment:" + sentiments[g.r.IntN(3)]
	case 5:
		return "complaint:" + []string{"true", "false"}[g.r.IntN(2)]
	case 6:
		return "category:" + categories[g.r.IntN(3)]
	}
	return "authorVerified:true"
}

func (g diffGen) expr(depth int) string {
	n := g.r.IntN(12)
	if depth >= 3 {
		n = g.r.IntN(5)
	}
	switch {
	case n < 4:
		return g.positional(depth)
	case n == 4:
		return g.field()
	case n < 7:
		return "(" + g.expr(depth+1) + " OR " + g.expr(depth+1) + ")"
	case n < 9:
		sep := " "
		if n == 8 {
			sep = " AND "
		}
		return "(" + g.expr(depth+1) + sep + g.expr(depth+1) + ")"
	default:
		return "(" + g.expr(depth+1) + " NOT " + g.expr(depth+1) + ")"
	}
}

func (g diffGen) post(i int) (*post.Post, Analysis) {
	var b strings.Builder
	for n := 2 + g.r.IntN(14); n > 0; n-- {
		switch g.r.IntN(12) {
		case 0:
			b.WriteString("#")
		case 1:
			b.WriteString("@")
		}
		b.WriteString(g.word())
		b.WriteString([]string{" ", " ", " ", ", ", "! ", " - ", ". ", " x "}[g.r.IntN(8)])
	}
	if g.r.IntN(6) == 0 {
		b.WriteString("https://example.nl/a")
	}
	p := testPost(b.String(), func(p *post.Post) {
		p.ID = fmt.Sprint(i)
		p.Lang = []string{"nl", "en"}[g.r.IntN(2)]
		p.Platform = []string{"bluesky", "x", "mastodon"}[g.r.IntN(3)]
		p.Author.Kind = []string{"press", "person"}[g.r.IntN(2)]
		p.Author.Followers = int64(g.r.IntN(3000))
		p.Author.Verified = g.r.IntN(2) == 0
	})
	a := Analysis{Sentiment: sentiments[g.r.IntN(3)], Complaint: g.r.IntN(2) == 0}
	if g.r.IntN(2) == 0 {
		a.Categories = []string{categories[g.r.IntN(3)]}
	}
	return p, a
}

// TestDifferential checks the compiled matcher against the reference evaluator on random queries
// and posts drawn from one vocabulary: 1,000 monitors in one matcher times 200 posts.
func TestDifferential(t *testing.T) {
	g := diffGen{rand.New(rand.NewPCG(1, 2))}
	const nQueries, nPosts = 1000, 200
	var ms []Monitor
	rejected := 0
	for len(ms) < nQueries {
		src := g.expr(0)
		q, err := Parse(src)
		if err != nil {
			rejected++ // an OR branch of only NOT, or a query of only NOT: the generator makes some
			continue
		}
		ms = append(ms, Monitor{ID: fmt.Sprintf("m%04d", len(ms)), Query: q})
	}
	if rejected > nQueries {
		t.Fatalf("the generator makes mostly invalid queries: %d rejected", rejected)
	}
	m, err := Compile(ms)
	if err != nil {
		t.Fatal(err)
	}
	pairs, matched := 0, 0
	everMatched := make([]bool, len(ms))
	var got []string
	for i := 0; i < nPosts; i++ {
		p, a := g.post(i)
		d := NewDoc(p, a)
		got = m.AppendMatches(got[:0], d)
		var want []string
		for j, mon := range ms {
			pairs++
			if mon.Query.Match(d) {
				want = append(want, mon.ID)
				matched++
				everMatched[j] = true
			}
		}
		if !slices.Equal(got, want) {
			extra, missing := diff(got, want)
			for _, id := range extra {
				t.Errorf("post %q: matcher matches %s %q, reference does not", p.Text, id, sourceOf(ms, id))
			}
			for _, id := range missing {
				t.Errorf("post %q: reference matches %s %q, matcher does not", p.Text, id, sourceOf(ms, id))
			}
			if t.Failed() {
				t.FailNow()
			}
		}
	}
	someMatch := 0
	for _, e := range everMatched {
		if e {
			someMatch++
		}
	}
	frac := float64(matched) / float64(pairs)
	t.Logf("%d pairs, %.1f%% match; %d of %d queries match some post", pairs, 100*frac, someMatch, len(ms))
	if pairs < 100_000 || frac < 0.05 || frac > 0.8 || someMatch < len(ms)/3 {
		t.Errorf("the test is too weak: %d pairs, %.3f matching, %d queries ever match", pairs, frac, someMatch)
	}
}

func diff(got, want []string) (extra, missing []string) {
	for _, id := range got {
		if !slices.Contains(want, id) {
			extra = append(extra, id)
		}
	}
	for _, id := range want {
		if !slices.Contains(got, id) {
			missing = append(missing, id)
		}
	}
	return extra, missing
}

func sourceOf(ms []Monitor, id string) string {
	for _, m := range ms {
		if m.ID == id {
			return m.Query.Source
		}
	}
	return ""
}
