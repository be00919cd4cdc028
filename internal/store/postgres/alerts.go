package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

var _ store.Alerts = (*Store)(nil)

const alertColumns = `id, monitor, kind, severity, status, summary, explanation, post_ids, opened_at, updated_at,
	resolved_at, resolved_by, acked_by, acked_at`

// SaveAlert upserts one alert event. The WHERE of the upsert skips an event that is not newer than the
// stored one, and a resolved alert stays resolved, so a person's resolution is not undone by the alert
// manager's next update.
func (s *Store) SaveAlert(ctx context.Context, a store.Alert) error {
	ids, err := json.Marshal(nonNil(a.PostIDs))
	if err != nil {
		return fmt.Errorf("store: save alert %q: %w", a.ID, err)
	}
	if a.Explanation == nil {
		a.Explanation = []byte{}
	}
	resolvedAt := time.Time{}
	if a.Status == store.AlertResolved {
		resolvedAt = a.UpdatedAt
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO alerts (id, monitor, kind, severity, status, summary, explanation,
		post_ids, opened_at, updated_at, resolved_at, resolved_by, acked_by, acked_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, '', '', $12)
		ON CONFLICT (id) DO UPDATE SET severity = excluded.severity,
			status = CASE WHEN alerts.status = 'resolved' THEN 'resolved' ELSE excluded.status END,
			summary = excluded.summary, explanation = excluded.explanation, post_ids = excluded.post_ids,
			updated_at = excluded.updated_at,
			resolved_at = CASE WHEN alerts.status = 'resolved' THEN alerts.resolved_at ELSE excluded.resolved_at END
		WHERE excluded.updated_at > alerts.updated_at`,
		a.ID, a.Monitor, a.Kind, a.Severity, a.Status, a.Summary, a.Explanation, string(ids),
		store.UnixNano(a.OpenedAt), store.UnixNano(a.UpdatedAt), store.UnixNano(resolvedAt), store.UnixNano(time.Time{}))
	if err != nil {
		return fmt.Errorf("store: save alert %q: %w", a.ID, mapError(err))
	}
	return nil
}

// AlertByID returns one alert.
func (s *Store) AlertByID(ctx context.Context, id string) (store.Alert, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+alertColumns+` FROM alerts WHERE id = $1`, id)
	if err != nil {
		return store.Alert{}, fmt.Errorf("store: alert %q: %w", id, mapError(err))
	}
	as, err := scanAlerts(rows)
	if err != nil {
		return store.Alert{}, fmt.Errorf("store: alert %q: %w", id, err)
	}
	if len(as) == 0 {
		return store.Alert{}, fmt.Errorf("store: alert %q: %w", id, store.ErrNotFound)
	}
	return as[0], nil
}

// Alerts returns alerts by q, most recently updated first.
func (s *Store) Alerts(ctx context.Context, q store.AlertQuery) ([]store.Alert, error) {
	where, args := "1 = 1", []any{}
	if q.Monitor != "" {
		args = append(args, q.Monitor)
		where += fmt.Sprintf(" AND monitor = $%d", len(args))
	}
	if q.Status != "" {
		args = append(args, q.Status)
		where += fmt.Sprintf(" AND status = $%d", len(args))
	}
	if !q.Since.IsZero() {
		args = append(args, store.UnixNano(q.Since))
		where += fmt.Sprintf(" AND updated_at >= $%d", len(args))
	}
	args = append(args, alertLimit(q.Limit))
	// The limit is the last argument; its placeholder is $len(args).
	rows, err := s.pool.Query(ctx, `SELECT `+alertColumns+` FROM alerts WHERE `+where+`
		ORDER BY updated_at DESC, id LIMIT $`+fmt.Sprint(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("store: alerts: %w", mapError(err))
	}
	as, err := scanAlerts(rows)
	if err != nil {
		return nil, fmt.Errorf("store: alerts: %w", err)
	}
	return as, nil
}

// AcknowledgeAlert keeps the first acknowledgement only.
func (s *Store) AcknowledgeAlert(ctx context.Context, id, by string, at time.Time) error {
	return s.alertUpdate(ctx, "acknowledge", id, `UPDATE alerts SET acked_by = $1, acked_at = $2 WHERE id = $3 AND acked_by = ''`,
		by, store.UnixNano(at), id)
}

// ResolveAlert resolves an open alert by hand.
func (s *Store) ResolveAlert(ctx context.Context, id, by string, at time.Time) error {
	return s.alertUpdate(ctx, "resolve", id, `UPDATE alerts SET status = 'resolved', resolved_by = $1, resolved_at = $2
		WHERE id = $3 AND status = 'open'`, by, store.UnixNano(at), id)
}

// alertUpdate runs a conditional update and tells an unknown id (ErrNotFound) from a condition that did
// not hold (nil), in one transaction so the two cannot disagree.
func (s *Store) alertUpdate(ctx context.Context, what, id, query string, args ...any) error {
	wrap := func(err error) error { return fmt.Errorf("store: %s alert %q: %w", what, id, err) }
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return wrap(mapError(err))
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var one int
	if err := tx.QueryRow(ctx, `SELECT 1 FROM alerts WHERE id = $1`, id).Scan(&one); err != nil {
		return wrap(mapError(err))
	}
	if _, err := tx.Exec(ctx, query, args...); err != nil {
		return wrap(mapError(err))
	}
	if err := tx.Commit(ctx); err != nil {
		return wrap(mapError(err))
	}
	return nil
}

// CreateSilence stores a new silence.
func (s *Store) CreateSilence(ctx context.Context, si store.Silence) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO silences (id, monitor, kind, start_at, end_at, comment, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, si.ID, si.Monitor, si.Kind, store.UnixNano(si.Start), store.UnixNano(si.End),
		si.Comment, si.CreatedBy, store.UnixNano(si.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: create silence %q: %w", si.ID, mapError(err))
	}
	return nil
}

// Silences returns the silences that have not ended at t.
func (s *Store) Silences(ctx context.Context, t time.Time) ([]store.Silence, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, monitor, kind, start_at, end_at, comment, created_by, created_at
		FROM silences WHERE end_at > $1 ORDER BY start_at, id`, store.UnixNano(t))
	if err != nil {
		return nil, fmt.Errorf("store: silences: %w", mapError(err))
	}
	defer rows.Close()
	var out []store.Silence
	for rows.Next() {
		var si store.Silence
		var start, end, created int64
		if err := rows.Scan(&si.ID, &si.Monitor, &si.Kind, &start, &end, &si.Comment, &si.CreatedBy, &created); err != nil {
			return nil, fmt.Errorf("store: silences: %w", mapError(err))
		}
		si.Start, si.End, si.CreatedAt = store.FromUnixNano(start), store.FromUnixNano(end), store.FromUnixNano(created)
		out = append(out, si)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: silences: %w", mapError(err))
	}
	return out, nil
}

