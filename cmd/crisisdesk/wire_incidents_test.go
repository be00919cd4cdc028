package main

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

func TestIncidentConfigFromPlan(t *testing.T) {
	def, err := plan.Default()
	if err != nil {
		t.Fatal(err)
	}
	empty := *def
	empty.Scenarios = nil
	tests := []struct {
		name      string
		plan      *plan.Plan
		playbooks int
	}{
		{"default plan", def, len(def.Scenarios)},
		{"plan without scenarios", &empty, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := incidentConfig(tc.plan)
			if cfg.Playbooks == nil {
				t.Fatal("playbooks are nil, which would mean the seeded ones instead of the plan's")
			}
			if len(cfg.Playbooks) != tc.playbooks {
				t.Fatalf("got %d playbooks, want %d", len(cfg.Playbooks), tc.playbooks)
			}
			if len(cfg.Definitions) != len(tc.plan.Protocol.Levels) {
				t.Fatalf("got %d severity definitions, want %d", len(cfg.Definitions), len(tc.plan.Protocol.Levels))
			}
			for i, sc := range cfg.Playbooks {
				src := tc.plan.Scenarios[i]
				if sc.ID != src.ID || sc.Name.NL != src.Name.NL || sc.Name.EN != src.Name.EN || len(sc.Playbook) != len(src.Playbook) {
					t.Errorf("scenario %d: got %+v, from %+v", i, sc, src)
				}
				for k, task := range sc.Playbook {
					if task.Step != src.Playbook[k].Step || task.Due != src.Playbook[k].Due || task.Do.EN != src.Playbook[k].Do.EN {
						t.Errorf("scenario %s task %d: got %+v, from %+v", sc.ID, k, task, src.Playbook[k])
					}
				}
			}
			// The converted plan must be one the service accepts.
			svc, err := incident.New(nil, clock.NewSim(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)), cfg, nil, nil)
			if err != nil {
				t.Fatalf("the service refuses the converted plan: %v", err)
			}
			if got := len(svc.Playbooks()); got != tc.playbooks {
				t.Fatalf("service has %d playbooks, want %d", got, tc.playbooks)
			}
		})
	}
}

// TestPagesReachIncidentTimelines: a page newly queued for an alert linked to an open incident goes
// on its timeline once; the same page queued again after a crash, and pages for other alerts, do not.
func TestPagesReachIncidentTimelines(t *testing.T) {
	a, st, clk := newTestAlerting(t)
	svc, err := newIncidents(t.Context(), st, clk, nil, nil, slog.New(slog.DiscardHandler), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	a.incidents.svc = svc
	inc, err := svc.Declare(t.Context(), incident.Declaration{Title: "Outage", Lang: "en", Severity: incident.SeverityHigh,
		Alerts: []string{"alert-1"}, Author: "anna@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	out := pagingOutbox{Store: st, incidents: a.incidents}
	page := func(alertID, recipient string) *store.Notification {
		return &store.Notification{AlertID: alertID, Step: 0, Recipient: recipient, Channel: "email",
			Payload: []byte(`{}`), NextAt: clk.Now(), CreatedAt: clk.Now()}
	}
	for _, n := range []*store.Notification{page("alert-1", "bram"), page("alert-1", "bram"), page("alert-2", "carla")} {
		if _, err := out.EnqueueNotification(t.Context(), n); err != nil {
			t.Fatal(err)
		}
	}
	tl, err := st.IncidentTimeline(t.Context(), inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	var paged []string
	for _, e := range tl {
		if e.Kind == incident.EntryPaged {
			paged = append(paged, incident.Describe(e, "en"))
		}
	}
	if len(paged) != 1 || !strings.Contains(paged[0], "bram") || !strings.Contains(paged[0], "email") {
		t.Fatalf("paged entries %q, want one for bram by email", paged)
	}
}
