package incident

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/respond"
)

// TestAdviseDecisionTable covers every crisis type, so every cluster, with every combination of
// intensifiers.
func TestAdviseDecisionTable(t *testing.T) {
	none, hist, rep := []string{}, []string{IntensifierHistory}, []string{IntensifierReputation}
	both := []string{IntensifierHistory, IntensifierReputation}
	combos := []struct {
		name string
		ins  []string
	}{{"none", none}, {"history", hist}, {"reputation", rep}, {"both", both}}
	// want[type] gives cluster and posture without, then with intensifiers.
	type outcome struct {
		base            Cluster
		plain, raised   Cluster
		plainP, raisedP string
	}
	want := map[string]outcome{
		TypeRumour:                    {ClusterVictim, ClusterVictim, ClusterAccidental, PostureDeny, PostureDeny},
		TypeNaturalDisaster:           {ClusterVictim, ClusterVictim, ClusterAccidental, PostureBase, PostureDiminish},
		TypeProductTampering:          {ClusterVictim, ClusterVictim, ClusterAccidental, PostureBase, PostureDiminish},
		TypeWorkplaceViolence:         {ClusterVictim, ClusterVictim, ClusterAccidental, PostureBase, PostureDiminish},
		TypeChallenge:                 {ClusterAccidental, ClusterAccidental, ClusterPreventable, PostureDeny, PostureRebuild},
		TypeTechnicalErrorAccident:    {ClusterAccidental, ClusterAccidental, ClusterPreventable, PostureDiminish, PostureRebuild},
		TypeTechnicalErrorProductHarm: {ClusterAccidental, ClusterAccidental, ClusterPreventable, PostureDiminish, PostureRebuild},
		TypeHumanErrorAccident:        {ClusterPreventable, ClusterPreventable, ClusterPreventable, PostureRebuild, PostureRebuild},
		TypeHumanErrorProductHarm:     {ClusterPreventable, ClusterPreventable, ClusterPreventable, PostureRebuild, PostureRebuild},
		TypeOrganisationalMisdeed:     {ClusterPreventable, ClusterPreventable, ClusterPreventable, PostureRebuild, PostureRebuild},
	}
	if len(want) != len(CrisisTypes()) {
		t.Fatalf("the table covers %d crisis types, there are %d", len(want), len(CrisisTypes()))
	}
	postureTactics := map[string][]string{
		PostureBase: nil, PostureDeny: {TacticDenial, TacticCorrection},
		PostureDiminish: {TacticExcuse, TacticJustify}, PostureRebuild: {TacticApology, TacticCompensate},
	}
	postureKind := map[string]string{
		PostureBase: respond.KindUpdate, PostureDeny: respond.KindCorrection,
		PostureDiminish: respond.KindAcknowledgement, PostureRebuild: respond.KindApology,
	}
	for _, typ := range CrisisTypes() {
		for _, combo := range combos {
			t.Run(typ+"/"+combo.name, func(t *testing.T) {
				a, err := Advise(typ, combo.ins)
				if err != nil {
					t.Fatalf("Advise: %v", err)
				}
				w := want[typ]
				cluster, posture := w.plain, w.plainP
				if len(combo.ins) > 0 {
					cluster, posture = w.raised, w.raisedP
				}
				if a.Base != w.base || a.Cluster != cluster || a.Posture != posture {
					t.Errorf("base %v cluster %v posture %s, want %v %v %s", a.Base, a.Cluster, a.Posture, w.base, cluster, posture)
				}
				if !slices.Equal(a.Tactics[:2], []string{TacticInstructing, TacticAdjusting}) {
					t.Errorf("tactics %v do not start with instructing and adjusting information", a.Tactics)
				}
				if got := a.Tactics[2:]; !slices.Equal(got, postureTactics[posture]) {
					t.Errorf("tactics after the base = %v, want %v", got, postureTactics[posture])
				}
				denies := slices.Contains(a.Tactics, TacticDenial)
				mixes := slices.ContainsFunc(a.Tactics, func(x string) bool {
					return slices.Contains([]string{TacticExcuse, TacticJustify, TacticApology, TacticCompensate}, x)
				})
				if denies && mixes {
					t.Errorf("tactics %v mix deny with diminish or rebuild", a.Tactics)
				}
				if denies != (typ == TypeRumour || typ == TypeChallenge && len(combo.ins) == 0) {
					t.Errorf("deny used = %v for %s with %v; deny is only for rumours and challenges", denies, typ, combo.ins)
				}
				wantBolster := !slices.Contains(combo.ins, IntensifierReputation)
				if (len(a.Bolster) > 0) != wantBolster {
					t.Errorf("bolster %v, want offered = %v", a.Bolster, wantBolster)
				}
				if a.TemplateKinds[0] != respond.KindHolding || !slices.Contains(a.TemplateKinds, postureKind[posture]) {
					t.Errorf("template kinds %v: want the holding statement first and %s", a.TemplateKinds, postureKind[posture])
				}
				for _, lang := range Languages() {
					why := a.Explain(lang)
					if strings.Contains(why, "%!") || strings.Contains(why, "%s") || len(why) < 100 {
						t.Errorf("explanation in %s is malformed or too short: %q", lang, why)
					}
				}
				if a.Explain("nl") == a.Explain("en") {
					t.Errorf("the Dutch and English explanations are the same: %q", a.Explain("en"))
				}
				rules := make([]string, len(a.Reasons))
				for i, r := range a.Reasons {
					rules[i] = r.Rule
				}
				if rules[0] != "cluster" || !slices.Contains(rules, "instructing") || rules[len(rules)-1] != "never_mix" {
					t.Errorf("reasons %v: want the cluster first, instructing information, and never_mix last", rules)
				}
				if (len(combo.ins) > 0) != (slices.Contains(rules, "intensified") || slices.Contains(rules, "intensified_top")) {
					t.Errorf("reasons %v do not say whether intensifiers moved the crisis", rules)
				}
			})
		}
	}
}

