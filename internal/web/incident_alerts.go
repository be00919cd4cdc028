package web

import (
	"context"
	"slices"

	"github.com/crisisdesk/crisisdesk/internal/incident"
)

// incidentsAcknowledged puts the acknowledgement of an alert on the timeline of every open incident
// the alert is linked to. The first one stops the incident's time-to-acknowledge clock. A failure is
// logged and not returned: the alert is acknowledged either way, and the paging has stopped.
func (s *Server) incidentsAcknowledged(ctx context.Context, alertID, by string) {
	if s.deps.Incidents == nil {
		return
	}
	list, err := s.deps.Incidents.List(ctx)
	if err != nil {
		s.log.Error("acknowledgement on incident timelines", "alert", alertID, "err", err)
		return
	}
	for _, inc := range list {
		if inc.Status == incident.StatusResolved || inc.Status == incident.StatusReviewed || !slices.Contains(inc.Alerts, alertID) {
			continue
		}
		ev := incident.Event{Kind: incident.EntryAcknowledged, Author: by, Details: incident.Details{Alert: alertID, Person: by}}
		if _, err := s.deps.Incidents.Record(ctx, inc.ID, ev); err != nil {
			s.log.Error("acknowledgement on incident timeline", "alert", alertID, "incident", inc.ID, "err", err)
		}
	}
}
