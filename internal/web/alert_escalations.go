package web

import (
	"context"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/escalate"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// escalationView is one policy's escalation of an alert: an alert the routing tree sends to several
// policies has one each, each at its own pace.
type escalationView struct {
	Policy string
	State  string // message key
	By     string // who acknowledged
	Fired  int
	Steps  int
	NextAt time.Time // zero once it stopped
}

// escalationStates names the stored escalation states.
var escalationStates = map[string]string{
	store.EscalationActive:    "alert.escalation_active",
	store.EscalationAcked:     "alert.escalation_acked",
	store.EscalationResolved:  "alert.escalation_resolved",
	store.EscalationExhausted: "alert.escalation_exhausted",
}

// escalationViews lists the alert's escalations. They only add to the page, so a failure to read
// them is logged and the page shows the rest.
func (s *Server) escalationViews(ctx context.Context, alertID string) []escalationView {
	es, err := s.deps.Alerts.EscalationsByAlert(ctx, alertID)
	if err != nil {
		s.log.Error("alert escalations", "alert", alertID, "err", err)
		return nil
	}
	out := make([]escalationView, 0, len(es))
	for _, e := range es {
		p, err := escalate.ProgressOf(e)
		if err != nil {
			s.log.Error("alert escalations", "alert", alertID, "err", err)
			continue
		}
		v := escalationView{Policy: p.Policy, State: escalationStates[e.State], Fired: p.Fired, Steps: p.Steps}
		if v.State == "" {
			v.State = "alert.escalation_active"
		}
		switch e.State {
		case store.EscalationActive:
			v.NextAt = e.NextAt
		case store.EscalationAcked:
			v.By = e.StoppedBy
		}
		out = append(out, v)
	}
	return out
}
