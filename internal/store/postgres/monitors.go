package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

const monitorColumns = `id, name, query, enabled, created_by, created_at, updated_at`

// CreateMonitor stores m; its id must be new.
func (s *Store) CreateMonitor(ctx context.Context, m store.Monitor) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO monitors (`+monitorColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		storable(m.ID), storable(m.Name), storable(m.Query), m.Enabled, m.CreatedBy, store.UnixNano(m.CreatedAt), store.UnixNano(m.UpdatedAt))
	if err != nil {
		return fmt.Errorf("store: create monitor %q: %w", m.ID, mapError(err))
	}
	return nil
}

// MonitorByID returns the monitor with id, or store.ErrNotFound.
func (s *Store) MonitorByID(ctx context.Context, id string) (store.Monitor, error) {
	if !isStorable(id) {
		return store.Monitor{}, fmt.Errorf("store: monitor %q: %w", id, store.ErrNotFound)
	}
	m, err := scanMonitor(s.pool.QueryRow(ctx, `SELECT `+monitorColumns+` FROM monitors WHERE id = $1`, id))
	if err != nil {
		return store.Monitor{}, fmt.Errorf("store: monitor %q: %w", id, mapError(err))
	}
	return m, nil
}

// Monitors returns every monitor by name, then id.
func (s *Store) Monitors(ctx context.Context) ([]store.Monitor, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+monitorColumns+` FROM monitors ORDER BY name COLLATE "C", id`)
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
	if !isStorable(m.ID) {
		return fmt.Errorf("store: update monitor %q: %w", m.ID, store.ErrNotFound)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE monitors SET name = $1, query = $2, enabled = $3, updated_at = $4 WHERE id = $5`,
		storable(m.Name), storable(m.Query), m.Enabled, store.UnixNano(m.UpdatedAt), m.ID)
	if err != nil {
		return fmt.Errorf("store: update monitor %q: %w", m.ID, mapError(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("store: update monitor %q: %w", m.ID, store.ErrNotFound)
	}
	return nil
}

// DeleteMonitor removes a monitor, or returns store.ErrNotFound. Stored posts keep its id.
func (s *Store) DeleteMonitor(ctx context.Context, id string) error {
	if !isStorable(id) {
		return fmt.Errorf("store: delete monitor %q: %w", id, store.ErrNotFound)
	}
	tag, err := s.pool.Exec(ctx, `DELETE FROM monitors WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("store: delete monitor %q: %w", id, mapError(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("store: delete monitor %q: %w", id, store.ErrNotFound)
	}
	return nil
}

// MonitorMatchCounts counts the stored matches of each monitor since a time.
func (s *Store) MonitorMatchCounts(ctx context.Context, since time.Time) (map[string]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT m, count(*) FROM posts, unnest(monitors) AS m
		WHERE created_at >= $1 AND monitors <> '{}' GROUP BY m`, store.UnixNano(since))
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

func scanMonitor(r pgx.Row) (store.Monitor, error) {
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
	err := s.pool.QueryRow(ctx, `SELECT keep_all_posts FROM settings WHERE id = 1`).Scan(&st.KeepAllPosts)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.DefaultSettings(), nil
	}
	if err != nil {
		return store.Settings{}, fmt.Errorf("store: settings: %w", mapError(err))
	}
	return st, nil
}

// SaveSettings replaces the settings.
func (s *Store) SaveSettings(ctx context.Context, st store.Settings) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO settings (id, keep_all_posts) VALUES (1, $1)
		ON CONFLICT (id) DO UPDATE SET keep_all_posts = excluded.keep_all_posts`, st.KeepAllPosts)
	if err != nil {
		return fmt.Errorf("store: save settings: %w", mapError(err))
	}
	return nil
}

// Cursor returns the saved cursor of a source, or "".
func (s *Store) Cursor(ctx context.Context, sourceID string) (string, error) {
	var c string
	err := s.pool.QueryRow(ctx, `SELECT cursor FROM source_cursors WHERE source_id = $1`, storable(sourceID)).Scan(&c)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: cursor of %q: %w", sourceID, mapError(err))
	}
	return c, nil
}

// SetCursor saves the cursor of a source.
func (s *Store) SetCursor(ctx context.Context, sourceID, cursor string) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO source_cursors (source_id, cursor) VALUES ($1, $2)
		ON CONFLICT (source_id) DO UPDATE SET cursor = excluded.cursor`, storable(sourceID), storable(cursor))
	if err != nil {
		return fmt.Errorf("store: set cursor of %q: %w", sourceID, mapError(err))
	}
	return nil
}
