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
	// ErrConflict is a write based on a version that someone else changed in the meantime.
	ErrConflict = errors.New("changed by someone else")
)

// Store is everything crisisdesk persists. Domain packages declare the smaller interfaces they need;
// this one exists so that main can hold one value and the shared test suite can test it whole.
type Store interface {
	// Outbox keeps notifications, escalations and acknowledgements (outbox.go).
	Outbox
	// Plans keeps the crisis plan's versions (plan.go).
	Plans
	// PlanBases saves a plan version only on the version its author started from (plan_base.go).
	PlanBases
	// Incidents keeps incidents, their timelines, tasks and claims (incidents.go).
	Incidents
	// Stakeholders keeps who informed which stakeholder of an incident, and when (stakeholders.go).
	Stakeholders
	// Situations sums up an incident's matched posts for the incident room (situation.go).
	Situations
	// Sources keeps the sources configured in the web app (sources.go).
	Sources
	// SourceBatches stores a whole list of source changes in one transaction (sourcebatch.go).
	SourceBatches
	// Alerts keeps alerts and silences (alerts.go).
	Alerts
	// Statements keeps the composer's statements, history, audit log and publications (statements.go).
	Statements
	// PublishAccounts keeps the accounts the composer publishes with (publishaccounts.go).
	PublishAccounts
	// Engagement raises the engagement counts of stored posts (engagement.go).
	Engagement
	// PostLookup reads stored posts by (platform, id) (postlookup.go).
	PostLookup

	// InsertPosts stores posts in one transaction. Posts are idempotent by (platform, id): a post that is
	// already stored is skipped. It returns how many were new.
	InsertPosts(ctx context.Context, posts []post.Post) (inserted int, err error)
	// SearchPosts returns stored posts matching q, newest first (by created_at, then platform and id).
	SearchPosts(ctx context.Context, q PostQuery) ([]post.Post, error)
	// CountPosts returns how many posts are stored.
	CountPosts(ctx context.Context) (int64, error)
	// InsertStoredPosts is InsertPosts for posts that come with their analysis and the monitors they
	// matched, all written in the same transaction as the post. A post already stored is skipped, its
	// first analysis kept.
	InsertStoredPosts(ctx context.Context, posts []StoredPost) (inserted int, err error)
	// SearchStoredPosts is SearchPosts returning each post with its analysis and monitor ids.
	SearchStoredPosts(ctx context.Context, q PostQuery) ([]StoredPost, error)

	// CreateMonitor stores m, which must carry its ID. A second monitor with the same ID is
	// ErrAlreadyExists.
	CreateMonitor(ctx context.Context, m Monitor) error
	MonitorByID(ctx context.Context, id string) (Monitor, error)
	// Monitors returns every monitor, by name and then id.
	Monitors(ctx context.Context) ([]Monitor, error)
	// UpdateMonitor writes the name, query, enabled flag and updated_at of an existing monitor.
	UpdateMonitor(ctx context.Context, m Monitor) error
	DeleteMonitor(ctx context.Context, id string) error
	// MonitorMatchCounts returns, per monitor id, how many stored posts created at or after since
	// matched it. Monitors without such posts are absent.
	MonitorMatchCounts(ctx context.Context, since time.Time) (map[string]int64, error)

	// Settings returns the settings, DefaultSettings until they are first saved.
	Settings(ctx context.Context) (Settings, error)
	SaveSettings(ctx context.Context, s Settings) error

	// Cursor returns the saved resume position of a source, or "" when there is none, so sources
	// resume where they stopped after a restart (source.CursorStore).
	Cursor(ctx context.Context, sourceID string) (string, error)
	SetCursor(ctx context.Context, sourceID, cursor string) error

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

	Monitor   string // only posts that matched this monitor id
	Sentiment string // negative, neutral or positive
	Category  string // one of Categories
	Complaint bool   // only posts analysed as complaints
}

// Categories is the fixed set of crisis categories (DESIGN.md). The stores keep a post's categories as
// a bit set in this order, so filtering by one is a cheap test on an integer; the order must never
// change, only grow at the end.
var Categories = []string{
	"data_breach", "product_safety", "service_outage", "employee_conduct",
	"discrimination", "fraud_scam", "legal_regulatory", "boycott",
}

// CategoryBit is the bit of category c in the stored set, or 0 for a name outside Categories.
func CategoryBit(c string) int64 {
	for i, name := range Categories {
		if name == c {
			return 1 << i
		}
	}
	return 0
}

// CategoryBits is the stored set of cats.
func CategoryBits(cats []string) int64 {
	var bits int64
	for _, c := range cats {
		bits |= CategoryBit(c)
	}
	return bits
}

// StoredPost is a post as ingest stores it: with its analysis and the ids of the monitors it matched.
type StoredPost struct {
	Post     post.Post
	Analysis Analysis
	Monitors []string
}

// Analysis is the stored part of a post's annotation (analyze.Annotation). A post stored without
// analysis (by InsertPosts) has the zero value, which Analysed tells apart.
type Analysis struct {
	Lang           string              `json:"lang"`
	LangConfidence float64             `json:"lang_confidence"`
	Sentiment      string              `json:"sentiment"`
	SentimentScore float64             `json:"sentiment_score"`
	Complaint      bool                `json:"complaint"`
	ComplaintScore float64             `json:"complaint_score"`
	Categories     []string            `json:"categories"`
	Evidence       map[string][]string `json:"evidence,omitempty"`
}

// Analysed reports whether a is a real analysis rather than the zero value.
func (a Analysis) Analysed() bool { return a.Sentiment != "" }

// Monitor is a standing query whose matches ingest stores.
type Monitor struct {
	ID        string // short and stable; chosen by whoever creates it
	Name      string
	Query     string
	Enabled   bool
	CreatedBy int64 // user id; 0 when created outside the web app
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Settings are the system-wide settings an admin changes in the web app.
type Settings struct {
	// KeepAllPosts stores posts that match no monitor too. Off by default: DESIGN.md says the firehose
	// is filtered, not archived, and a new installation should not fill its disk before anyone has
	// written a monitor.
	KeepAllPosts bool
}

// DefaultSettings are the settings of a new installation.
func DefaultSettings() Settings { return Settings{KeepAllPosts: false} }

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
