package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

const userColumns = `id, email, password_hash, role, lang, disabled, created_at`

// CreateUser stores u and sets u.ID. The email is unique regardless of case.
func (s *Store) CreateUser(ctx context.Context, u *store.User) error {
	res, err := s.write.ExecContext(ctx, `INSERT INTO users (email, email_key, password_hash, role, lang, disabled, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		u.Email, strings.ToLower(u.Email), u.PasswordHash, u.Role, u.Lang, u.Disabled, store.UnixNano(u.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: create user %q: %w", u.Email, mapError(err))
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("store: create user %q: %w", u.Email, mapError(err))
	}
	u.ID = id
	return nil
}

// UserByID returns the user with id, or store.ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id int64) (store.User, error) {
	u, err := scanUser(s.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if err != nil {
		return store.User{}, fmt.Errorf("store: user %d: %w", id, mapError(err))
	}
	return u, nil
}

// UserByEmail returns the user with email in any case, or store.ErrNotFound.
func (s *Store) UserByEmail(ctx context.Context, email string) (store.User, error) {
	u, err := scanUser(s.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email_key = ?`, strings.ToLower(email)))
	if err != nil {
		return store.User{}, fmt.Errorf("store: user %q: %w", email, mapError(err))
	}
	return u, nil
}

// Users returns every user in the order they were created.
func (s *Store) Users(ctx context.Context) ([]store.User, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY id`)
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
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count users: %w", mapError(err))
	}
	return n, nil
}

// UpdateUser writes the password hash, role, language and disabled flag of the user u.ID, or returns
// store.ErrNotFound.
func (s *Store) UpdateUser(ctx context.Context, u store.User) error {
	res, err := s.write.ExecContext(ctx, `UPDATE users SET password_hash = ?, role = ?, lang = ?, disabled = ? WHERE id = ?`,
		u.PasswordHash, u.Role, u.Lang, u.Disabled, u.ID)
	if err != nil {
		return fmt.Errorf("store: update user %d: %w", u.ID, mapError(err))
	}
	if err := oneRow(res); err != nil {
		return fmt.Errorf("store: update user %d: %w", u.ID, err)
	}
	return nil
}

type scanner interface {
	Scan(dest ...any) error
}

func scanUser(row scanner) (store.User, error) {
	var u store.User
	var created int64
	if err := row.Scan(&u.ID, &u.Email, &u.PasswordHash, &u.Role, &u.Lang, &u.Disabled, &created); err != nil {
		return store.User{}, err
	}
	u.CreatedAt = store.FromUnixNano(created)
	return u, nil
}

// oneRow reports store.ErrNotFound when an UPDATE or DELETE by key changed nothing.
func oneRow(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return mapError(err)
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}
