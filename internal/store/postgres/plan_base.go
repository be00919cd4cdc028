package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// SavePlanOn stores v as version base+1 when base is the newest version. It takes the same table lock
// as SavePlan, so the check and the insert see no other save in between, from any process.
func (s *Store) SavePlanOn(ctx context.Context, v *store.PlanVersion, base int64) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store: save plan on version %d by %q: %w", base, v.Author, mapError(err))
	}
	// A cancelled ctx must still end the transaction on the pooled connection.
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `LOCK TABLE plan_versions IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return fmt.Errorf("store: save plan on version %d by %q: lock: %w", base, v.Author, mapError(err))
	}
	tag, err := tx.Exec(ctx, `INSERT INTO plan_versions (version, yaml, author, created_at)
		SELECT $1::bigint + 1, $2, $3, $4 WHERE (SELECT coalesce(max(version), 0) FROM plan_versions) = $1::bigint`,
		base, v.YAML, v.Author, store.UnixNano(v.CreatedAt))
	if err != nil {
		err = mapError(err)
		if errors.Is(err, store.ErrAlreadyExists) {
			err = fmt.Errorf("%w: %w", store.ErrConflict, err)
		}
		return fmt.Errorf("store: save plan on version %d by %q: %w", base, v.Author, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("store: save plan on version %d by %q: %w", base, v.Author, store.ErrConflict)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("store: save plan on version %d by %q: commit: %w", base, v.Author, mapError(err))
	}
	v.Version = base + 1
	return nil
}
