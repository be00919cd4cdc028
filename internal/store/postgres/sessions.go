package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// CreateSession stores s. A session with the same hash is store.ErrAlreadyExists.
func (s *Store) CreateSession(ctx context.Context, sess store.Session) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO sessions (hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		sess.Hash, sess.UserID, sess.CSRF, store.UnixNano(sess.CreatedAt), store.UnixNano(sess.ExpiresAt))
	if err != nil {
		return fmt.Errorf("store: create session for user %d: %w", sess.UserID, mapError(err))
	}
	return nil
}

// SessionByHash returns the session with hash, expired or not, or store.ErrNotFound. Deciding whether
// it is still valid is the caller's job, with its clock.
func (s *Store) SessionByHash(ctx context.Context, hash []byte) (store.Session, error) {
	var sess store.Session
	var created, expires int64
	err := s.pool.QueryRow(ctx, `SELECT hash, user_id, csrf, created_at, expires_at FROM sessions WHERE hash = $1`, hash).
		Scan(&sess.Hash, &sess.UserID, &sess.CSRF, &created, &expires)
	if err != nil {
		return store.Session{}, fmt.Errorf("store: session: %w", mapError(err))
	}
	sess.CreatedAt, sess.ExpiresAt = store.FromUnixNano(created), store.FromUnixNano(expires)
	return sess, nil
}

// DeleteSession removes the session with hash. Deleting a session that is already gone is not an
// error, so logging out twice is harmless.
func (s *Store) DeleteSession(ctx context.Context, hash []byte) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE hash = $1`, hash); err != nil {
		return fmt.Errorf("store: delete session: %w", mapError(err))
	}
	return nil
}

// DeleteSessionsBefore removes the sessions that expired before t and returns how many.
func (s *Store) DeleteSessionsBefore(ctx context.Context, t time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE expires_at < $1`, store.UnixNano(t))
	if err != nil {
		return 0, fmt.Errorf("store: delete sessions before %s: %w", t.Format(time.RFC3339), mapError(err))
	}
	return int(tag.RowsAffected()), nil
}
