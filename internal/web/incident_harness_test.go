package web

import (
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// newTestIncidents is the incident room's service as serve wires it: on the store, on the harness
// clock, with the default crisis plan's severity definitions and the seeded playbooks, telling hub of
// every change.
func newTestIncidents(t testing.TB, st *sqlite.Store, clk clock.Clock, hub *IncidentHub) *incident.Service {
	t.Helper()
	p, err := plan.Default()
	if err != nil {
		t.Fatal(err)
	}
	var cfg incident.Config
	for _, l := range p.Protocol.Levels {
		cfg.Definitions = append(cfg.Definitions, incident.Definition{Level: l.Severity,
			Name: incident.Text{NL: l.Name.NL, EN: l.Name.EN}, Meaning: incident.Text{NL: l.Meaning.NL, EN: l.Meaning.EN},
			Action: incident.Text{NL: l.Action.NL, EN: l.Action.EN}, RespondWithin: l.RespondWithin})
	}
	cfg.Changed = hub.Notify
	svc, err := incident.New(st, clk, cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}
