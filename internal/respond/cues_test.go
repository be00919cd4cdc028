package respond

import (
	"strings"
	"testing"
)

// TestLintCues checks the patterns of cues.go one at a time, each with a draft where it must fire (and on
// which text) and one or more where it must not. The drafts carry empathy and a next step where the rule
// under test is another one.
func TestLintCues(t *testing.T) {
	l := newTestLinter(t)
	nl := Options{Lang: LangNL}
	en := Options{Lang: LangEN}
	tests := []struct {
		name  string
		draft string
		opts  Options
		rule  string
		span  string // "" means the rule must not fire
	}{
		// blame: a cause and the party it is put on
		{"cause then people", "De vertraging komt door reizigers die de deuren blokkeerden. Het spijt ons." + goodNL, nl, RuleBlameShifting, "komt door reizigers"},
		{"cause then customers en", "The problems are caused by customers not restarting their routers. Sorry." + goodEN, en, RuleBlameShifting, "caused by customers"},
		{"cause then organisation", "This was due to our courier partner. Sorry." + goodEN, en, RuleBlameShifting, "due to our courier partner"},
		{"dutch compound organisation", "Door een storing bij onze betaaldienstverlener kunt u niet betalen. Sorry." + goodNL, nl, RuleBlameShifting, "Door een storing bij onze betaaldienstverlener"},
		{"own fault names customers later", "Door onze fout kregen klanten een te hoge rekening. Het spijt ons." + goodNL, nl, RuleBlameShifting, ""},
		{"cause with a verb between", "Door een fout zijn gegevens van klanten zichtbaar geweest. Het spijt ons." + goodNL, nl, RuleBlameShifting, ""},
		{"delivered by a partner is no cause", "Your parcel is delivered by our courier partner. Sorry for the wait." + goodEN, en, RuleBlameShifting, ""},
		{"reader should have nl", "Dat had je zelf kunnen zien. Sorry." + goodNL, nl, RuleBlameShifting, "had je zelf kunnen"},
		{"reader could have en", "You could have checked the site. Sorry." + goodEN, en, RuleBlameShifting, "You could have"},
		{"reader needed to is no blame", "Sorry to those of you who needed to pay today." + goodEN, en, RuleBlameShifting, ""},
		{"quoted blame is the customer's", "A customer wrote: “it is always ‘not our fault’ with you”. She is right. Sorry." + goodEN, en, RuleBlameShifting, ""},
		{"quoted blame straight quotes", `U noemt het "niet onze schuld"-cultuur, en terecht. Sorry.` + goodNL, nl, RuleBlameShifting, ""},

		// defensive: criticism called names, conditional regret, justification
		{"criticism dismissed en", "These reports are irresponsible. We understand the worry." + goodEN, en, RuleDefensive, "irresponsible"},
		{"criticism dismissed nl", "De kritiek op onze verpakking vinden we niet terecht. Sorry." + goodNL, nl, RuleDefensive, "niet terecht"},
		{"self-criticism is not defensive", "We were irresponsible and we are sorry." + goodEN, en, RuleDefensive, ""},
		{"conditional offence nl", "Als iemand zich daardoor gekwetst voelt, spijt ons dat." + goodNL, nl, RuleDefensive, "Als iemand zich daardoor gekwetst"},
		{"conditional offence en", "If anyone felt offended, we regret that." + goodEN, en, RuleDefensive, "If anyone felt offended"},
		{"conditional physical harm is care", "If you were hurt in the accident, call us. Sorry." + goodEN, en, RuleDefensive, ""},
		{"out of any context", "Die beelden zijn uit hun verband gerukt. Sorry." + goodNL, nl, RuleDefensive, "uit hun verband"},
		{"emphatic did", "Well, we did tell everyone to come early. Sorry." + goodEN, en, RuleDefensive, "did tell"},

		// emotional: stressed short words in capitals
		{"stressed short word", "We are NOT cancelling the show. Sorry for the confusion." + goodEN, en, RuleEmotional, "NOT"},
		{"short acronym is no shouting", "De NS en KLM helpen reizigers. Sorry." + goodNL, nl, RuleEmotional, ""},
		{"sarcastic sorry", "Sorry you missed your flight, I guess." + goodEN, en, RuleEmotional, "I guess"},

		// overpromise: brushing worry off
		{"brush-off nl", "Maak je geen zorgen: alles werkt weer." + goodNL, nl, RuleOverpromise, "geen zorgen"},
		{"brush-off en", "Don't worry, your data is fine." + goodEN, en, RuleOverpromise, "Don't worry"},

		// speculation
		{"looks like", "It looks like an electrical fault. Sorry." + goodEN, en, RuleSpeculation, "looks like"},
		{"opinion about people is no guess", "We think people are reading too much into it. Sorry." + goodEN, en, RuleSpeculation, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := l.Lint(tc.draft, tc.opts)
			var got []string
			for _, f := range res.Findings {
				if f.Rule == tc.rule {
					got = append(got, tc.draft[f.Start:f.End])
				}
			}
			if tc.span == "" {
				if len(got) > 0 {
					t.Fatalf("%s fired on %q", tc.rule, got)
				}
				return
			}
			for _, g := range got {
				if g == tc.span {
					return
				}
			}
			t.Fatalf("%s: got spans %q, want %q", tc.rule, got, tc.span)
		})
	}
}

