package main

import (
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/plan"
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
