package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// MarkStakeholderInformed stores m. The insert selects from incidents, so a mark for an incident
// that does not exist inserts nothing and is ErrNotFound.
func (s *Store) MarkStakeholderInformed(ctx context.Context, m *store.StakeholderMark) error {
	var id int64
	err := s.pool.QueryRow(ctx, `INSERT INTO incident_stakeholders (incident_id, stakeholder, informed_at,
		informed_by) SELECT id, $1, $2, $3 FROM incidents WHERE id = $4 RETURNING id`,
		m.Stakeholder, store.UnixNano(m.InformedAt), m.InformedBy, m.IncidentID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
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
	rows, err := s.pool.Query(ctx, `SELECT id, incident_id, stakeholder, informed_at, informed_by
		FROM incident_stakeholders WHERE incident_id = $1 ORDER BY id`, incidentID)
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
