package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

const userColumns = `id, email, password_hash, role, lang, disabled, created_at`

// CreateUser stores u and sets u.ID. The email is unique regardless of case.
func (s *Store) CreateUser(ctx context.Context, u *store.User) error {
	err := s.pool.QueryRow(ctx, `INSERT INTO users (email, email_key, password_hash, role, lang, disabled, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		u.Email, strings.ToLower(u.Email), u.PasswordHash, u.Role, u.Lang, u.Disabled, store.UnixNano(u.CreatedAt)).Scan(&u.ID)
	if err != nil {
		return fmt.Errorf("store: create user %q: %w", u.Email, mapError(err))
	}
	return nil
}

// UserByID returns the user with id, or store.ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id int64) (store.User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if err != nil {
		return store.User{}, fmt.Errorf("store: user %d: %w", id, mapError(err))
	}
	return u, nil
}

// UserByEmail returns the user with email in any case, or store.ErrNotFound.
func (s *Store) UserByEmail(ctx context.Context, email string) (store.User, error) {
	if !isStorable(email) {
		// PostgreSQL rejects such a string outright; no stored email can equal it anyway.
		return store.User{}, fmt.Errorf("store: user %q: %w", email, store.ErrNotFound)
	}
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email_key = $1`, strings.ToLower(email)))
	if err != nil {
		return store.User{}, fmt.Errorf("store: user %q: %w", email, mapError(err))
	}
	return u, nil
}

// Users returns every user in the order they were created.
func (s *Store) Users(ctx context.Context) ([]store.User, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+userColumns+` FROM users ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", mapError(err))
	}
	defer rows.Close()
	users := []store.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("store: users: %w", mapError(err))
		}
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: users: %w", mapError(err))
	}
	return users, nil
}

// CountUsers returns how many users exist.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count users: %w", mapError(err))
	}
	return n, nil
}

// UpdateUser writes the password hash, role, language and disabled flag of the user u.ID, or returns
// store.ErrNotFound.
func (s *Store) UpdateUser(ctx context.Context, u store.User) error {
	tag, err := s.pool.Exec(ctx, `UPDATE users SET password_hash = $1, role = $2, lang = $3, disabled = $4 WHERE id = $5`,
		u.PasswordHash, u.Role, u.Lang, u.Disabled, u.ID)
	if err != nil {
		return fmt.Errorf("store: update user %d: %w", u.ID, mapError(err))
	}
	if err := oneRow(tag); err != nil {
		return fmt.Errorf("store: update user %d: %w", u.ID, err)
	}
	return nil
}

func scanUser(row pgx.Row) (store.User, error) {
	var u store.User
	var created int64
	if err := row.Scan(&u.ID, &u.Email, &u.PasswordHash, &u.Role, &u.Lang, &u.Disabled, &created); err != nil {
		return store.User{}, err
	}
	u.CreatedAt = store.FromUnixNano(created)
	return u, nil
}

// oneRow reports store.ErrNotFound when an UPDATE or DELETE by key changed nothing.
func oneRow(tag pgconn.CommandTag) error {
	if tag.RowsAffected() == 0 {
		return store.ErrNotFound
	}
	return nil
}
