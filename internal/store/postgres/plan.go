package postgres

import (
	"context"
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// SavePlan stores v as the newest plan version and sets v.Version. The table lock serialises saves
// from every process, so two saves never compute the same next version; readers are not blocked.
func (s *Store) SavePlan(ctx context.Context, v *store.PlanVersion) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store: save plan by %q: %w", v.Author, mapError(err))
	}
	// A cancelled ctx must still end the transaction on the pooled connection.
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `LOCK TABLE plan_versions IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return fmt.Errorf("store: save plan by %q: lock: %w", v.Author, mapError(err))
	}
	var version int64
	err = tx.QueryRow(ctx, `INSERT INTO plan_versions (version, yaml, author, created_at)
		SELECT coalesce(max(version), 0) + 1, $1, $2, $3 FROM plan_versions RETURNING version`,
		v.YAML, v.Author, store.UnixNano(v.CreatedAt)).Scan(&version)
	if err != nil {
		return fmt.Errorf("store: save plan by %q: %w", v.Author, mapError(err))
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("store: save plan by %q: commit: %w", v.Author, mapError(err))
	}
	v.Version = version
	return nil
}

// LatestPlan returns the newest plan version, or store.ErrNotFound.
func (s *Store) LatestPlan(ctx context.Context) (store.PlanVersion, error) {
	var v store.PlanVersion
	var created int64
	err := s.pool.QueryRow(ctx, `SELECT version, yaml, author, created_at FROM plan_versions
		ORDER BY version DESC LIMIT 1`).Scan(&v.Version, &v.YAML, &v.Author, &created)
	if err != nil {
		return store.PlanVersion{}, fmt.Errorf("store: latest plan: %w", mapError(err))
	}
	v.CreatedAt = store.FromUnixNano(created)
	return v, nil
}

// PlanVersions returns every plan version, newest first.
func (s *Store) PlanVersions(ctx context.Context) ([]store.PlanVersion, error) {
	rows, err := s.pool.Query(ctx, `SELECT version, yaml, author, created_at FROM plan_versions
		ORDER BY version DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: plan versions: %w", mapError(err))
	}
	defer rows.Close()
	vs := []store.PlanVersion{}
	for rows.Next() {
		var v store.PlanVersion
		var created int64
		if err := rows.Scan(&v.Version, &v.YAML, &v.Author, &created); err != nil {
			return nil, fmt.Errorf("store: plan versions: %w", mapError(err))
		}
		v.CreatedAt = store.FromUnixNano(created)
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: plan versions: %w", mapError(err))
	}
	return vs, nil
}
