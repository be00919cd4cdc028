package postgres

import (
	"context"
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// ApplySources stores ch in one transaction: all of it or none.
func (s *Store) ApplySources(ctx context.Context, ch store.SourceChanges) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store: apply sources: %w", mapError(err))
	}
	// A cancelled ctx must still end the transaction on the pooled connection.
	defer tx.Rollback(context.WithoutCancel(ctx))
	for _, src := range ch.Create {
		if _, err := tx.Exec(ctx, `INSERT INTO sources (`+sourceColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			storable(src.ID), storable(src.Kind), storable(src.Name), storable(src.Settings), storable(src.Credentials),
			src.Enabled, store.UnixNano(src.CreatedAt), store.UnixNano(src.UpdatedAt)); err != nil {
			return fmt.Errorf("store: create source %q: %w", src.ID, mapError(err))
		}
	}
	for _, src := range ch.Update {
		if !isStorable(src.ID) {
			return fmt.Errorf("store: update source %q: %w", src.ID, store.ErrNotFound)
		}
		tag, err := tx.Exec(ctx, `UPDATE sources SET name = $1, settings = $2, enabled = $3, updated_at = $4 WHERE id = $5`,
			storable(src.Name), storable(src.Settings), src.Enabled, store.UnixNano(src.UpdatedAt), src.ID)
		if err != nil {
			return fmt.Errorf("store: update source %q: %w", src.ID, mapError(err))
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("store: update source %q: %w", src.ID, store.ErrNotFound)
		}
	}
	for _, id := range ch.Delete {
		if !isStorable(id) {
			return fmt.Errorf("store: delete source %q: %w", id, store.ErrNotFound)
		}
		tag, err := tx.Exec(ctx, `DELETE FROM sources WHERE id = $1`, id)
		if err != nil {
			return fmt.Errorf("store: delete source %q: %w", id, mapError(err))
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("store: delete source %q: %w", id, store.ErrNotFound)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM source_cursors WHERE source_id = $1`, id); err != nil {
			return fmt.Errorf("store: delete source %q: cursor: %w", id, mapError(err))
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("store: apply sources: commit: %w", mapError(err))
	}
	return nil
}