func TestAdviseInput(t *testing.T) {
	a, err := Advise(TypeTechnicalErrorAccident, []string{IntensifierReputation, IntensifierHistory, IntensifierReputation})
	if err != nil {
		t.Fatalf("Advise: %v", err)
	}
	if !slices.Equal(a.Intensifiers, []string{IntensifierHistory, IntensifierReputation}) {
		t.Errorf("intensifiers = %v, want each once, sorted", a.Intensifiers)
	}
	if a.Cluster != ClusterPreventable {
		t.Errorf("two intensifiers moved the crisis to %v; they move it one cluster, to preventable", a.Cluster)
	}
	for _, tc := range []struct {
		typ  string
		ins  []string
		want map[string]string
	}{
		{"earthquake", nil, map[string]string{"en": `"earthquake" is not a crisis type`, "nl": `"earthquake" is geen crisistype`}},
		{TypeRumour, []string{"bad_press"}, map[string]string{"en": `"bad_press" is not an intensifier`, "nl": `"bad_press" is geen verzwarende`}},
	} {
		_, err := Advise(tc.typ, tc.ins)
		var ce *ClassificationError
		if !errors.As(err, &ce) || !errors.Is(err, ErrInvalid) {
			t.Fatalf("Advise(%q, %v) = %v, want a *ClassificationError that is ErrInvalid", tc.typ, tc.ins, err)
		}
		for lang, want := range tc.want {
			if msg := ce.Message(lang); !strings.HasPrefix(msg, want) {
				t.Errorf("message in %s = %q, want it to start %q", lang, msg, want)
			}
		}
	}
}

// Every template kind an advice names has a seeded template in Dutch (u and jij) and English.
func TestAdviceTemplates(t *testing.T) {
	ts, err := respond.SeededTemplates()
	if err != nil {
		t.Fatalf("SeededTemplates: %v", err)
	}
	for _, typ := range CrisisTypes() {
		a, err := Advise(typ, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ lang, form string }{{"nl", "u"}, {"nl", "jij"}, {"en", ""}} {
			got := a.Templates(ts, tc.lang, tc.form)
			if len(got) != len(a.TemplateKinds) {
				t.Errorf("%s in %s/%s: %d templates for kinds %v", typ, tc.lang, tc.form, len(got), a.TemplateKinds)
				continue
			}
			for i, tpl := range got {
				if tpl.Kind != a.TemplateKinds[i] || string(tpl.Lang) != tc.lang || tc.form != "" && string(tpl.Form) != tc.form {
					t.Errorf("%s: template %d is %s (%s %s), want kind %s", typ, i, tpl.ID, tpl.Lang, tpl.Form, a.TemplateKinds[i])
				}
			}
		}
	}
}
