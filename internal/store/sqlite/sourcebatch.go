package sqlite

import (
	"context"
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// ApplySources stores ch in one transaction: all of it or none.
func (s *Store) ApplySources(ctx context.Context, ch store.SourceChanges) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: apply sources: %w", mapError(err))
	}
	defer tx.Rollback()
	for _, src := range ch.Create {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sources (`+sourceColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			src.ID, src.Kind, src.Name, src.Settings, src.Credentials, src.Enabled,
			store.UnixNano(src.CreatedAt), store.UnixNano(src.UpdatedAt)); err != nil {
			return fmt.Errorf("store: create source %q: %w", src.ID, mapError(err))
		}
	}
	for _, src := range ch.Update {
		res, err := tx.ExecContext(ctx, `UPDATE sources SET name = ?, settings = ?, enabled = ?, updated_at = ? WHERE id = ?`,
			src.Name, src.Settings, src.Enabled, store.UnixNano(src.UpdatedAt), src.ID)
		if err := s.oneRow(res, err, "update source", src.ID); err != nil {
			return err
		}
	}
	for _, id := range ch.Delete {
		res, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE id = ?`, id)
		if err := s.oneRow(res, err, "delete source", id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM source_cursors WHERE source_id = ?`, id); err != nil {
			return fmt.Errorf("store: delete source %q: cursor: %w", id, mapError(err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: apply sources: commit: %w", mapError(err))
	}
	return nil
}
