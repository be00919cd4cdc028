package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// CreateAPIToken stores t and sets t.ID. A token with the same hash is store.ErrAlreadyExists.
func (s *Store) CreateAPIToken(ctx context.Context, t *store.APIToken) error {
	var lastUsed sql.NullInt64
	if !t.LastUsed.IsZero() {
		lastUsed = sql.NullInt64{Int64: store.UnixNano(t.LastUsed), Valid: true}
	}
	res, err := s.write.ExecContext(ctx, `INSERT INTO api_tokens (user_id, name, hash, created_at, last_used) VALUES (?, ?, ?, ?, ?)`,
		t.UserID, t.Name, t.Hash, store.UnixNano(t.CreatedAt), lastUsed)
	if err != nil {
		return fmt.Errorf("store: create api token %q for user %d: %w", t.Name, t.UserID, mapError(err))
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("store: create api token %q for user %d: %w", t.Name, t.UserID, mapError(err))
	}
	t.ID = id
	return nil
}

const tokenColumns = `id, user_id, name, hash, created_at, last_used`

// APITokenByHash returns the token with hash, or store.ErrNotFound.
func (s *Store) APITokenByHash(ctx context.Context, hash []byte) (store.APIToken, error) {
	t, err := scanToken(s.read.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE hash = ?`, hash))
	if err != nil {
		return store.APIToken{}, fmt.Errorf("store: api token: %w", mapError(err))
	}
	return t, nil
}

// APITokensByUser returns the tokens of user userID, newest first.
func (s *Store) APITokensByUser(ctx context.Context, userID int64) ([]store.APIToken, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, id DESC`, userID)
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

// DeleteAPIToken revokes token id of user userID, or returns store.ErrNotFound when that user has no
// such token.
func (s *Store) DeleteAPIToken(ctx context.Context, userID, id int64) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM api_tokens WHERE id = ? AND user_id = ?`, id, userID)
	if err != nil {
		return fmt.Errorf("store: delete api token %d of user %d: %w", id, userID, mapError(err))
	}
	if err := oneRow(res); err != nil {
		return fmt.Errorf("store: delete api token %d of user %d: %w", id, userID, err)
	}
	return nil
}

func scanToken(row scanner) (store.APIToken, error) {
	var t store.APIToken
	var created int64
	var lastUsed sql.NullInt64
	if err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &created, &lastUsed); err != nil {
		return store.APIToken{}, err
	}
	t.CreatedAt = store.FromUnixNano(created)
	if lastUsed.Valid {
		t.LastUsed = store.FromUnixNano(lastUsed.Int64)
	}
	return t, nil
}

// TouchAPIToken records at as the last use of token id, or returns store.ErrNotFound.
func (s *Store) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	res, err := s.write.ExecContext(ctx, `UPDATE api_tokens SET last_used = ? WHERE id = ?`, store.UnixNano(at), id)
	if err != nil {
		return fmt.Errorf("store: touch api token %d: %w", id, mapError(err))
	}
	if err := oneRow(res); err != nil {
		return fmt.Errorf("store: touch api token %d: %w", id, err)
	}
	return nil
}
