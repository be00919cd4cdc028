package analyze

import (
	"slices"
	"testing"
)

func TestCategories(t *testing.T) {
	a := mustAnalyzer(t)
	tests := []struct {
		text string
		want []Category // nil: no category at all
	}{
		// data_breach
		{"Groot datalek bij de gemeente: gegevens van 10.000 inwoners op straat", []Category{DataBreach}},
		{"Hackers hebben klantgegevens buitgemaakt bij de webshop", []Category{DataBreach}},
		{"Customer passwords were leaked after the breach", []Category{DataBreach}},
		{"Is my data safe? Your database got hacked according to the news", []Category{DataBreach}},
		{"#DataLek bij de zorgverzekeraar", []Category{DataBreach}},
		{"Best life hack ever: freeze your grapes", nil},
		{"Die taart was echt lekker, lekker bezig!", nil},
		{"Lekke band op weg naar huis, balen", nil},
		{"My account got hacked lol, new phone who dis", nil},
		// product_safety
		{"Terugroepactie: pindakaas kan stukjes glas bevatten", []Category{ProductSafety}},
		{"Found a piece of glass in my salad from your store", []Category{ProductSafety}},
		{"De accu van mijn e-bike is ontploft in de gang", []Category{ProductSafety}},
		{"Hele gezin ziek na het eten van jullie kip, voedselvergiftiging?", []Category{ProductSafety}},
		{"Recall: this model of car seat has a safety defect", []Category{ProductSafety}},
		{"I can't recall the last time I enjoyed a burger this much", nil},
		{"This album is fire 🔥", nil},
		{"Het glas was leeg, nog een biertje graag", nil},
		{"A meteor exploded over Russia this morning", nil},
		{"Brand in de fabriek, vlam gevat in de opslag", nil},
		{"De powerbank vatte vlam in mijn tas", []Category{ProductSafety}},
		// service_outage
		{"Storing bij KPN: geen internet in heel Utrecht", []Category{ServiceOutage}},
		{"Internetbankieren werkt niet, kan niet inloggen", []Category{ServiceOutage}},
		{"Is the app down for anyone else? Servers down again", []Category{ServiceOutage}},
		{"Your website is not working, checkout crashes every time", []Category{ServiceOutage}},
		{"Mijn oude fiets werkt niet meer zo lekker", nil},
		{"Shares are down 3% today", nil},
		{"Settle down for a cozy evening", nil},
		{"Media blackout on the floods, says the opposition", nil},
		{"Can offline mode be used in the app?", nil},
		// employee_conduct
		{"Jullie chauffeur schold mijn moeder uit bij de halte", []Category{EmployeeConduct}},
		{"The cashier was so rude and yelled at my kid", []Category{EmployeeConduct}},
		{"Beschuldigingen van grensoverschrijdend gedrag tegen de directeur", []Category{EmployeeConduct}},
		{"The driver was lovely and helped me with my bags", nil},
		{"Onze medewerkers staan voor u klaar", nil},
		// discrimination
		{"Dit is pure discriminatie, ik werd geweigerd vanwege mijn hoofddoek", []Category{Discrimination}},
		{"Racist remarks from your staff, unbelievable", []Category{EmployeeConduct, Discrimination}},
		{"Refused entry because of my wheelchair", []Category{Discrimination}},
		{"They refused my return because the receipt was missing", nil},
		// fraud_scam
		{"Pas op: phishingmail uit naam van de bank", []Category{FraudScam}},
		{"I got scammed by a fake webshop using your logo", []Category{FraudScam}},
		{"Ik ben opgelicht via Marktplaats", []Category{FraudScam}},
		{"Scampi met knoflook, heerlijk", nil},
		// legal_regulatory
		{"De ACM legt een boete op van 5 miljoen euro", []Category{LegalRegulatory}},
		{"Class action lawsuit filed against the airline", []Category{LegalRegulatory}},
		{"Ik doe aangifte tegen dit bedrijf", []Category{LegalRegulatory}},
		{"I'm fine, thanks for asking", nil},
		{"Weer een parkeerboete, jammer", nil},
		{"Police probe motive after the shooting", nil},
		{"Penalty for Ajax in the last minute, the judge was right", nil},
		// boycott
		{"Iedereen: boycot deze supermarkt!", []Category{Boycott}},
		{"#BoycottNike trending again", []Category{Boycott}},
		{"Never buying from them again, stop buying their stuff", []Category{Boycott}},
		{"Ik koop nooit meer bij jullie", nil},
		{"Never buying from you again", nil},
		{"Koop niet bij deze webshop, ze leveren nooit", []Category{Boycott}},
		// several at once
		{"Datalek én storing: klantgegevens gelekt en de app ligt eruit", []Category{DataBreach, ServiceOutage}},
		// nothing
		{"", nil},
		{"Goedemorgen allemaal, fijne dag!", nil},
	}
	for _, tt := range tests {
		got := a.AnnotateText("t", tt.text, "")
		want := tt.want
		if want == nil {
			want = []Category{}
		}
		if !slices.Equal(got.Categories, want) {
			t.Errorf("categories of %q = %v, want %v (evidence %v)", tt.text, got.Categories, want, got.Evidence)
			continue
		}
		for _, c := range got.Categories {
			if len(got.Evidence[c]) == 0 {
				t.Errorf("%q: category %s has no evidence", tt.text, c)
			}
		}
		if len(got.Categories) == 0 && got.Evidence != nil {
			t.Errorf("%q: evidence %v without a category", tt.text, got.Evidence)
		}
	}
}

