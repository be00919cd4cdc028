package analyze

import (
	"sync"
	"testing"
)

// testAnalyzer is built once per test binary: building it parses the embedded lexicons.
var testAnalyzer = sync.OnceValues(New)

func mustAnalyzer(t testing.TB) *Analyzer {
	t.Helper()
	a, err := testAnalyzer()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return a
}

func TestSentimentLabels(t *testing.T) {
	a := mustAnalyzer(t)
	tests := []struct {
		lang, text string
		want       Polarity
	}{
		{"nl", "Wat een geweldige service, top!", Positive},
		{"nl", "Het eten was heerlijk en de bediening vriendelijk", Positive},
		{"nl", "Waardeloos bedrijf, schandalig hoe jullie klanten behandelen", Negative},
		{"nl", "Kutbedrijf, al drie dagen geen internet", Negative},
		{"nl", "Het eten was niet lekker", Negative},
		{"nl", "De service was niet goed", Negative},
		{"nl", "De soep was koud maar het hoofdgerecht was fantastisch", Positive},
		{"nl", "Het personeel was aardig maar het eten was echt vreselijk", Negative},
		{"nl", "Bedankt hoor, weer een uur in de wacht", Negative},
		{"nl", "Lekker dan, trein valt weer uit", Negative},
		{"nl", "Wij zijn morgen gesloten in verband met Pasen", Neutral},
		{"nl", "#fail weer geen bereik", Negative},
		{"nl", "Super blij met mijn nieuwe fiets 😍", Positive},
		{"nl", "Dit is een vreselijke ervaring 😡", Negative},
		{"en", "I love this phone, great battery :)", Positive},
		{"en", "This is the worst airline ever, never again", Negative},
		{"en", "The food was not good", Negative},
		{"en", "The staff was nice but the room was filthy and disgusting", Negative},
		{"en", "Great, another delay. Thanks a lot 🙄", Negative},
		{"en", "Oh great, my flight got cancelled again /s", Negative},
		{"en", "The meeting is at 3pm in room 4", Neutral},
		{"en", "Not bad at all, I really like it", Positive},
		{"en", "VERY happy with the support I got!!!", Positive},
	}
	for _, tt := range tests {
		got := a.Sentiment(tt.text, tt.lang)
		if got.Label != tt.want {
			t.Errorf("Sentiment(%q, %s) = %v (%.2f), want %v", tt.text, tt.lang, got.Label, got.Score, tt.want)
		}
		if got.Score < -1 || got.Score > 1 {
			t.Errorf("Sentiment(%q) score %v outside [-1, 1]", tt.text, got.Score)
		}
	}
}

// The rules must move the lexicon score the way their names say, before the logistic layer.
func TestSentimentRules(t *testing.T) {
	a := mustAnalyzer(t)
	compound := func(lang, s string) float32 {
		sc := &scratch{}
		sc.toks = sc.tz.Tokenize(nil, s)
		a.sentimentFor(lang).lexFeatures(sc.toks, a.symbols, &sc.sent)
		return sc.sent.f[fCompound]
	}
	tests := []struct {
		name, lang, weaker, stronger string
	}{
		{"booster nl", "nl", "het is goed", "het is heel goed"},
		{"booster en", "en", "it is good", "it is extremely good"},
		{"damper nl", "nl", "een beetje goed", "goed"},
		{"damper en", "en", "slightly good", "good"},
		{"caps", "en", "this is good news", "this is GOOD news"},
		{"exclamation", "nl", "top", "top!!!"},
		{"elongation keeps the word", "nl", "het eten", "het eten was goeeed"},
		{"inflection", "nl", "een ervaring", "een vreselijke ervaring"},
	}
	for _, tt := range tests {
		w, s := compound(tt.lang, tt.weaker), compound(tt.lang, tt.stronger)
		if abs32(s) <= abs32(w) {
			t.Errorf("%s: |%q| = %.3f, want more than |%q| = %.3f", tt.name, tt.stronger, s, tt.weaker, w)
		}
	}
	flips := []struct{ lang, plain, negated string }{
		{"nl", "het is goed", "het is niet goed"},
		{"nl", "dat is een goede service", "dat is geen goede service"},
		{"en", "it is good", "it is not good"},
		{"en", "this works great", "this never works great"},
		{"en", "i like it", "i don't like it"},
	}
	for _, tt := range flips {
		p, n := compound(tt.lang, tt.plain), compound(tt.lang, tt.negated)
		if p <= 0 || n >= 0 {
			t.Errorf("negation: %q = %.3f, %q = %.3f; want positive then negative", tt.plain, p, tt.negated, n)
		}
	}
	// Social media phrases VADER lacks: "can't wait" is eager, not a negated neutral word.
	for _, s := range []string{"can't wait to see you", "Can’t wait!!", "cant wait for friday",
		"I cannot wait", "looking forward to the show"} {
		if c := compound("en", s); c <= 0 {
			t.Errorf("%q = %.3f, want positive", s, c)
		}
	}
	// A sentiment word inside a name carries no mood; sentence-initial and title-case texts keep it.
	names := []struct {
		text string
		zero bool
	}{
		{"watching the 3rd season of American Horror Story tonight", true},
		{"Super Eagles coach meets Moses in London", false},
		{"the Super Eagles coach meets Moses in London", true},
		{"Good Friday service at 10", false},
		{"we close on Good Friday", true},
		{"I Love This Song So Much", false},
		{"this horror movie is awful", false},
	}
	for _, tt := range names {
		if c := compound("en", tt.text); (c == 0) != tt.zero {
			t.Errorf("%q = %.3f, want zero %v", tt.text, c, tt.zero)
		}
	}
	// "like" is the verb after a subject or an auxiliary, and a preposition or a filler elsewhere.
	likes := []struct {
		text string
		zero bool
	}{
		{"i like it", false},
		{"you'll like it", false},
		{"we really like the new app", false},
		{"looks like rain again", true},
		{"like how did that happen", true},
		{"waited like 3 hours", true},
	}
	for _, tt := range likes {
		if c := compound("en", tt.text); (c == 0) != tt.zero {
			t.Errorf("%q = %.3f, want zero %v", tt.text, c, tt.zero)
		}
	}
	// Negation reaches three words, not the next clause.
	if c := compound("en", "not the one. great day"); c <= 0 {
		t.Errorf("negation crossed a sentence end: %.3f", c)
	}
}

