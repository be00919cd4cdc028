package main

import (
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/respond"
	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// TestProtocolAndConductFollowThePlan: a plan stored while serve runs changes the incident room's
// severity definitions, first-response clock and playbooks, and the statement check's forbidden
// words, at the next look at the plan and without a restart; until then the earlier plan holds.
func TestProtocolAndConductFollowThePlan(t *testing.T) {
	t.Setenv("CRISISDESK_SMTP_PASSWORD", "")
	a, st, clk := newAlertingWithPlan(t, nil)
	ctx := t.Context()
	logger := slog.New(slog.DiscardHandler)
	reg := prometheus.NewRegistry()
	incidents, err := newIncidents(ctx, st, clk, nil, a.channels, logger, reg)
	if err != nil {
		t.Fatal(err)
	}
	comp, err := newComposer(ctx, st, incidents, []byte(strings.Repeat("k", secret.KeySize)), 0, false, a.channels, clk, logger, reg)
	if err != nil {
		t.Fatal(err)
	}
	inc, err := incidents.Declare(ctx, incident.Declaration{Title: "Outage", Lang: "en", Severity: incident.SeverityHigh, Author: "test"})
	if err != nil {
		t.Fatal(err)
	}
	draft := store.Statement{Lang: "en", Form: "u", Core: "We are sorry for the kerfuffle this morning. We will post an update at noon."}
	forbidden := func() bool {
		c := comp.svc.Check(draft, inc)
		return slices.ContainsFunc(c.Core.Findings, func(f respond.Finding) bool { return f.Rule == respond.RuleForbiddenWord })
	}
	type seen struct {
		name     string
		due      time.Time
		scenario bool
		flagged  bool
	}
	look := func() seen {
		d, _ := incidents.Definition(incident.SeverityHigh)
		return seen{name: d.Name.EN, due: incidents.ClocksOf(inc).FirstResponseDue,
			scenario: slices.ContainsFunc(incidents.Playbooks(), func(sc incident.Scenario) bool { return sc.ID == "recall" }),
			flagged:  forbidden()}
	}
	before := seen{name: "High", due: inc.DetectedAt.Add(60 * time.Minute)}
	if got := look(); got != before {
		t.Fatalf("at start: %+v, want %+v", got, before)
	}
	// serve's first look at the plan, which sets when the next one is due.
	if err := a.tick(ctx); err != nil {
		t.Fatal(err)
	}

	p, err := plan.Default()
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Protocol.Levels {
		if p.Protocol.Levels[i].Severity == plan.SeverityHigh {
			p.Protocol.Levels[i].Name.EN = "Serious"
			p.Protocol.Levels[i].RespondWithin = 45
		}
	}
	p.Conduct.Forbidden = append(p.Conduct.Forbidden, plan.Term{Lang: "en", Word: "kerfuffle", Instead: "disruption"})
	recall := p.Scenarios[0]
	recall.ID = "recall"
	recall.Name = plan.Text{NL: "Terugroepactie", EN: "Product recall"}
	p.Scenarios = append(p.Scenarios, recall)
	savePlan(t, st, p)

	// Within planPoll serve has not looked yet.
	clk.Advance(planPoll / 2)
	if err := a.tick(ctx); err != nil {
		t.Fatal(err)
	}
	if got := look(); got != before {
		t.Fatalf("before the next look: %+v, want %+v", got, before)
	}
	clk.Advance(planPoll)
	if err := a.tick(ctx); err != nil {
		t.Fatal(err)
	}
	after := seen{name: "Serious", due: inc.DetectedAt.Add(45 * time.Minute), scenario: true, flagged: true}
	if got := look(); got != after {
		t.Fatalf("after the next look: %+v, want %+v", got, after)
	}
	tasks, err := incidents.StartPlaybook(ctx, inc.ID, "recall", "test")
	if err != nil || len(tasks) == 0 {
		t.Fatalf("the new scenario's playbook: %d tasks, %v", len(tasks), err)
	}
}