func TestCategoryEvidenceIsInput(t *testing.T) {
	a := mustAnalyzer(t)
	s := "Groot DATALEK bij @bank: klantgegevens gelekt"
	got := a.AnnotateText("t", s, "nl")
	ev := got.Evidence[DataBreach]
	if len(ev) == 0 {
		t.Fatalf("no evidence in %+v", got)
	}
	if ev[0] != "DATALEK" {
		t.Errorf("evidence %q, want the original spelling DATALEK", ev[0])
	}
}

func TestCategoryInfosComplete(t *testing.T) {
	for _, c := range Categories {
		info, ok := CategoryInfos[c]
		if !ok || info.NameNL == "" || info.NameEN == "" || info.DescNL == "" || info.DescEN == "" {
			t.Errorf("category %s lacks Dutch or English text: %+v", c, info)
		}
	}
	for _, r := range categoryRuleTable {
		if _, ok := CategoryInfos[r.cat]; !ok {
			t.Errorf("rule for unknown category %q", r.cat)
		}
	}
}

func TestPatternWords(t *testing.T) {
	tests := []struct {
		in     string
		words  []string
		prefix []bool
	}{
		{"datalek*", []string{"datalek"}, []bool{true}},
		{"can't log in", []string{"can", "not", "log", "in"}, []bool{false, false, false, false}},
		{"e-mailadres*", []string{"e", "-", "mailadres"}, []bool{false, false, true}},
		{"Café", []string{"cafe"}, []bool{false}},
	}
	for _, tt := range tests {
		w, p := patternWords(tt.in)
		if !slices.Equal(w, tt.words) || !slices.Equal(p, tt.prefix) {
			t.Errorf("patternWords(%q) = %q %v, want %q %v", tt.in, w, p, tt.words, tt.prefix)
		}
	}
	// Every rule word must survive tokenizing: an empty pattern, or one that starts with the number
	// wildcard, would never match.
	for _, r := range append(append([]categoryRule{}, complaintCueTable...), categoryRuleTable...) {
		for _, g := range r.groups {
			for _, p := range g {
				if w, _ := patternWords(p); len(w) == 0 || w[0] == numberWord {
					t.Errorf("pattern %q of %s can never match", p, r.cat)
				}
			}
		}
	}
	if w, _ := patternWords("al <n> dagen"); !slices.Equal(w, []string{"al", numberWord, "dagen"}) {
		t.Errorf("number wildcard: %q", w)
	}
}
