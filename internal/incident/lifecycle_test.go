package incident

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestTransitions(t *testing.T) {
	allowed := map[[2]string]bool{
		{StatusInvestigating, StatusResponding}: true,
		{StatusInvestigating, StatusResolved}:   true,
		{StatusResponding, StatusMonitoring}:    true,
		{StatusResponding, StatusResolved}:      true,
		{StatusMonitoring, StatusResponding}:    true,
		{StatusMonitoring, StatusResolved}:      true,
		{StatusResolved, StatusReviewed}:        true,
		{StatusResolved, StatusResponding}:      true,
	}
	for _, from := range Statuses() {
		for _, to := range append(Statuses(), "closed") {
			if got := CanTransition(from, to); got != allowed[[2]string{from, to}] {
				t.Errorf("CanTransition(%s, %s) = %v", from, to, got)
			}
		}
	}
}

func TestTransitionErrorMessages(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		lang     string
		want     string
	}{
		{StatusInvestigating, StatusReviewed, "en", "an incident cannot go from investigating to reviewed; from there it can go to responding or resolved"},
		{StatusInvestigating, StatusReviewed, "nl", "een incident kan niet van onderzoek naar geëvalueerd; vanaf daar kan het naar reactie of opgelost"},
		{StatusReviewed, StatusResponding, "en", "the incident is reviewed, which is final"},
		{StatusReviewed, StatusResponding, "nl", "het incident is geëvalueerd, en dat is definitief"},
		{StatusResponding, "done", "en", `"done" is not a status; use investigating, responding, monitoring, resolved or reviewed`},
		{StatusResponding, "done", "nl", `"done" is geen status; kies onderzoek, reactie, monitoring, opgelost of geëvalueerd`},
	} {
		e := &TransitionError{From: tc.from, To: tc.to}
		if got := e.Message(tc.lang); got != tc.want {
			t.Errorf("%s→%s in %s = %q, want %q", tc.from, tc.to, tc.lang, got, tc.want)
		}
		if !errors.Is(e, ErrInvalid) {
			t.Errorf("a TransitionError is not ErrInvalid")
		}
	}
}

func TestSeverityLevels(t *testing.T) {
	for _, tc := range []struct {
		sev   Severity
		level string
		valid bool
	}{
		{0, "", false}, {1, "critical", true}, {2, "high", true}, {3, "medium", true}, {4, "low", true}, {5, "", false},
	} {
		if tc.sev.Valid() != tc.valid || tc.sev.Level() != tc.level {
			t.Errorf("severity %d: valid %v level %q, want %v %q", tc.sev, tc.sev.Valid(), tc.sev.Level(), tc.valid, tc.level)
		}
		if tc.valid {
			if back, ok := SeverityFromLevel(tc.level); !ok || back != tc.sev {
				t.Errorf("SeverityFromLevel(%q) = %d, %v", tc.level, back, ok)
			}
		}
	}
	if _, ok := SeverityFromLevel("urgent"); ok {
		t.Error("SeverityFromLevel accepted an unknown level")
	}
}

// Both catalogs name the same things, and every value the package defines has a name in each.
func TestCatalogsComplete(t *testing.T) {
	need := map[string][]string{
		"statuses": Statuses(), "roles": Roles(), "teamRoles": TeamRoles(), "crisisTypes": CrisisTypes(),
		"clusters": {"victim", "accidental", "preventable"}, "intensifiers": Intensifiers(),
		"postures": {PostureBase, PostureDeny, PostureDiminish, PostureRebuild},
		"tactics": {TacticInstructing, TacticAdjusting, TacticDenial, TacticCorrection, TacticExcuse, TacticJustify,
			TacticApology, TacticCompensate, TacticReminder, TacticIngratiate},
		"steps": Steps(), "claimStatuses": ClaimStatuses(), "entries": EntryKinds(),
		"clockStates":   {ClockPending, ClockWarning, ClockBreached, ClockMet, ClockMetLate, ClockStopped},
		"templateKinds": {"holding", "acknowledgement", "apology", "update", "correction", "resolution", "complaint_reply"},
	}
	for _, c := range []*catalog{&enText, &nlText} {
		v := reflect.ValueOf(*c)
		for field, keys := range need {
			m := v.FieldByName(field)
			for _, k := range keys {
				if s := m.MapIndex(reflect.ValueOf(k)); !s.IsValid() || s.String() == "" {
					t.Errorf("%s catalog: %s has no text for %q", c.lang, field, k)
				}
			}
			if m.Len() != len(keys) {
				t.Errorf("%s catalog: %s has %d texts, want %d", c.lang, field, m.Len(), len(keys))
			}
		}
		for s := SeverityCritical; s <= SeverityLow; s++ {
			if c.severities[s] == "" {
				t.Errorf("%s catalog: no name for severity %d", c.lang, s)
			}
		}
	}
	// The maps that are not listed above must at least have the same keys in both languages.
	for _, field := range []string{"scct", "labels", "errors", "playbook"} {
		en, nl := reflect.ValueOf(enText).FieldByName(field), reflect.ValueOf(nlText).FieldByName(field)
		for _, k := range en.MapKeys() {
			if s := nl.MapIndex(k); !s.IsValid() || strings.TrimSpace(s.String()) == "" {
				t.Errorf("nl catalog: %s lacks %q", field, k)
			}
		}
		if en.Len() != nl.Len() {
			t.Errorf("%s: en has %d texts, nl %d", field, en.Len(), nl.Len())
		}
	}
}

// Every error code is worded in both languages, with the arguments the code is raised with.
func TestErrorMessages(t *testing.T) {
	args := map[string][]any{
		"empty_title": nil, "bad_severity": {5}, "bad_lang": {"de"}, "bad_role": {"boss"}, "empty_alert": nil,
		"same_severity": {2}, "same_status": {"reactie"}, "unknown_scenario": {"flood"}, "unknown_task": {int64(9)},
		"empty_note": nil, "empty_claim": nil, "bad_claim_status": {"maybe"}, "unknown_claim": {int64(9)},
		"bad_event": {"note"}, "empty_author": nil, "bad_post": nil, "closed": {"reviewed"},
		"already_started": {"data_leak"},
	}
	if len(args) != len(enText.errors) {
		t.Errorf("the table has %d codes, the catalog %d", len(args), len(enText.errors))
	}
	for code, a := range args {
		e := &Error{Code: code, Args: a}
		for _, lang := range Languages() {
			if msg := e.Message(lang); msg == "" || strings.Contains(msg, "%!") {
				t.Errorf("error %s in %s = %q", code, lang, msg)
			}
		}
		if !errors.Is(e, ErrInvalid) {
			t.Errorf("error %s is not ErrInvalid", code)
		}
	}
	if got, want := (&Error{Code: "bad_severity", Args: []any{5}}).Message("nl"), "ernst 5 ligt niet tussen 1 (kritiek) en 4 (laag)"; got != want {
		t.Errorf("bad_severity in nl = %q, want %q", got, want)
	}
}
