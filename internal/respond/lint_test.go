package respond

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/crisisdesk/crisisdesk/internal/text"
)

func newTestLinter(t testing.TB) *Linter {
	t.Helper()
	l, err := NewLinter(Rules{
		Forbidden: []Term{{Word: "incident", Instead: "storing"}, {Word: "crisis*"}},
		Jargon:    []Term{{Word: "stakeholder*"}, {Word: "root cause", Instead: "cause"}},
		Acronyms:  []string{"ANWB", "NIVEAU"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// good statements carry empathy and a next step, so only the rule under test fires.
const (
	goodEN = " We are sorry for the trouble. Update at 15:00 on example.com/status."
	goodNL = " Het spijt ons. Om 15.00 uur volgt een update op voorbeeld.nl/status."
)

func TestLintRules(t *testing.T) {
	l := newTestLinter(t)
	type want struct {
		rule, span string
		sev        Severity
	}
	tests := []struct {
		name  string
		draft string
		opts  Options
		want  []want
	}{
		{"clean en", "We know the app is down." + goodEN, Options{Lang: LangEN}, nil},
		{"clean nl", "We weten dat de app plat ligt." + goodNL, Options{Lang: LangNL}, nil},
		{"overpromise en", "We guarantee it is fixed." + goodEN, Options{Lang: LangEN}, []want{{RuleOverpromise, "guarantee", SeverityError}}},
		{"overpromise contraction", "This won't happen again." + goodEN, Options{Lang: LangEN}, []want{{RuleOverpromise, "won't happen again", SeverityError}}},
		{"overpromise nl diacritics and case", "Dit gebeurt NOOIT meer." + goodNL, Options{Lang: LangNL}, []want{{RuleOverpromise, "NOOIT meer", SeverityError}, {RuleEmotional, "NOOIT", SeverityWarning}}},
		{"a denied guarantee is honest en", "We cannot guarantee it yet." + goodEN, Options{Lang: LangEN}, nil},
		{"a denied guarantee is honest en clitic", "We can't guarantee that." + goodEN, Options{Lang: LangEN}, nil},
		{"a denied guarantee is honest nl", "Wij kunnen nog niet garanderen dat alles werkt." + goodNL, Options{Lang: LangNL}, nil},
		{"negation in the sentence before does not count", "Het is niet fijn. Wij garanderen herstel." + goodNL, Options{Lang: LangNL}, []want{{RuleOverpromise, "garanderen", SeverityError}}},
		{"overpromise percent", "Uw data is 100% veilig." + goodNL, Options{Lang: LangNL}, []want{{RuleOverpromise, "100%", SeverityError}}},
		{"blame en negation clitic", "It isn't our fault." + goodEN, Options{Lang: LangEN}, []want{{RuleBlameShifting, "n't our fault", SeverityError}}},
		{"blame nl", "Het kwam door een externe partij." + goodNL, Options{Lang: LangNL}, []want{{RuleBlameShifting, "door een externe partij", SeverityError}}},
		{"defensive", "The reports are taken out of context." + goodEN, Options{Lang: LangEN}, []want{{RuleDefensive, "out of context", SeverityWarning}}},
		{"emotional caps run", "WE ARE WORKING ON IT." + goodEN, Options{Lang: LangEN}, []want{{RuleEmotional, "WE ARE WORKING ON IT", SeverityWarning}}},
		{"acronym is not shouting", "De ANWB en KPN helpen." + goodNL, Options{Lang: LangNL}, nil},
		{"plan acronym in a run", "NIVEAU ANWB." + goodNL, Options{Lang: LangNL}, nil},
		{"emotional bangs", "We hear you!!!" + goodEN, Options{Lang: LangEN}, []want{{RuleEmotional, "!!!", SeverityWarning}}},
		{"emotional word", "Wat een onzin." + goodNL, Options{Lang: LangNL}, []want{{RuleEmotional, "onzin", SeverityWarning}}},
		{"emotional emoji", "Fixed now 🙄" + goodEN, Options{Lang: LangEN}, []want{{RuleEmotional, "🙄", SeverityWarning}}},
		{"speculation", "It was probably a hack." + goodEN, Options{Lang: LangEN}, []want{{RuleSpeculation, "probably", SeverityWarning}}},
		{"speculation framed", "We do not know the cause yet; it may have been a hack, possibly." + goodEN, Options{Lang: LangEN}, nil},
		{"speculation framed next sentence", "Het komt waarschijnlijk door een update. Dat is nog niet bevestigd." + goodNL, Options{Lang: LangNL}, nil},
		{"speculation nl", "Wij denken dat het een hack was." + goodNL, Options{Lang: LangNL}, []want{{RuleSpeculation, "Wij denken dat", SeverityWarning}}},
		{"forbidden with instead", "Er is een Incident." + goodNL, Options{Lang: LangNL}, []want{{RuleForbiddenWord, "Incident", SeverityError}}},
		{"forbidden prefix", "Our crisisteam is on it." + goodEN, Options{Lang: LangEN}, []want{{RuleForbiddenWord, "crisisteam", SeverityError}}},
		{"jargon phrase", "The root cause is known." + goodEN, Options{Lang: LangEN}, []want{{RuleJargon, "root cause", SeverityWarning}}},
		{"formality mixed", "Heeft u vragen? Stuur je bericht." + goodNL, Options{Lang: LangNL}, []want{{RuleFormality, "je", SeverityWarning}}},
		{"formality plan u", "Stuur je bericht." + goodNL, Options{Lang: LangNL, Form: FormU}, []want{{RuleFormality, "je", SeverityWarning}}},
		{"formality plan jij", "Stuur uw bericht." + goodNL, Options{Lang: LangNL, Form: FormJij}, []want{{RuleFormality, "uw", SeverityWarning}}},
		{"formality not in english", "Send us your message, u know." + goodEN, Options{Lang: LangEN, Form: FormJij}, nil},
		{"no empathy", "The app is down. Update at 15:00.", Options{Lang: LangEN}, []want{{RuleNoEmpathy, "The app is down. Update at 15:00.", SeverityError}}},
		{"preventable without apology", "We understand this is annoying. Update at 15:00.", Options{Lang: LangEN, Preventable: true},
			[]want{{RuleNoEmpathy, "We understand this is annoying. Update at 15:00.", SeverityError}}},
		{"preventable with apology", "We apologise. Update at 15:00.", Options{Lang: LangEN, Preventable: true}, nil},
		{"no next step", "  Het spijt ons.  ", Options{Lang: LangNL}, []want{{RuleNoNextStep, "Het spijt ons.", SeverityWarning}}},
		{"phone is a next step", "Sorry. 020-1234567", Options{Lang: LangNL}, nil},
		{"too long", "Sorry, update at 15:00. " + strings.Repeat("x", 280), Options{Lang: LangEN, Platform: X}, []want{{RuleTooLong, strings.Repeat("x", 24), SeverityError}}},
		{"no phrase across a line break", "It is not\nour fault." + goodEN, Options{Lang: LangEN}, nil},
		{"empty draft", "", Options{Lang: LangEN}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := l.Lint(tt.draft, tt.opts)
			if len(res.Findings) != len(tt.want) {
				t.Fatalf("findings %+v, want %d", res.Findings, len(tt.want))
			}
			okWant := true
			for k, w := range tt.want {
				f := res.Findings[k]
				got := tt.draft[f.Start:f.End]
				if f.Rule != w.rule || f.Severity != w.sev || (w.rule != RuleTooLong && got != w.span) {
					t.Errorf("finding %d = %s/%s %q, want %s/%s %q", k, f.Rule, f.Severity, got, w.rule, w.sev, w.span)
				}
				if w.rule == RuleTooLong && !strings.HasSuffix(tt.draft, got) {
					t.Errorf("too_long span %q is not the end of the draft", got)
				}
				if f.Message == "" || f.Suggestion == "" || strings.Contains(f.Message+f.Suggestion, "%!") {
					t.Errorf("finding %d has a bad text: %q / %q", k, f.Message, f.Suggestion)
				}
				if w.sev == SeverityError {
					okWant = false
				}
			}
			if res.OK != okWant {
				t.Errorf("OK = %v, want %v", res.OK, okWant)
			}
		})
	}
}

func TestLintMessagesFollowTheLanguage(t *testing.T) {
	l := newTestLinter(t)
	nl := l.Lint("Wij garanderen het."+goodNL, Options{Lang: LangNL})
	en := l.Lint("We guarantee it."+goodEN, Options{Lang: LangEN})
	if len(nl.Findings) != 1 || len(en.Findings) != 1 {
		t.Fatalf("want one finding each, got %+v and %+v", nl.Findings, en.Findings)
	}
	if nl.Findings[0].Message == en.Findings[0].Message {
		t.Fatal("Dutch and English findings have the same message")
	}
	if !strings.Contains(nl.Findings[0].Message, "belooft") || !strings.Contains(en.Findings[0].Message, "promises") {
		t.Errorf("messages in the wrong language: %q / %q", nl.Findings[0].Message, en.Findings[0].Message)
	}
}

func TestMessageTablesMatch(t *testing.T) {
	for key := range messagesEN.lint {
		if _, ok := messagesNL.lint[key]; !ok {
			t.Errorf("lint message %q has no Dutch text", key)
		}
	}
	for key := range messagesNL.lint {
		if _, ok := messagesEN.lint[key]; !ok {
			t.Errorf("lint message %q has no English text", key)
		}
	}
	for _, r := range RuleNames() {
		if severities[r] == "" {
			t.Errorf("rule %s has no severity", r)
		}
	}
	if len(messagesEN.consistency) != len(messagesNL.consistency) || len(messagesEN.render) != len(messagesNL.render) ||
		len(messagesEN.factKinds) != len(messagesNL.factKinds) || len(messagesEN.units) != len(messagesNL.units) {
		t.Error("the Dutch and English tables differ in size")
	}
}

func TestNewLinterRejectsEmptyTerms(t *testing.T) {
	for _, r := range []Rules{
		{Forbidden: []Term{{Word: " "}}},
		{Jargon: []Term{{Word: "..."}}},
		{Form: "gij"},
	} {
		if _, err := NewLinter(r); err == nil {
			t.Errorf("NewLinter(%+v) should fail", r)
		}
	}
}

func TestLintVariantCountsEachPost(t *testing.T) {
	l := newTestLinter(t)
	long := strings.Repeat("We are sorry for the outage and we are working on it. ", 10) + "Update at 15:00."
	v := Compose(long, []Platform{X}, nil)[0]
	if len(v.Parts) < 2 {
		t.Fatalf("want a thread, got %d parts", len(v.Parts))
	}
	if res := l.LintVariant(v, Options{Lang: LangEN}); !res.OK || res.Length.Over() {
		t.Errorf("a thread whose posts fit is reported as %+v", res)
	}
	if res := l.Lint(long, Options{Lang: LangEN, Platform: X}); res.OK {
		t.Error("the same text as one post should be too long")
	}
	li := Compose(strings.Repeat("Sorry, update at 15:00. ", 200), []Platform{LinkedIn}, nil)[0]
	if res := l.LintVariant(li, Options{Lang: LangEN}); res.OK {
		t.Error("LinkedIn has no threads, so an over-long post must be an error")
	}
}

// checkSpans is what the fuzz target asserts on every finding.
func checkSpans(t *testing.T, s string, fs []Finding) {
	t.Helper()
	// Boundaries are where decoding steps, so a stray continuation byte in invalid input is a rune of
	// its own.
	boundary := make([]bool, len(s)+1)
	for i := 0; i < len(s); {
		boundary[i] = true
		_, sz := utf8.DecodeRuneInString(s[i:])
		i += sz
	}
	boundary[len(s)] = true
	for _, f := range fs {
		if f.Start < 0 || f.End > len(s) || f.Start > f.End {
			t.Fatalf("finding %+v out of bounds for %d bytes", f, len(s))
		}
		if !boundary[f.Start] || !boundary[f.End] {
			t.Fatalf("finding %+v is not on UTF-8 boundaries", f)
		}
		if f.Message == "" || f.Suggestion == "" {
			t.Fatalf("finding %+v lacks text", f)
		}
	}
}

func FuzzLint(f *testing.F) {
	for _, s := range []string{
		"", "We guarantee it!!! NOT OUR FAULT 🙄", "Wij garanderen dat u en je … 100% veilig",
		"é\u0301\u0301 👩‍👩‍👧‍👦 🇳🇱 https://e.nl/x " + strings.Repeat("ä", 300), "\xff\xfe{{x}}",
		"“not our fault” „niet onze schuld” \"half «open", "Door onze betaaldienstverlener. We'll do it at 10",
		"Als iemand zich gekwetst voelt: uiterlijk vóór 28 november. NOT STOP", "wij sturen; hebben wij; doen wij geen",
	} {
		f.Add(s, "x", "nl", "u", true)
		f.Add(s, "bluesky", "en", "", false)
	}
	l := newTestLinter(f)
	f.Fuzz(func(t *testing.T, s, platform, lang, form string, preventable bool) {
		o := Options{Platform: Platform(platform), Lang: Lang(lang), Form: Form(form), Preventable: preventable}
		res := l.Lint(s, o)
		checkSpans(t, s, res.Findings)
		if res.Length.Used < 0 {
			t.Fatalf("negative length %+v", res.Length)
		}
		ok := true
		for _, f := range res.Findings {
			if f.Severity == SeverityError {
				ok = false
			}
		}
		if ok != res.OK {
			t.Fatalf("OK = %v with findings %+v", res.OK, res.Findings)
		}
	})
}

func FuzzRender(f *testing.F) {
	for _, s := range []string{"", "{{issue}}", "{{ issue }} {{x", "{{{{a}}}}", "}}{{", "{{a\nb}}", "{{é}}", "x{{next_update}}y"} {
		f.Add(s, "waarde {{issue}}")
	}
	f.Fuzz(func(t *testing.T, tmpl, value string) {
		vars := map[string]string{"issue": value, "a": value}
		got, ws := Render(tmpl, vars, LangEN)
		for _, w := range ws {
			if w.Start < 0 || w.End > len(got) || w.Start >= w.End {
				t.Fatalf("warning %+v out of bounds of %q", w, got)
			}
			if ph := got[w.Start:w.End]; !strings.HasPrefix(ph, "{{") {
				t.Fatalf("warning %+v points at %q, not a placeholder", w, ph)
			}
		}
		// With no values, rendering gives back the template unchanged: nothing is ever dropped.
		if same, _ := Render(tmpl, nil, LangNL); same != tmpl {
			t.Fatalf("Render without values changed %q into %q", tmpl, same)
		}
	})
}

func FuzzSplit(f *testing.F) {
	f.Add(longStatement, "x")
	f.Add(strings.Repeat("👩‍👩‍👧‍👦 ", 200), "bluesky")
	f.Add(strings.Repeat("https://example.com/"+strings.Repeat("a", 40)+" ", 30), "mastodon")
	f.Fuzz(func(t *testing.T, s, platform string) {
		p := Platform(platform)
		if _, err := ParsePlatform(platform); err != nil {
			p = X
		}
		parts := Split(p, s)
		if len(parts) == 0 {
			t.Fatal("no parts")
		}
		for k, part := range parts {
			l := Count(p, part)
			if !l.Over() || !p.HasThreads() || len(parts) == 1 {
				continue
			}
			// Only a single unit bigger than a post (a long URL where URLs are not shortened) may
			// overflow, alone in its post; anything else must fit.
			body := strings.TrimSuffix(part, " "+strconv.Itoa(k+1)+"/"+strconv.Itoa(len(parts)))
			toks := text.Tokenize(body)
			if len(toks) != 1 || toks[0].Kind != text.URL || toks[0].Start != 0 || toks[0].End != len(body) {
				t.Fatalf("part %d over the limit (%+v): %q", k+1, l, part)
			}
		}
	})
}

func FuzzExtractFacts(f *testing.F) {
	for _, s := range []string{"Om 14.00 uur op 21 november 2026, bel +31 20 123 4567 of mail a@b.nl", "1.000,50 and 12,5% at 2 pm, June 3rd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		last := -1
		for _, fa := range ExtractFacts(s) {
			if fa.Start < 0 || fa.End > len(s) || fa.Start >= fa.End || s[fa.Start:fa.End] != fa.Text || fa.Value == "" {
				t.Fatalf("bad fact %+v", fa)
			}
			if fa.Start < last {
				t.Fatalf("facts out of order or overlapping at %+v", fa)
			}
			last = fa.End
		}
	})
}

func BenchmarkLint3000(b *testing.B) {
	l := newTestLinter(b)
	para := "Wij weten dat veel klanten sinds 09.15 uur niet kunnen inloggen. Het spijt ons en we begrijpen uw zorgen. " +
		"De oorzaak is waarschijnlijk een update; dat weten we nog niet zeker. Wij garanderen niets. Kijk op voorbeeld.nl/status. "
	s := strings.Repeat(para, 3000/len(para)+1)[:3000]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		l.Lint(s, Options{Platform: LinkedIn, Lang: LangNL, Form: FormU})
	}
}

// BenchmarkTokenize3000 is the floor under BenchmarkLint3000: the linter tokenizes the draft once for the
// rules and once more to count its length.
func BenchmarkTokenize3000(b *testing.B) {
	para := "Wij weten dat veel klanten sinds 09.15 uur niet kunnen inloggen. Het spijt ons en we begrijpen uw zorgen. " +
		"De oorzaak is waarschijnlijk een update; dat weten we nog niet zeker. Wij garanderen niets. Kijk op voorbeeld.nl/status. "
	s := strings.Repeat(para, 3000/len(para)+1)[:3000]
	var tz text.Tokenizer
	var toks []text.Token
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		toks = tz.Tokenize(toks[:0], s)
	}
}

func TestLinterIsSafeForConcurrentUse(t *testing.T) {
	l := newTestLinter(t)
	drafts := []string{"Wij garanderen het!!! Het spijt ons, update om 15.00 uur.", "It isn't our fault. Sorry. Update at 15:00.", longStatement}
	want := make([]Result, len(drafts))
	for k, d := range drafts {
		want[k] = l.Lint(d, Options{Platform: X, Lang: LangNL})
	}
	done := make(chan bool)
	for w := 0; w < 4; w++ {
		go func() {
			ok := true
			for i := 0; i < 50; i++ {
				k := i % len(drafts)
				if got := l.Lint(drafts[k], Options{Platform: X, Lang: LangNL}); len(got.Findings) != len(want[k].Findings) || got.Length != want[k].Length {
					ok = false
				}
			}
			done <- ok
		}()
	}
	for w := 0; w < 4; w++ {
		if !<-done {
			t.Error("concurrent Lint gave a different result")
		}
	}
}
