package query

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

// testPost builds a valid post with the given text; edit fills in the rest.
func testPost(text string, edit ...func(*post.Post)) *post.Post {
	p := &post.Post{ID: "p1", Platform: "bluesky", Text: text,
		CreatedAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), Lang: "nl",
		Author: post.Author{Handle: "anna.bsky.social", Followers: 1500, Kind: "person"}}
	for _, e := range edit {
		e(p)
	}
	return p
}

type matchCase struct {
	name  string
	query string
	text  string
	edit  func(*post.Post)
	an    Analysis
	want  bool
}

// checkMatch runs one case through the reference evaluator and the compiled matcher.
func checkMatch(t *testing.T, c matchCase) {
	t.Helper()
	q, err := Parse(c.query)
	if err != nil {
		t.Fatalf("Parse(%q): %v", c.query, err)
	}
	var edits []func(*post.Post)
	if c.edit != nil {
		edits = append(edits, c.edit)
	}
	d := NewDoc(testPost(c.text, edits...), c.an)
	if got := q.Match(d); got != c.want {
		t.Errorf("reference: %q on %q = %v, want %v (parsed as %s)", c.query, c.text, got, c.want, q.Root)
	}
	m, err := Compile([]Monitor{{ID: "m", Query: q}})
	if err != nil {
		t.Fatal(err)
	}
	got := len(m.Match(d)) == 1
	if got != c.want {
		t.Errorf("matcher: %q on %q = %v, want %v (parsed as %s)", c.query, c.text, got, c.want, q.Root)
	}
}

func TestMatchOperators(t *testing.T) {
	cases := []matchCase{
		{name: "term", query: "storing", text: "Weer een storing bij de bank", want: true},
		{name: "term absent", query: "storing", text: "Alles werkt weer", want: false},
		{name: "term is a whole word", query: "storing", text: "storingen overal", want: false},
		{name: "case folded", query: "ING", text: "ing doet raar", want: true},
		{name: "query case folded", query: "ing", text: "ING DOET RAAR", want: true},
		{name: "diacritics in post", query: "cafe", text: "Het café is dicht", want: true},
		{name: "diacritics in query", query: "café", text: "het cafe is dicht", want: true},
		{name: "trema", query: "ideeen", text: "Goede ideeën!", want: true},
		{name: "trema both", query: "ideeën", text: "goede ideeen", want: true},
		{name: "english", query: "outage", text: "Huge OUTAGE at the bank", want: true},
		{name: "implicit and", query: "storing bank", text: "storing bij de bank", want: true},
		{name: "implicit and missing", query: "storing bank", text: "storing bij de winkel", want: false},
		{name: "AND", query: "storing AND bank", text: "bank storing", want: true},
		{name: "AND missing", query: "storing AND bank", text: "bank dicht", want: false},
		{name: "OR first", query: "storing OR outage", text: "een storing", want: true},
		{name: "OR second", query: "storing OR outage", text: "an outage", want: true},
		{name: "OR none", query: "storing OR outage", text: "alles goed", want: false},
		{name: "NOT excludes", query: "storing NOT opgelost", text: "storing is opgelost", want: false},
		{name: "NOT passes", query: "storing NOT opgelost", text: "storing duurt voort", want: true},
		{name: "AND NOT", query: "storing AND NOT opgelost", text: "storing duurt voort", want: true},
		{name: "lowercase and is a term", query: "storing and bank", text: "storing bank", want: false},
		{name: "lowercase and is a term, present", query: "storing and bank", text: "storing and bank", want: true},
		{name: "lowercase not is a term", query: "niet not", text: "niet not", want: true},
		{name: "lowercase or is a term", query: "storing or bank", text: "storing bank", want: false},
		{name: "precedence AND over OR", query: "a1 OR b1 c1", text: "a1", want: true},
		{name: "precedence AND over OR 2", query: "a1 OR b1 c1", text: "b1", want: false},
		{name: "parentheses", query: "(a1 OR b1) c1", text: "b1 c1", want: true},
		{name: "parentheses missing", query: "(a1 OR b1) c1", text: "a1 b1", want: false},
		{name: "NOT binds tighter than AND", query: "a1 NOT b1 c1", text: "a1 c1", want: true},
		{name: "NOT group", query: "bank NOT (opgelost OR fixed)", text: "bank fixed", want: false},
		{name: "NOT group passes", query: "bank NOT (opgelost OR fixed)", text: "bank kapot", want: true},
		{name: "nested", query: "((ing OR rabobank) (storing OR outage)) NOT test", text: "Rabobank storing", want: true},
		{name: "comment", query: "storing <<< banken, niet winkels >>> bank", text: "storing bank", want: true},
		{name: "multi-line", query: "storing\nOR\noutage", text: "outage", want: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkMatch(t, c) })
	}
}

