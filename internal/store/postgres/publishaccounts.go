package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

const publishAccountColumns = `id, platform, name, handle, service, credentials, enabled, created_at, updated_at`

// CreatePublishAccount stores a; its id must be new.
func (s *Store) CreatePublishAccount(ctx context.Context, a store.PublishAccount) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO publish_accounts (`+publishAccountColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		storable(a.ID), storable(a.Platform), storable(a.Name), storable(a.Handle), storable(a.Service), storable(a.Credentials),
		a.Enabled, store.UnixNano(a.CreatedAt), store.UnixNano(a.UpdatedAt))
	if err != nil {
		return fmt.Errorf("store: create publish account %q: %w", a.ID, mapError(err))
	}
	return nil
}

// PublishAccountByID returns one account, or store.ErrNotFound.
func (s *Store) PublishAccountByID(ctx context.Context, id string) (store.PublishAccount, error) {
	if !isStorable(id) {
		return store.PublishAccount{}, fmt.Errorf("store: publish account %q: %w", id, store.ErrNotFound)
	}
	a, err := scanPublishAccount(s.pool.QueryRow(ctx, `SELECT `+publishAccountColumns+` FROM publish_accounts WHERE id = $1`, id))
	if err != nil {
		return store.PublishAccount{}, fmt.Errorf("store: publish account %q: %w", id, mapError(err))
	}
	return a, nil
}

// PublishAccounts returns every account by name, then id.
func (s *Store) PublishAccounts(ctx context.Context) ([]store.PublishAccount, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+publishAccountColumns+` FROM publish_accounts ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("store: publish accounts: %w", mapError(err))
	}
	defer rows.Close()
	out := []store.PublishAccount{}
	for rows.Next() {
		a, err := scanPublishAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("store: publish accounts: %w", mapError(err))
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: publish accounts: %w", mapError(err))
	}
	return out, nil
}

// UpdatePublishAccount writes the changeable fields of an existing account.
func (s *Store) UpdatePublishAccount(ctx context.Context, a store.PublishAccount) error {
	if !isStorable(a.ID) {
		return fmt.Errorf("store: update publish account %q: %w", a.ID, store.ErrNotFound)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE publish_accounts SET name = $1, handle = $2, service = $3, credentials = $4,
		enabled = $5, updated_at = $6 WHERE id = $7`,
		storable(a.Name), storable(a.Handle), storable(a.Service), storable(a.Credentials), a.Enabled, store.UnixNano(a.UpdatedAt), a.ID)
	if err != nil {
		return fmt.Errorf("store: update publish account %q: %w", a.ID, mapError(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("store: update publish account %q: %w", a.ID, store.ErrNotFound)
	}
	return nil
}

// DeletePublishAccount removes an account.
func (s *Store) DeletePublishAccount(ctx context.Context, id string) error {
	if !isStorable(id) {
		return fmt.Errorf("store: delete publish account %q: %w", id, store.ErrNotFound)
	}
	tag, err := s.pool.Exec(ctx, `DELETE FROM publish_accounts WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("store: delete publish account %q: %w", id, mapError(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("store: delete publish account %q: %w", id, store.ErrNotFound)
	}
	return nil
}

func scanPublishAccount(r pgx.Row) (store.PublishAccount, error) {
	var a store.PublishAccount
	var created, updated int64
	if err := r.Scan(&a.ID, &a.Platform, &a.Name, &a.Handle, &a.Service, &a.Credentials, &a.Enabled, &created, &updated); err != nil {
		return store.PublishAccount{}, err
	}
	a.CreatedAt, a.UpdatedAt = store.FromUnixNano(created), store.FromUnixNano(updated)
	return a, nil
}
