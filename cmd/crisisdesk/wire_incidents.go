package main

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// newIncidents builds the incident room's service from the stored crisis plan: its protocol levels
// become the severity definitions shown wherever a severity is chosen, and its scenarios the
// playbooks a checklist is made from. plan.Current falls back to the default plan when none is
// stored, so a fresh installation has the seeded playbooks. changed, when not nil, is told of every
// stored change of an incident: the web app's incident hub, which wakes the rooms open on it. plans,
// when not nil, is serve's look at the newest plan: the definitions and playbooks then follow each
// newer plan without a restart (wire_plan_follow.go).
func newIncidents(ctx context.Context, st store.Store, clk clock.Clock, changed func(int64), plans *channelSet, logger *slog.Logger, reg prometheus.Registerer) (*incident.Service, error) {
	p, _, version, err := plan.Current(ctx, st)
	if err != nil {
		return nil, fmt.Errorf("incidents: crisis plan: %w", err)
	}
	cfg := incidentConfig(p)
	cfg.Changed = changed
	if plans != nil {
		current := &currentProtocol{}
		current.use(p, version)
		plans.follow(current.use)
		cfg.Current = current.get
	}
	svc, err := incident.New(st, clk, cfg, logger, reg)
	if err != nil {
		return nil, fmt.Errorf("incidents: plan version %d: %w", version, err)
	}
	logger.Info("crisis plan loaded for the incident room", "version", version,
		"playbooks", len(cfg.Playbooks), "severities", len(cfg.Definitions))
	return svc, nil
}

// incidentConfig converts the plan's protocol levels and scenarios to the incident package's own
// types. The plan keeps its own types so that the incident package does not depend on the plan's
// YAML document, and this is the one place that joins them.
func incidentConfig(p *plan.Plan) incident.Config {
	var cfg incident.Config
	for _, l := range p.Protocol.Levels {
		if _, ok := incident.SeverityFromLevel(l.Severity); !ok {
			// plan.Parse refuses unknown severities, so only a plan built in code could get here.
			continue
		}
		cfg.Definitions = append(cfg.Definitions, incident.Definition{
			Level: l.Severity, Name: incidentText(l.Name), Meaning: incidentText(l.Meaning),
			Action: incidentText(l.Action), RespondWithin: l.RespondWithin,
		})
	}
	// An empty list, not nil: a plan without scenarios has no playbooks, and nil would mean the
	// seeded ones.
	cfg.Playbooks = []incident.Scenario{}
	for _, sc := range p.Scenarios {
		out := incident.Scenario{ID: sc.ID, Name: incidentText(sc.Name), Severity: sc.Severity,
			Templates: append([]string(nil), sc.Templates...)}
		for _, t := range sc.Playbook {
			out.Playbook = append(out.Playbook, incident.Task{Step: t.Step, Do: incidentText(t.Do), Owner: t.Owner, Due: t.Due})
		}
		cfg.Playbooks = append(cfg.Playbooks, out)
	}
	return cfg
}

func incidentText(t plan.Text) incident.Text { return incident.Text{NL: t.NL, EN: t.EN} }

// incidentAlerts puts what happens to an alert on the timelines of the open incidents it is linked
// to: each update of the alert and each page sent for it. Failures are logged, not returned, because
// the alert itself was handled and its escalation must not wait on the incident room. Its service is
// set once serve has built the incident room, before anything runs.
type incidentAlerts struct {
	svc *incident.Service
	log *slog.Logger
}

func (ia *incidentAlerts) alertChanged(ctx context.Context, alertID, summary string) {
	if ia == nil || ia.svc == nil {
		return
	}
	if _, err := ia.svc.AlertChanged(ctx, alertID, summary); err != nil {
		ia.log.Error("put alert on incident timelines", "alert", alertID, "err", err)
	}
}

// paged records that n was queued: who is being paged for the alert, and on which channel.
func (ia *incidentAlerts) paged(ctx context.Context, n *store.Notification) {
	if ia == nil || ia.svc == nil {
		return
	}
	list, err := ia.svc.List(ctx)
	if err != nil {
		ia.log.Error("put page on incident timelines", "alert", n.AlertID, "err", err)
		return
	}
	for _, inc := range list {
		if inc.Status == incident.StatusResolved || inc.Status == incident.StatusReviewed || !slices.Contains(inc.Alerts, n.AlertID) {
			continue
		}
		ev := incident.Event{Kind: incident.EntryPaged, Author: incident.System,
			Details: incident.Details{Alert: n.AlertID, Person: n.Recipient, Channel: n.Channel}}
		if _, err := ia.svc.Record(ctx, inc.ID, ev); err != nil {
			ia.log.Error("put page on incident timeline", "alert", n.AlertID, "incident", inc.ID, "err", err)
		}
	}
}

// pagingOutbox is the store as escalation uses it, telling the incident room about every page that
// is newly queued. A page queued again after a crash is not new, so it is not recorded twice. Update
// and resolution notices (negative steps) page nobody, so they are not recorded as pages.
type pagingOutbox struct {
	store.Store
	incidents *incidentAlerts
}

func (o pagingOutbox) EnqueueNotification(ctx context.Context, n *store.Notification) (bool, error) {
	added, err := o.Store.EnqueueNotification(ctx, n)
	if err == nil && added && n.Step >= 0 {
		o.incidents.paged(ctx, n)
	}
	return added, err
}
