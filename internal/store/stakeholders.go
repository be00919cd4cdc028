package store

import (
	"context"
	"time"
)

// StakeholderMark records that someone told one of the crisis plan's stakeholders (a team member or
// an external contact) about an incident. Marks are only ever added: telling someone again is a new
// mark, so the room can show who was informed when, and by whom, for the review.
type StakeholderMark struct {
	ID         int64 // set by the store
	IncidentID int64
	// Stakeholder names the plan entry: "person:" or "contact:" followed by its id in the plan.
	Stakeholder string
	InformedAt  time.Time
	InformedBy  string // a user's e-mail
}

// Stakeholders keeps the "informed at, by whom" marks of incidents.
type Stakeholders interface {
	// MarkStakeholderInformed stores m and sets its ID. An incident that does not exist is
	// ErrNotFound.
	MarkStakeholderInformed(ctx context.Context, m *StakeholderMark) error
	// StakeholderMarks returns the incident's marks, oldest first.
	StakeholderMarks(ctx context.Context, incidentID int64) ([]StakeholderMark, error)
}