func TestMatchPhrasesTagsWildcards(t *testing.T) {
	cases := []matchCase{
		{name: "phrase", query: `"klantenservice ING"`, text: "de klantenservice ING is traag", want: true},
		{name: "phrase across comma", query: `"klantenservice ING"`, text: "klantenservice, ING!", want: true},
		{name: "phrase across dash", query: `"klantenservice ING"`, text: "klantenservice - ING", want: true},
		{name: "phrase order", query: `"klantenservice ING"`, text: "ING klantenservice", want: false},
		{name: "phrase gap", query: `"klantenservice ING"`, text: "klantenservice van ING", want: false},
		{name: "phrase diacritics", query: `"cafe de flore"`, text: "Café de Flore", want: true},
		{name: "phrase three", query: `"niet meer inloggen"`, text: "ik kan niet meer inloggen", want: true},
		{name: "bare word that splits is a phrase", query: "klantenservice,ING", text: "klantenservice ING", want: true},
		{name: "hashtag", query: "#datalek", text: "Weer een #datalek", want: true},
		{name: "hashtag case", query: "#DataLek", text: "weer een #DATALEK", want: true},
		{name: "hashtag not plain word", query: "#datalek", text: "weer een datalek", want: false},
		{name: "word matches hashtag", query: "datalek", text: "weer een #datalek", want: true},
		{name: "word matches hashtag part", query: "lek", text: "weer een #DataLek", want: true},
		{name: "mention", query: "@ingnl", text: "hoi @INGnl waarom", want: true},
		{name: "mention not word", query: "@ingnl", text: "hoi ingnl", want: false},
		{name: "word not mention", query: "ingnl", text: "hoi @ingnl", want: false},
		{name: "mention with dots", query: "@anna.bsky.social", text: "cc @anna.bsky.social", want: true},
		{name: "wildcard end", query: "storing*", text: "storingen overal", want: true},
		{name: "wildcard end exact", query: "storing*", text: "storing", want: true},
		{name: "wildcard end no", query: "storing*", text: "geen stroom", want: false},
		{name: "wildcard middle", query: "klant*service", text: "klantenservice", want: true},
		{name: "wildcard middle no", query: "klant*service", text: "klantenportaal", want: false},
		{name: "question mark", query: "ide?n", text: "ideen", want: true},
		{name: "question mark exactly one", query: "ide?n", text: "iden", want: false},
		{name: "question mark diacritic folded", query: "caf?", text: "café", want: true},
		{name: "wildcard diacritics", query: "ideë*", text: "ideeën", want: true},
		{name: "wildcard hashtag", query: "#datal*", text: "#datalekken", want: true},
		{name: "wildcard hashtag not word", query: "#datal*", text: "datalekken", want: false},
		{name: "wildcard word matches hashtag", query: "datal*", text: "#datalekken", want: true},
		{name: "wildcard with NOT", query: "storing* NOT storingsvrij", text: "storingsvrij", want: false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkMatch(t, c) })
	}
}

func TestMatchProximity(t *testing.T) {
	cases := []matchCase{
		{name: "near adjacent", query: "bank NEAR/2 storing", text: "bank storing", want: true},
		{name: "near within", query: "bank NEAR/2 storing", text: "bank heeft een storing", want: true},
		{name: "near too far", query: "bank NEAR/2 storing", text: "bank heeft weer een storing", want: false},
		{name: "near reversed", query: "bank NEAR/2 storing", text: "storing bij de bank", want: true},
		{name: "near zero", query: "bank NEAR/0 storing", text: "storing bank", want: true},
		{name: "near zero gap", query: "bank NEAR/0 storing", text: "storing, de bank", want: false},
		{name: "near punctuation not counted", query: "bank NEAR/0 storing", text: "bank... storing!", want: true},
		{name: "nearf in order", query: "bank NEAR/2f storing", text: "bank heeft storing", want: true},
		{name: "nearf wrong order", query: "bank NEAR/2f storing", text: "storing bij bank", want: false},
		{name: "near phrase", query: `"ing app" NEAR/3 storing`, text: "de ING app heeft storing", want: true},
		{name: "near phrase far", query: `"ing app" NEAR/1 storing`, text: "de ING app heeft weer storing", want: false},
		{name: "near or group", query: "(storing OR outage) NEAR/2 (ing OR rabobank)", text: "Rabobank meldt outage", want: true},
		{name: "near or group none", query: "(storing OR outage) NEAR/2 (ing OR rabobank)", text: "Rabobank meldt een mooie dag zonder outage", want: false},
		{name: "near wildcard", query: "storing* NEAR/1 bank*", text: "storingen bij banken", want: true},
		{name: "near chain", query: "a1 NEAR/1 b1 NEAR/1 c1", text: "a1 b1 c1", want: true},
		{name: "near chain far", query: "a1 NEAR/1 b1 NEAR/1 c1", text: "a1 b1 x x x c1", want: false},
		{name: "near same word once", query: "bank NEAR/3 bank", text: "de bank", want: false},
		{name: "near same word twice", query: "bank NEAR/3 bank", text: "bank en bank", want: true},
		{name: "slop phrase", query: `"bank storing"~2`, text: "storing bij de bank", want: true},
		{name: "slop phrase too far", query: `"bank storing"~1`, text: "storing bij de bank", want: false},
		{name: "slop zero is any order adjacent", query: `"bank storing"~0`, text: "storing bank", want: true},
		{name: "slop three words", query: `"ing app storing"~1`, text: "storing in ing app", want: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkMatch(t, c) })
	}
}