// TestEmpathyAndNextStepCues checks what counts as empathy and as a next step, through the two rules about
// what is missing.
func TestEmpathyAndNextStepCues(t *testing.T) {
	l := newTestLinter(t)
	tests := []struct {
		name                  string
		draft                 string
		lang                  Lang
		noEmpathy, noNextStep bool
	}{
		{"brush-off is no empathy", "Maak je geen zorgen: onze producten zijn veilig. We zoeken het uit.", LangNL, true, false},
		{"sarcasm after sorry is no empathy", "Sorry you missed your flight, I guess. You can rebook at the desk.", LangEN, true, false},
		{"eye-roll before an apology leaves it", "De scanners waren te traag 🙄 Sorry aan iedereen die wachtte. Morgen openen we eerder.", LangNL, false, false},
		{"grief is acknowledged", "One of our giraffes died last night. We know many of you loved her.", LangEN, false, true},
		{"deadline weekday", "Sorry. We're reviewing it and will publish a report by Friday.", LangEN, false, false},
		{"deadline date nl", "Het spijt ons. Het bedrag staat uiterlijk vrijdag 28 november op uw rekening.", LangNL, false, false},
		{"for is no deadline", "Het spijt ons voor 12 klanten.", LangNL, false, true},
		{"within days", "Sorry. We expect to reopen within a couple of days.", LangEN, false, false},
		{"negated future is no step", "Sorry. This will never happen again.", LangEN, false, true},
		{"instruction", "Sorry for the delays; take bus 14 instead.", LangEN, false, false},
		{"instruction nl", "Sorry voor het ongemak; neem je ledenpas mee naar de Haagweg.", LangNL, false, false},
		{"brush-off instruction is no step", "Vervelend. Lees eerst even voordat je gaat klagen.", LangNL, false, true},
		{"work in progress", "Sorry. We're reviewing how posts are approved.", LangEN, false, false},
		{"seeing is no work", "Sorry. We are seeing reports of problems.", LangEN, false, true},
		{"this week past", "Sorry for what happened earlier this week.", LangEN, false, true},
		{"plain sympathy only", "Onze gedachten zijn bij de familie.", LangNL, false, true},
		{"dutch work next to we", "Het spijt ons. Reserveringen verplaatsen wij kosteloos.", LangNL, false, false},
		{"dutch perfect is done, not to do", "Het spijt ons. Wij hebben de beelden gezien.", LangNL, false, true},
		{"dutch negated work", "Het spijt ons. Daarom doen wij geen mededelingen.", LangNL, false, true},
		{"dutch state of mind is no work", "Wij begrijpen uw boosheid en betreuren het.", LangNL, false, true},
		{"hour on its own", "Sorry for the wait. Doors open at 10.", LangEN, false, false},
		{"a count is no hour", "Sorry. It happened at 10 stores.", LangEN, false, true},
		{"next time", "Sorry. Next time we will think first.", LangEN, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := l.Lint(tc.draft, Options{Lang: tc.lang})
			var noEmpathy, noNext bool
			var rules []string
			for _, f := range res.Findings {
				rules = append(rules, f.Rule)
				noEmpathy = noEmpathy || f.Rule == RuleNoEmpathy
				noNext = noNext || f.Rule == RuleNoNextStep
			}
			if noEmpathy != tc.noEmpathy || noNext != tc.noNextStep {
				t.Fatalf("no_empathy %v, no_next_step %v (findings %s), want %v, %v", noEmpathy, noNext,
					strings.Join(rules, ","), tc.noEmpathy, tc.noNextStep)
			}
		})
	}
}

func TestAnyWordSlotMustStandBetweenWords(t *testing.T) {
	for _, bad := range []string{"* verband", "uit *", "*"} {
		if _, err := NewLinter(Rules{Forbidden: []Term{{Word: bad}}}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	l, err := NewLinter(Rules{Forbidden: []Term{{Word: "root * analysis"}}})
	if err != nil {
		t.Fatal(err)
	}
	res := l.Lint("The root cause analysis is done.", Options{Lang: LangEN})
	for _, f := range res.Findings {
		if f.Rule == RuleForbiddenWord && f.Start == 4 && f.End == 23 {
			return
		}
	}
	t.Fatalf("findings %+v, want forbidden_word on “root cause analysis”", res.Findings)
}

// FuzzLinterTerms feeds arbitrary plan words, with the * forms, to NewLinter: it must either refuse the
// word with an error or lint with it without going out of bounds.
func FuzzLinterTerms(f *testing.F) {
	for _, w := range []string{"root * analysis", "crisis*", "* x", "x *", "*", "a * * b", "we'll *", "„x”", ""} {
		f.Add(w, "De root cause analysis van de crisis is klaar. We'll see.")
	}
	f.Fuzz(func(t *testing.T, word, draft string) {
		l, err := NewLinter(Rules{Forbidden: []Term{{Word: word}}, Jargon: []Term{{Word: word + " *  x"}}})
		if err != nil {
			return
		}
		res := l.Lint(draft, Options{Lang: LangNL})
		checkSpans(t, draft, res.Findings)
	})
}
