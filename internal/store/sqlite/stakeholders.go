package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// MarkStakeholderInformed stores m. The insert selects from incidents, so a mark for an incident
// that does not exist inserts nothing and is ErrNotFound, without depending on foreign-key checks.
func (s *Store) MarkStakeholderInformed(ctx context.Context, m *store.StakeholderMark) error {
	var id int64
	err := s.write.QueryRowContext(ctx, `INSERT INTO incident_stakeholders (incident_id, stakeholder,
		informed_at, informed_by) SELECT id, ?, ?, ? FROM incidents WHERE id = ? RETURNING id`,
		m.Stakeholder, store.UnixNano(m.InformedAt), m.InformedBy, m.IncidentID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: incident %d: %w", m.IncidentID, store.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("store: incident %d: mark %s informed: %w", m.IncidentID, m.Stakeholder, mapError(err))
	}
	m.ID = id
	return nil
}

// StakeholderMarks returns the incident's marks, oldest first.
func (s *Store) StakeholderMarks(ctx context.Context, incidentID int64) ([]store.StakeholderMark, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, incident_id, stakeholder, informed_at, informed_by
		FROM incident_stakeholders WHERE incident_id = ? ORDER BY id`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("store: incident %d stakeholders: %w", incidentID, mapError(err))
	}
	defer rows.Close()
	list := []store.StakeholderMark{}
	for rows.Next() {
		var m store.StakeholderMark
		var at int64
		if err := rows.Scan(&m.ID, &m.IncidentID, &m.Stakeholder, &at, &m.InformedBy); err != nil {
			return nil, fmt.Errorf("store: incident %d stakeholders: %w", incidentID, mapError(err))
		}
		m.InformedAt = store.FromUnixNano(at)
		list = append(list, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: incident %d stakeholders: %w", incidentID, mapError(err))
	}
	return list, nil
}
