package sqlite

import (
	"context"
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

const publishAccountColumns = `id, platform, name, handle, service, credentials, enabled, created_at, updated_at`

// CreatePublishAccount stores a; its id must be new.
func (s *Store) CreatePublishAccount(ctx context.Context, a store.PublishAccount) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO publish_accounts (`+publishAccountColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.Platform, a.Name, a.Handle, a.Service, a.Credentials, a.Enabled, store.UnixNano(a.CreatedAt), store.UnixNano(a.UpdatedAt))
	if err != nil {
		return fmt.Errorf("store: create publish account %q: %w", a.ID, mapError(err))
	}
	return nil
}

// PublishAccountByID returns one account, or store.ErrNotFound.
func (s *Store) PublishAccountByID(ctx context.Context, id string) (store.PublishAccount, error) {
	a, err := scanPublishAccount(s.read.QueryRowContext(ctx, `SELECT `+publishAccountColumns+` FROM publish_accounts WHERE id = ?`, id))
	if err != nil {
		return store.PublishAccount{}, fmt.Errorf("store: publish account %q: %w", id, mapError(err))
	}
	return a, nil
}

// PublishAccounts returns every account by name, then id.
func (s *Store) PublishAccounts(ctx context.Context) ([]store.PublishAccount, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+publishAccountColumns+` FROM publish_accounts ORDER BY name, id`)
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
	res, err := s.write.ExecContext(ctx, `UPDATE publish_accounts SET name = ?, handle = ?, service = ?, credentials = ?,
		enabled = ?, updated_at = ? WHERE id = ?`,
		a.Name, a.Handle, a.Service, a.Credentials, a.Enabled, store.UnixNano(a.UpdatedAt), a.ID)
	return s.oneRow(res, err, "update publish account", a.ID)
}

// DeletePublishAccount removes an account.
func (s *Store) DeletePublishAccount(ctx context.Context, id string) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM publish_accounts WHERE id = ?`, id)
	return s.oneRow(res, err, "delete publish account", id)
}

func scanPublishAccount(r rowScanner) (store.PublishAccount, error) {
	var a store.PublishAccount
	var created, updated int64
	if err := r.Scan(&a.ID, &a.Platform, &a.Name, &a.Handle, &a.Service, &a.Credentials, &a.Enabled, &created, &updated); err != nil {
		return store.PublishAccount{}, err
	}
	a.CreatedAt, a.UpdatedAt = store.FromUnixNano(created), store.FromUnixNano(updated)
	return a, nil
}
