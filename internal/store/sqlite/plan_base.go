package sqlite

import (
	"context"
	"errors"
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// SavePlanOn stores v as version base+1 when base is the newest version. The check and the insert are
// one statement on the single write connection, so no other save can come in between; the primary
// key on version would refuse a second base+1 regardless.
func (s *Store) SavePlanOn(ctx context.Context, v *store.PlanVersion, base int64) error {
	res, err := s.write.ExecContext(ctx, `INSERT INTO plan_versions (version, yaml, author, created_at)
		SELECT ? + 1, ?, ?, ? WHERE (SELECT coalesce(max(version), 0) FROM plan_versions) = ?`,
		base, v.YAML, v.Author, store.UnixNano(v.CreatedAt), base)
	if err != nil {
		err = mapError(err)
		if errors.Is(err, store.ErrAlreadyExists) {
			err = fmt.Errorf("%w: %w", store.ErrConflict, err)
		}
		return fmt.Errorf("store: save plan on version %d by %q: %w", base, v.Author, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: save plan on version %d by %q: %w", base, v.Author, mapError(err))
	}
	if n == 0 {
		return fmt.Errorf("store: save plan on version %d by %q: %w", base, v.Author, store.ErrConflict)
	}
	v.Version = base + 1
	return nil
}
