package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

const tokenColumns = `id, user_id, name, hash, created_at, last_used`

// CreateAPIToken stores t and sets t.ID. A token with the same hash is store.ErrAlreadyExists.
func (s *Store) CreateAPIToken(ctx context.Context, t *store.APIToken) error {
	var lastUsed *int64
	if !t.LastUsed.IsZero() {
		n := store.UnixNano(t.LastUsed)
		lastUsed = &n
	}
	err := s.pool.QueryRow(ctx, `INSERT INTO api_tokens (user_id, name, hash, created_at, last_used) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		t.UserID, t.Name, t.Hash, store.UnixNano(t.CreatedAt), lastUsed).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("store: create api token %q for user %d: %w", t.Name, t.UserID, mapError(err))
	}
	return nil
}

// APITokenByHash returns the token with hash, or store.ErrNotFound.
func (s *Store) APITokenByHash(ctx context.Context, hash []byte) (store.APIToken, error) {
	t, err := scanToken(s.pool.QueryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE hash = $1`, hash))
	if err != nil {
		return store.APIToken{}, fmt.Errorf("store: api token: %w", mapError(err))
	}
	return t, nil
}

// APITokensByUser returns the tokens of user userID, newest first.
func (s *Store) APITokensByUser(ctx context.Context, userID int64) ([]store.APIToken, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: api tokens of user %d: %w", userID, mapError(err))
	}
	defer rows.Close()
	tokens := []store.APIToken{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("store: api tokens of user %d: %w", userID, mapError(err))
		}
		tokens = append(tokens, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: api tokens of user %d: %w", userID, mapError(err))
	}
	return tokens, nil
}

// TouchAPIToken records at as the last use of token id, or returns store.ErrNotFound.
func (s *Store) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE api_tokens SET last_used = $1 WHERE id = $2`, store.UnixNano(at), id)
	if err != nil {
		return fmt.Errorf("store: touch api token %d: %w", id, mapError(err))
	}
	if err := oneRow(tag); err != nil {
		return fmt.Errorf("store: touch api token %d: %w", id, err)
	}
	return nil
}

// DeleteAPIToken revokes token id of user userID, or returns store.ErrNotFound when that user has no
// such token.
func (s *Store) DeleteAPIToken(ctx context.Context, userID, id int64) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM api_tokens WHERE id = $1 AND user_id = $2`, id, userID)
	if err != nil {
		return fmt.Errorf("store: delete api token %d of user %d: %w", id, userID, mapError(err))
	}
	if err := oneRow(tag); err != nil {
		return fmt.Errorf("store: delete api token %d of user %d: %w", id, userID, err)
	}
	return nil
}

func scanToken(row pgx.Row) (store.APIToken, error) {
	var t store.APIToken
	var created int64
	var lastUsed *int64
	if err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &created, &lastUsed); err != nil {
		return store.APIToken{}, err
	}
	t.CreatedAt = store.FromUnixNano(created)
	if lastUsed != nil {
		t.LastUsed = store.FromUnixNano(*lastUsed)
	}
	return t, nil
}
