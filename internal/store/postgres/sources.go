package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

const sourceColumns = `id, kind, name, settings, credentials, enabled, created_at, updated_at`

// CreateSource stores src; its id must be new.
func (s *Store) CreateSource(ctx context.Context, src store.Source) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO sources (`+sourceColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		storable(src.ID), storable(src.Kind), storable(src.Name), storable(src.Settings), storable(src.Credentials),
		src.Enabled, store.UnixNano(src.CreatedAt), store.UnixNano(src.UpdatedAt))
	if err != nil {
		return fmt.Errorf("store: create source %q: %w", src.ID, mapError(err))
	}
	return nil
}

// SourceByID returns the source with id, or store.ErrNotFound.
func (s *Store) SourceByID(ctx context.Context, id string) (store.Source, error) {
	if !isStorable(id) {
		return store.Source{}, fmt.Errorf("store: source %q: %w", id, store.ErrNotFound)
	}
	src, err := scanSource(s.pool.QueryRow(ctx, `SELECT `+sourceColumns+` FROM sources WHERE id = $1`, id))
	if err != nil {
		return store.Source{}, fmt.Errorf("store: source %q: %w", id, mapError(err))
	}
	return src, nil
}

// Sources returns every source by name, then id.
func (s *Store) Sources(ctx context.Context) ([]store.Source, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+sourceColumns+` FROM sources ORDER BY name, id`)
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
	if !isStorable(src.ID) {
		return fmt.Errorf("store: update source %q: %w", src.ID, store.ErrNotFound)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE sources SET name = $1, settings = $2, credentials = $3, enabled = $4,
		updated_at = $5 WHERE id = $6`,
		storable(src.Name), storable(src.Settings), storable(src.Credentials), src.Enabled, store.UnixNano(src.UpdatedAt), src.ID)
	if err != nil {
		return fmt.Errorf("store: update source %q: %w", src.ID, mapError(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("store: update source %q: %w", src.ID, store.ErrNotFound)
	}
	return nil
}

// DeleteSource removes a source and its cursor in one transaction, so a source later created with the
// same id starts afresh instead of resuming from a stranger's position.
func (s *Store) DeleteSource(ctx context.Context, id string) error {
	if !isStorable(id) {
		return fmt.Errorf("store: delete source %q: %w", id, store.ErrNotFound)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store: delete source %q: %w", id, mapError(err))
	}
	// A cancelled ctx must still end the transaction on the pooled connection.
	defer tx.Rollback(context.WithoutCancel(ctx))
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
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("store: delete source %q: commit: %w", id, mapError(err))
	}
	return nil
}

func scanSource(r pgx.Row) (store.Source, error) {
	var src store.Source
	var created, updated int64
	if err := r.Scan(&src.ID, &src.Kind, &src.Name, &src.Settings, &src.Credentials, &src.Enabled, &created, &updated); err != nil {
		return store.Source{}, err
	}
	src.CreatedAt, src.UpdatedAt = store.FromUnixNano(created), store.FromUnixNano(updated)
	return src, nil
}