func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

func TestPolarityText(t *testing.T) {
	for _, p := range []Polarity{Negative, Neutral, Positive} {
		b, err := p.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var q Polarity
		if err := q.UnmarshalText(b); err != nil || q != p {
			t.Errorf("round trip of %v gave %v, %v", p, q, err)
		}
	}
	if _, err := Polarity(7).MarshalText(); err == nil {
		t.Error("MarshalText(7) succeeded")
	}
	var q Polarity
	if err := q.UnmarshalText([]byte("mixed")); err == nil {
		t.Error(`UnmarshalText("mixed") succeeded`)
	}
}

func TestDecideSentiment(t *testing.T) {
	tests := []struct {
		name       string
		prob       [3]float64
		noEvidence bool
		want       Polarity
	}{
		{"clear negative", [3]float64{0.7, 0.2, 0.1}, false, Negative},
		{"weak negative with evidence", [3]float64{0.45, 0.3, 0.25}, false, Negative},
		{"weak negative without evidence reads neutral", [3]float64{0.45, 0.3, 0.25}, true, Neutral},
		{"strong positive without evidence stays", [3]float64{0.1, 0.2, 0.7}, true, Positive},
	}
	for _, tt := range tests {
		got := decideSentiment(tt.prob, tt.noEvidence)
		if got.Label != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got.Label, tt.want)
		}
		if want := tt.prob[Positive] - tt.prob[Negative]; got.Score != want {
			t.Errorf("%s: score %v, want %v", tt.name, got.Score, want)
		}
	}
}

func TestLexiconLookups(t *testing.T) {
	a := mustAnalyzer(t)
	nl, en := a.sentiment["nl"].lex, a.sentiment["en"].lex
	tests := []struct {
		name   string
		lookup func() (lexEntry, bool)
		sign   int // -1 negative, 1 positive, 0 not found
	}{
		{"prefix kut*", func() (lexEntry, bool) { return nl.lookup("kutbedrijf") }, -1},
		{"inflection -e", func() (lexEntry, bool) { return nl.lookup("vreselijke") }, -1},
		{"inflection -ste", func() (lexEntry, bool) { return nl.lookup("slechtste") }, -1},
		{"no inflection for short words", func() (lexEntry, bool) { return nl.lookup("goe") }, 0},
		{"collapsed elongation", func() (lexEntry, bool) { return nl.lookupCollapsed("goeed") }, 1},
		{"hashtag affix", func() (lexEntry, bool) { return en.lookupAffix("happybirthday") }, 1},
		{"hashtag suffix", func() (lexEntry, bool) { return en.lookupAffix("epicfail") }, -1},
		{"no affix in a plain tag", func() (lexEntry, bool) { return en.lookupAffix("amsterdam") }, 0},
	}
	for _, tt := range tests {
		e, ok := tt.lookup()
		got := 0
		if ok && e.val > 0 {
			got = 1
		} else if ok && e.val < 0 {
			got = -1
		}
		if got != tt.sign {
			t.Errorf("%s: found %v with valence %v, want sign %d", tt.name, ok, e.val, tt.sign)
		}
	}
	if e, ok := a.symbols["😡"]; !ok || e >= 0 {
		t.Errorf("😡 has valence %v, %v", e, ok)
	}
	if e, ok := a.symbols[":)"]; !ok || e <= 0 {
		t.Errorf(":) has valence %v, %v", e, ok)
	}
}
