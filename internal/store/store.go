// Package store declares what crisisdesk keeps and the errors every implementation maps its driver
// errors to. The sqlite and postgres subpackages implement Store and pass the storetest suite.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

// Sentinels. Implementations map driver errors to these in one place each.
var (
	ErrNotFound      = errors.New("not found")
	ErrAlreadyExists = errors.New("already exists")
)

// Store is everything crisisdesk persists. Domain packages declare the smaller interfaces they need;
// this one exists so that main can hold one value and the shared test suite can test it whole.
type Store interface {
	// InsertPosts stores posts in one transaction. Posts are idempotent by (platform, id): a post that is
	// already stored is skipped. It returns how many were new.
	InsertPosts(ctx context.Context, posts []post.Post) (inserted int, err error)
	// SearchPosts returns stored posts matching q, newest first (by created_at, then platform and id).
	SearchPosts(ctx context.Context, q PostQuery) ([]post.Post, error)
	// CountPosts returns how many posts are stored.
	CountPosts(ctx context.Context) (int64, error)

	// CreateUser stores u and sets u.ID. A second user with the same email (case-insensitive) is
	// ErrAlreadyExists.
	CreateUser(ctx context.Context, u *User) error
	UserByID(ctx context.Context, id int64) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	Users(ctx context.Context) ([]User, error)
	CountUsers(ctx context.Context) (int, error)
	// UpdateUser writes the password hash, role, language and disabled flag of an existing user.
	UpdateUser(ctx context.Context, u User) error

	CreateSession(ctx context.Context, s Session) error
	SessionByHash(ctx context.Context, hash []byte) (Session, error)
	DeleteSession(ctx context.Context, hash []byte) error
	// DeleteSessionsBefore removes sessions that expired before t and returns how many.
	DeleteSessionsBefore(ctx context.Context, t time.Time) (int, error)

	// CreateAPIToken stores t and sets t.ID.
	CreateAPIToken(ctx context.Context, t *APIToken) error
	APITokenByHash(ctx context.Context, hash []byte) (APIToken, error)
	// TouchAPIToken records the last use of a token.
	TouchAPIToken(ctx context.Context, id int64, at time.Time) error
	// APITokensByUser returns the tokens of one user, newest first, so the user can see and revoke them.
	APITokensByUser(ctx context.Context, userID int64) ([]APIToken, error)
	// DeleteAPIToken revokes token id of user userID. It is ErrNotFound when that user has no such token,
	// so one user can never revoke another's.
	DeleteAPIToken(ctx context.Context, userID, id int64) error

	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	Close() error
}

// PostQuery selects stored posts. Zero fields do not filter.
type PostQuery struct {
	// Text is a full-text search: words are ANDed, "quoted words" form a phrase, and a trailing * makes
	// a prefix. Matching ignores case and diacritics.
	Text     string
	Platform string
	Lang     string
	Since    time.Time // created_at >= Since
	Until    time.Time // created_at < Until
	Limit    int       // at most this many; 0 means 100; capped at 1000
}

// User is an account that can log in or hold API tokens.
type User struct {
	ID           int64
	Email        string
	PasswordHash string // argon2id, in the PHC string format
	Role         string // admin, responder or viewer
	Lang         string // preferred UI language: nl or en
	Disabled     bool
	CreatedAt    time.Time
}

// Session is a logged-in browser. Only the SHA-256 hash of the cookie value is stored.
type Session struct {
	Hash      []byte
	UserID    int64
	CSRF      string // the per-session CSRF secret
	CreatedAt time.Time
	ExpiresAt time.Time
}

// APIToken is a bearer token for the JSON API. Only the SHA-256 hash of the token is stored.
type APIToken struct {
	ID        int64
	UserID    int64
	Name      string
	Hash      []byte
	CreatedAt time.Time
	LastUsed  time.Time // zero when never used
}

// Search limits: PostQuery.Limit 0 (or less) means DefaultSearchLimit, and no search returns more than
// MaxSearchLimit posts.
const (
	DefaultSearchLimit = 100
	MaxSearchLimit     = 1000
)

// SearchLimit is the number of posts a query with limit n returns at most.
func SearchLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultSearchLimit
	case n > MaxSearchLimit:
		return MaxSearchLimit
	}
	return n
}