func TestMatchFields(t *testing.T) {
	en := func(p *post.Post) { p.Lang = "en" }
	cases := []matchCase{
		{name: "lang", query: "storing lang:nl", text: "storing", want: true},
		{name: "lang other", query: "storing lang:en", text: "storing", want: false},
		{name: "lang from analysis wins", query: "storing lang:en", text: "storing", an: Analysis{Lang: "en"}, want: true},
		{name: "lang und falls back", query: "storing lang:en", text: "storing", edit: en, an: Analysis{Lang: "und"}, want: true},
		{name: "platform", query: "storing platform:bluesky", text: "storing", want: true},
		{name: "platform other", query: "storing platform:mastodon", text: "storing", want: false},
		{name: "author", query: "storing author:Anna.bsky.social", text: "storing", want: true},
		{name: "author with @", query: "storing author:@anna.bsky.social", text: "storing", want: true},
		{name: "author other", query: "storing author:bob", text: "storing", want: false},
		{name: "site", query: "storing site:example.nl", text: "storing", edit: func(p *post.Post) { p.URL = "https://nieuws.example.nl/a/1" }, want: true},
		{name: "site other domain", query: "storing site:example.nl", text: "storing", edit: func(p *post.Post) { p.URL = "https://badexample.nl/a" }, want: false},
		{name: "site no url", query: "storing site:example.nl", text: "storing", want: false},
		{name: "url prefix", query: "storing url:example.nl/nieuws", text: "storing", edit: func(p *post.Post) { p.URL = "https://www.example.nl/nieuws/123" }, want: true},
		{name: "url other path", query: "storing url:example.nl/nieuws", text: "storing", edit: func(p *post.Post) { p.URL = "https://example.nl/sport/1" }, want: false},
		{name: "links", query: "storing links:example.nl", text: "storing zie https://www.example.nl/x", want: true},
		{name: "links none", query: "storing links:example.nl", text: "storing zie https://other.nl/x", want: false},
		{name: "followers in range", query: "storing authorFollowers:[1000 TO *]", text: "storing", want: true},
		{name: "followers below", query: "storing authorFollowers:[2000 TO *]", text: "storing", want: false},
		{name: "followers upper", query: "storing authorFollowers:[* TO 1500]", text: "storing", want: true},
		{name: "followers closed", query: "storing authorFollowers:[100 TO 1000]", text: "storing", want: false},
		{name: "following", query: "storing authorFollowing:[* TO 50]", text: "storing", edit: func(p *post.Post) { p.Author.Following = 51 }, want: false},
		{name: "following in range", query: "storing authorFollowing:[* TO 50]", text: "storing", edit: func(p *post.Post) { p.Author.Following = 50 }, want: true},
		{name: "reposts", query: "storing reposts:[5 TO 10]", text: "storing", edit: func(p *post.Post) { p.Metrics.Reposts = 7 }, want: true},
		{name: "likes", query: "storing likes:[10 TO *]", text: "storing", edit: func(p *post.Post) { p.Metrics.Likes = 10 }, want: true},
		{name: "verified false", query: "storing authorVerified:true", text: "storing", want: false},
		{name: "verified", query: "storing authorVerified:true", text: "storing", edit: func(p *post.Post) { p.Author.Verified = true }, want: true},
		{name: "unverified", query: "storing authorVerified:false", text: "storing", want: true},
		{name: "kind", query: "storing authorKind:press", text: "storing", edit: func(p *post.Post) { p.Author.Kind = "press" }, want: true},
		{name: "kind other", query: "storing authorKind:press", text: "storing", want: false},
		{name: "kind empty is unknown", query: "storing authorKind:unknown", text: "storing", edit: func(p *post.Post) { p.Author.Kind = "" }, want: true},
		{name: "sentiment", query: "storing sentiment:negative", text: "storing", an: Analysis{Sentiment: "negative"}, want: true},
		{name: "sentiment other", query: "storing sentiment:negative", text: "storing", an: Analysis{Sentiment: "neutral"}, want: false},
		{name: "sentiment unknown", query: "storing sentiment:negative", text: "storing", want: false},
		{name: "category", query: "lek category:data_breach", text: "lek", an: Analysis{Categories: []string{"fraud_scam", "data_breach"}}, want: true},
		{name: "category absent", query: "lek category:data_breach", text: "lek", an: Analysis{Categories: []string{"fraud_scam"}}, want: false},
		{name: "complaint", query: "storing complaint:true", text: "storing", an: Analysis{Complaint: true}, want: true},
		{name: "complaint false", query: "storing complaint:true", text: "storing", want: false},
		{name: "field only", query: "lang:nl authorKind:press", text: "wat dan ook", edit: func(p *post.Post) { p.Author.Kind = "press" }, want: true},
		{name: "field only no", query: "lang:nl authorKind:press", text: "wat dan ook", want: false},
		{name: "field only with NOT", query: "authorKind:press NOT sport", text: "sport", edit: func(p *post.Post) { p.Author.Kind = "press" }, want: false},
		{name: "fields in OR", query: "storing (authorVerified:true OR authorFollowers:[1000 TO *])", text: "storing", want: true},
		{name: "field case insensitive name", query: "storing authorfollowers:[1000 TO *]", text: "storing", want: true},
		{name: "quoted field value", query: `storing author:"anna.bsky.social"`, text: "storing", want: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkMatch(t, c) })
	}
}

