package incident

import (
	"slices"
	"testing"
	"time"
)

// TestCurrentPlan: with Config.Current set, the definitions, the first-response clock and the
// playbooks are whatever it returns at each use, so a newer plan applies to an incident already open;
// nil playbooks from it fall back to the configured ones.
func TestCurrentPlan(t *testing.T) {
	defs := definitions
	var pbs []Scenario
	s, _, _, _ := newService(t, Config{Current: func() ([]Definition, []Scenario) { return defs, pbs }})
	ctx := t.Context()
	inc, err := s.Declare(ctx, Declaration{Title: "Datalek", Lang: "nl", Severity: SeverityCritical, Author: "anna"})
	if err != nil {
		t.Fatal(err)
	}
	seeded, err := SeededPlaybooks()
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := s.Definition(SeverityCritical); !ok || d.Name.EN != "Crisis" {
		t.Fatalf("definition %+v, %v", d, ok)
	}
	if got, want := s.ClocksOf(inc).FirstResponseDue, inc.DetectedAt.Add(30*time.Minute); !got.Equal(want) {
		t.Fatalf("first response due %v, want %v", got, want)
	}
	if len(s.Playbooks()) != len(seeded) {
		t.Fatalf("%d playbooks, want the %d seeded ones", len(s.Playbooks()), len(seeded))
	}

	defs = []Definition{{Level: "critical", Name: Text{NL: "Noodtoestand", EN: "Emergency"}, RespondWithin: 15}}
	pbs = []Scenario{seeded[0]}
	pbs[0].ID, pbs[0].Name = "recall", Text{NL: "Terugroepactie", EN: "Product recall"}
	if d, _ := s.Definition(SeverityCritical); d.Name.EN != "Emergency" {
		t.Errorf("definition %+v after the change", d)
	}
	if got, want := s.ClocksOf(inc).FirstResponseDue, inc.DetectedAt.Add(15*time.Minute); !got.Equal(want) {
		t.Errorf("first response due %v after the change, want %v", got, want)
	}
	if _, ok := s.Definition(SeverityHigh); ok {
		t.Error("a definition the newer plan dropped is still shown")
	}
	var ids []string
	for _, sc := range s.Playbooks() {
		ids = append(ids, sc.ID)
	}
	if !slices.Equal(ids, []string{"recall"}) {
		t.Errorf("playbooks %v, want [recall]", ids)
	}
	if _, err := s.StartPlaybook(ctx, inc.ID, "recall", "anna"); err != nil {
		t.Errorf("StartPlaybook of the newer plan's scenario: %v", err)
	}
	if _, err := s.StartPlaybook(ctx, inc.ID, seeded[1].ID, "anna"); err == nil {
		t.Errorf("a scenario the newer plan dropped still starts a playbook")
	}
}