// ExpireSilence ends a silence at t when it would end later.
func (s *Store) ExpireSilence(ctx context.Context, id string, t time.Time) error {
	wrap := func(err error) error { return fmt.Errorf("store: expire silence %q: %w", id, err) }
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return wrap(mapError(err))
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var one int
	if err := tx.QueryRow(ctx, `SELECT 1 FROM silences WHERE id = $1`, id).Scan(&one); err != nil {
		return wrap(mapError(err))
	}
	if _, err := tx.Exec(ctx, `UPDATE silences SET end_at = $1 WHERE id = $2 AND end_at > $3`,
		store.UnixNano(t), id, store.UnixNano(t)); err != nil {
		return wrap(mapError(err))
	}
	if err := tx.Commit(ctx); err != nil {
		return wrap(mapError(err))
	}
	return nil
}

// MonitorActivity counts by bucket over the posts whose monitors hold monitor, which the GIN index on
// monitors answers.
func (s *Store) MonitorActivity(ctx context.Context, monitor string, since, until time.Time, step time.Duration) ([]store.ActivityBucket, error) {
	if step <= 0 {
		return nil, fmt.Errorf("store: monitor activity of %q: step %v must be positive", monitor, step)
	}
	from := store.UnixNano(since)
	rows, err := s.pool.Query(ctx, `SELECT (created_at - $1) / $2 AS b, count(*), count(*) FILTER (WHERE sentiment = 'negative')
		FROM posts WHERE monitors @> ARRAY[$3::text] AND created_at >= $1 AND created_at < $4
		GROUP BY b ORDER BY b`, from, int64(step), monitor, store.UnixNano(until))
	if err != nil {
		return nil, fmt.Errorf("store: monitor activity of %q: %w", monitor, mapError(err))
	}
	defer rows.Close()
	var out []store.ActivityBucket
	for rows.Next() {
		var b, n, neg int64
		if err := rows.Scan(&b, &n, &neg); err != nil {
			return nil, fmt.Errorf("store: monitor activity of %q: %w", monitor, mapError(err))
		}
		out = append(out, store.ActivityBucket{Start: since.Add(time.Duration(b) * step).UTC(), Posts: n, Negative: neg})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: monitor activity of %q: %w", monitor, mapError(err))
	}
	return out, nil
}

func scanAlerts(rows pgx.Rows) ([]store.Alert, error) {
	defer rows.Close()
	var out []store.Alert
	for rows.Next() {
		var a store.Alert
		var ids string
		var opened, updated, resolved, acked int64
		if err := rows.Scan(&a.ID, &a.Monitor, &a.Kind, &a.Severity, &a.Status, &a.Summary, &a.Explanation, &ids,
			&opened, &updated, &resolved, &a.ResolvedBy, &a.AckedBy, &acked); err != nil {
			return nil, mapError(err)
		}
		if err := json.Unmarshal([]byte(ids), &a.PostIDs); err != nil {
			return nil, fmt.Errorf("post ids of %q: %w", a.ID, err)
		}
		a.OpenedAt, a.UpdatedAt = store.FromUnixNano(opened), store.FromUnixNano(updated)
		a.ResolvedAt, a.AckedAt = store.FromUnixNano(resolved), store.FromUnixNano(acked)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	return out, nil
}

// alertLimit applies AlertQuery's default and cap.
func alertLimit(n int) int {
	switch {
	case n <= 0:
		return 100
	case n > 1000:
		return 1000
	}
	return n
}