// TestMatcherManyMonitors checks that monitors sharing terms, wildcards and the always-evaluated
// list come back sorted and complete from one matcher.
func TestMatcherManyMonitors(t *testing.T) {
	src := map[string]string{
		"b-storing":  "storing",
		"a-bank":     "bank* NOT opgelost",
		"c-phrase":   `"klantenservice ING"`,
		"d-fields":   "lang:nl authorKind:person",
		"e-other":    "outage",
		"f-near":     "ing NEAR/3 storing",
		"g-tag":      "#datalek OR @ingnl",
		"h-negative": "storing NOT bank",
	}
	var ms []Monitor
	for id, s := range src {
		q, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, Monitor{ID: id, Query: q})
	}
	m, err := Compile(ms)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want []string
	}{
		{"storing bij de klantenservice, ING #datalek", []string{"b-storing", "c-phrase", "d-fields", "f-near", "g-tag", "h-negative"}},
		{"banken en storing", []string{"a-bank", "b-storing", "d-fields", "h-negative"}},
		{"bank storing opgelost", []string{"b-storing", "d-fields"}},
		{"niets", []string{"d-fields"}},
	}
	for _, tt := range tests {
		d := NewDoc(testPost(tt.text), Analysis{})
		got := m.Match(d)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: got %v, want %v", tt.text, got, tt.want)
		}
		var want []string
		for _, mon := range ms {
			if mon.Query.Match(d) {
				want = append(want, mon.ID)
			}
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%q: matcher %v, reference %v", tt.text, got, want)
		}
	}
}

func TestCompileRejectsBadMonitors(t *testing.T) {
	q, _ := Parse("storing")
	for name, ms := range map[string][]Monitor{
		"duplicate": {{ID: "a", Query: q}, {ID: "a", Query: q}},
		"empty id":  {{ID: "", Query: q}},
		"nil query": {{ID: "a"}},
	} {
		if _, err := Compile(ms); err == nil {
			t.Errorf("%s: Compile succeeded", name)
		}
	}
}

// TestCandidatesFollowSharedTerms checks the index's choice of keys: 10,000 monitors that share the
// generic words and differ in a brand name make no candidates for a post with only the generic words,
// and one for a post that names one brand.
func TestCandidatesFollowSharedTerms(t *testing.T) {
	var ms []Monitor
	for i := 0; i < 10000; i++ {
		src := fmt.Sprintf(`(merk%d OR "merk%d app") (storing OR outage OR "werkt niet") NOT vacature`, i, i)
		q, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, Monitor{ID: fmt.Sprint(i), Query: q})
	}
	m, err := Compile(ms)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text  string
		cands int
		match []string
	}{
		{"storing en outage, de app werkt niet", 0, nil},
		{"storing bij merk17, de app werkt niet", 1, []string{"17"}},
		{"merk17 en merk42 app: outage", 2, []string{"17", "42"}},
	}
	for _, tt := range tests {
		d := NewDoc(testPost(tt.text), Analysis{})
		s := m.scratch()
		s.next(m)
		s.collect(m, d)
		if len(s.cands) != tt.cands {
			t.Errorf("%q: %d candidates, want %d", tt.text, len(s.cands), tt.cands)
		}
		if got := m.Match(d); !slices.Equal(got, tt.match) {
			t.Errorf("%q: Match = %v, want %v", tt.text, got, tt.match)
		}
	}
}
