package incident

import (
	"slices"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// eventChange is the change an event makes: its timeline entry and its effect on the incident. inc
// is changed in place when the event affects it.
func eventChange(inc *store.Incident, at store.TimelineEntry, ev Event) (store.IncidentChange, error) {
	if !slices.Contains(eventKinds, ev.Kind) {
		return store.IncidentChange{}, invalid("bad_event", ev.Kind)
	}
	c := store.IncidentChange{Timeline: []*store.TimelineEntry{entry(withKind(at, ev.Kind), ev.Details)}}
	switch ev.Kind {
	case EntryAlertFired, EntryAlertGrew:
		if ev.Details.Alert == "" {
			return store.IncidentChange{}, invalid("empty_alert")
		}
		if !slices.Contains(inc.Alerts, ev.Details.Alert) {
			inc.Alerts = append(inc.Alerts, ev.Details.Alert)
			c.Incident = inc
		}
	case EntryAcknowledged:
		if inc.AcknowledgedAt.IsZero() {
			inc.AcknowledgedAt = at.At
			c.Incident = inc
		}
	case EntryStatementPublished:
		if inc.FirstResponseAt.IsZero() {
			inc.FirstResponseAt = at.At
		}
		inc.LastUpdateAt = at.At
		c.Incident = inc
	}
	return c, nil
}

// EventChange builds the change Record would write for ev at at, without writing it, so that a
// statement step can write its timeline entry in its own transaction (store.StatementChange.Timeline).
// inc is the incident as read; the store's version check refuses the change when it changed since.
func (s *Service) EventChange(inc store.Incident, ev Event, at time.Time) (*store.IncidentChange, error) {
	if ev.Author == "" {
		ev.Author = System
	}
	if strings.TrimSpace(ev.Author) == "" {
		return nil, invalid("empty_author")
	}
	c, err := eventChange(&inc, store.TimelineEntry{At: at, Author: ev.Author}, ev)
	if err != nil {
		return nil, err
	}
	c.IncidentID = inc.ID
	return &c, nil
}

// Recorded tells the service that a change EventChange built was written: its entries are counted
// and the incident's listeners hear of it, as after Record.
func (s *Service) Recorded(c *store.IncidentChange) {
	if c == nil {
		return
	}
	s.count(c.Timeline)
	if len(c.Timeline) > 0 || c.Incident != nil {
		s.changed(c.IncidentID)
	}
}
