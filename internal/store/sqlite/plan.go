package sqlite

import (
	"context"
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// SavePlan stores v as the newest plan version and sets v.Version. The version is computed inside the
// one INSERT statement, which SQLite runs atomically on the single write connection, so concurrent
// saves queue and get consecutive numbers.
func (s *Store) SavePlan(ctx context.Context, v *store.PlanVersion) error {
	var version int64
	err := s.write.QueryRowContext(ctx, `INSERT INTO plan_versions (version, yaml, author, created_at)
		SELECT coalesce(max(version), 0) + 1, ?, ?, ? FROM plan_versions RETURNING version`,
		v.YAML, v.Author, store.UnixNano(v.CreatedAt)).Scan(&version)
	if err != nil {
		return fmt.Errorf("store: save plan by %q: %w", v.Author, mapError(err))
	}
	v.Version = version
	return nil
}

// LatestPlan returns the newest plan version, or store.ErrNotFound.
func (s *Store) LatestPlan(ctx context.Context) (store.PlanVersion, error) {
	var v store.PlanVersion
	var created int64
	err := s.read.QueryRowContext(ctx, `SELECT version, yaml, author, created_at FROM plan_versions
		ORDER BY version DESC LIMIT 1`).Scan(&v.Version, &v.YAML, &v.Author, &created)
	if err != nil {
		return store.PlanVersion{}, fmt.Errorf("store: latest plan: %w", mapError(err))
	}
	v.CreatedAt = store.FromUnixNano(created)
	return v, nil
}

// PlanVersions returns every plan version, newest first.
func (s *Store) PlanVersions(ctx context.Context) ([]store.PlanVersion, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT version, yaml, author, created_at FROM plan_versions
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
