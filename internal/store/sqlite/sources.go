package sqlite

import (
	"context"
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

const sourceColumns = `id, kind, name, settings, credentials, enabled, created_at, updated_at`

// CreateSource stores src; its id must be new.
func (s *Store) CreateSource(ctx context.Context, src store.Source) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO sources (`+sourceColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		src.ID, src.Kind, src.Name, src.Settings, src.Credentials, src.Enabled,
		store.UnixNano(src.CreatedAt), store.UnixNano(src.UpdatedAt))
	if err != nil {
		return fmt.Errorf("store: create source %q: %w", src.ID, mapError(err))
	}
	return nil
}

// SourceByID returns the source with id, or store.ErrNotFound.
func (s *Store) SourceByID(ctx context.Context, id string) (store.Source, error) {
	src, err := scanSource(s.read.QueryRowContext(ctx, `SELECT `+sourceColumns+` FROM sources WHERE id = ?`, id))
	if err != nil {
		return store.Source{}, fmt.Errorf("store: source %q: %w", id, mapError(err))
	}
	return src, nil
}

// Sources returns every source by name, then id.
func (s *Store) Sources(ctx context.Context) ([]store.Source, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+sourceColumns+` FROM sources ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("store: sources: %w", mapError(err))
	}
	defer rows.Close()
	srcs := []store.Source{}
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			return nil, fmt.Errorf("store: sources: %w", mapError(err))
		}
		srcs = append(srcs, src)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: sources: %w", mapError(err))
	}
	return srcs, nil
}

// UpdateSource writes the changeable fields of an existing source, or returns store.ErrNotFound.
func (s *Store) UpdateSource(ctx context.Context, src store.Source) error {
	res, err := s.write.ExecContext(ctx, `UPDATE sources SET name = ?, settings = ?, credentials = ?, enabled = ?,
		updated_at = ? WHERE id = ?`,
		src.Name, src.Settings, src.Credentials, src.Enabled, store.UnixNano(src.UpdatedAt), src.ID)
	return s.oneRow(res, err, "update source", src.ID)
}

// DeleteSource removes a source and its cursor in one transaction, so a source later created with the
// same id starts afresh instead of resuming from a stranger's position.
func (s *Store) DeleteSource(ctx context.Context, id string) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: delete source %q: %w", id, mapError(err))
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE id = ?`, id)
	if err := s.oneRow(res, err, "delete source", id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM source_cursors WHERE source_id = ?`, id); err != nil {
		return fmt.Errorf("store: delete source %q: cursor: %w", id, mapError(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: delete source %q: commit: %w", id, mapError(err))
	}
	return nil
}

func scanSource(r rowScanner) (store.Source, error) {
	var src store.Source
	var created, updated int64
	if err := r.Scan(&src.ID, &src.Kind, &src.Name, &src.Settings, &src.Credentials, &src.Enabled, &created, &updated); err != nil {
		return store.Source{}, err
	}
	src.CreatedAt, src.UpdatedAt = store.FromUnixNano(created), store.FromUnixNano(updated)
	return src, nil
}
