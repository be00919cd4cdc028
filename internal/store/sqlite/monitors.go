package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

const monitorColumns = `id, name, query, enabled, created_by, created_at, updated_at`

// CreateMonitor stores m; its id must be new.
func (s *Store) CreateMonitor(ctx context.Context, m store.Monitor) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO monitors (`+monitorColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.Name, m.Query, m.Enabled, m.CreatedBy, store.UnixNano(m.CreatedAt), store.UnixNano(m.UpdatedAt))
	if err != nil {
		return fmt.Errorf("store: create monitor %q: %w", m.ID, mapError(err))
	}
	return nil
}

// MonitorByID returns the monitor with id, or store.ErrNotFound.
func (s *Store) MonitorByID(ctx context.Context, id string) (store.Monitor, error) {
	m, err := scanMonitor(s.read.QueryRowContext(ctx, `SELECT `+monitorColumns+` FROM monitors WHERE id = ?`, id))
	if err != nil {
		return store.Monitor{}, fmt.Errorf("store: monitor %q: %w", id, mapError(err))
	}
	return m, nil
}

// Monitors returns every monitor by name, then id.
func (s *Store) Monitors(ctx context.Context) ([]store.Monitor, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+monitorColumns+` FROM monitors ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("store: monitors: %w", mapError(err))
	}
	defer rows.Close()
	ms := []store.Monitor{}
	for rows.Next() {
		m, err := scanMonitor(rows)
		if err != nil {
			return nil, fmt.Errorf("store: monitors: %w", mapError(err))
		}
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: monitors: %w", mapError(err))
	}
	return ms, nil
}

// UpdateMonitor writes the changeable fields of an existing monitor, or returns store.ErrNotFound.
func (s *Store) UpdateMonitor(ctx context.Context, m store.Monitor) error {
	res, err := s.write.ExecContext(ctx, `UPDATE monitors SET name = ?, query = ?, enabled = ?, updated_at = ? WHERE id = ?`,
		m.Name, m.Query, m.Enabled, store.UnixNano(m.UpdatedAt), m.ID)
	return s.oneRow(res, err, "update monitor", m.ID)
}

// DeleteMonitor removes a monitor, or returns store.ErrNotFound. The record of which stored posts it
// matched stays.
func (s *Store) DeleteMonitor(ctx context.Context, id string) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM monitors WHERE id = ?`, id)
	return s.oneRow(res, err, "delete monitor", id)
}

// oneRow turns an exec that should have changed exactly one row into its error.
func (s *Store) oneRow(res interface{ RowsAffected() (int64, error) }, err error, what, id string) error {
	if err != nil {
		return fmt.Errorf("store: %s %q: %w", what, id, mapError(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: %s %q: %w", what, id, mapError(err))
	}
	if n == 0 {
		return fmt.Errorf("store: %s %q: %w", what, id, store.ErrNotFound)
	}
	return nil
}

// MonitorMatchCounts counts the stored matches of each monitor since a time, from post_monitors.
func (s *Store) MonitorMatchCounts(ctx context.Context, since time.Time) (map[string]int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT monitor_id, count(*) FROM post_monitors WHERE created_at >= ? GROUP BY monitor_id`, store.UnixNano(since))
	if err != nil {
		return nil, fmt.Errorf("store: monitor match counts: %w", mapError(err))
	}
	defer rows.Close()
	counts := make(map[string]int64)
	for rows.Next() {
		var id string
		var n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("store: monitor match counts: %w", mapError(err))
		}
		counts[id] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: monitor match counts: %w", mapError(err))
	}
	return counts, nil
}

type rowScanner interface{ Scan(dest ...any) error }

func scanMonitor(r rowScanner) (store.Monitor, error) {
	var m store.Monitor
	var created, updated int64
	if err := r.Scan(&m.ID, &m.Name, &m.Query, &m.Enabled, &m.CreatedBy, &created, &updated); err != nil {
		return store.Monitor{}, err
	}
	m.CreatedAt, m.UpdatedAt = store.FromUnixNano(created), store.FromUnixNano(updated)
	return m, nil
}

// Settings returns the saved settings, or store.DefaultSettings before any are saved.
func (s *Store) Settings(ctx context.Context) (store.Settings, error) {
	st := store.DefaultSettings()
	err := s.read.QueryRowContext(ctx, `SELECT keep_all_posts FROM settings WHERE id = 1`).Scan(&st.KeepAllPosts)
	if errors.Is(err, sql.ErrNoRows) {
		return store.DefaultSettings(), nil
	}
	if err != nil {
		return store.Settings{}, fmt.Errorf("store: settings: %w", mapError(err))
	}
	return st, nil
}

// SaveSettings replaces the settings.
func (s *Store) SaveSettings(ctx context.Context, st store.Settings) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO settings (id, keep_all_posts) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET keep_all_posts = excluded.keep_all_posts`, st.KeepAllPosts)
	if err != nil {
		return fmt.Errorf("store: save settings: %w", mapError(err))
	}
	return nil
}

// Cursor returns the saved cursor of a source, or "".
func (s *Store) Cursor(ctx context.Context, sourceID string) (string, error) {
	var c string
	err := s.read.QueryRowContext(ctx, `SELECT cursor FROM source_cursors WHERE source_id = ?`, sourceID).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: cursor of %q: %w", sourceID, mapError(err))
	}
	return c, nil
}

// SetCursor saves the cursor of a source.
func (s *Store) SetCursor(ctx context.Context, sourceID, cursor string) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO source_cursors (source_id, cursor) VALUES (?, ?)
		ON CONFLICT (source_id) DO UPDATE SET cursor = excluded.cursor`, sourceID, cursor)
	if err != nil {
		return fmt.Errorf("store: set cursor of %q: %w", sourceID, mapError(err))
	}
	return nil
}
