package store

import (
	"context"
	"time"
)

// Alert statuses as stored. An alert is open from its first event until it is resolved, by the alert
// manager when it goes quiet or by a person.
const (
	AlertOpen     = "open"
	AlertResolved = "resolved"
)

// Alert is the stored state of one alert: what its latest event said, and who acknowledged or resolved
// it. Explanation is the alert manager's explanation as JSON, opaque to the store.
type Alert struct {
	ID          string
	Monitor     string
	Kind        string
	Severity    string // low, medium, high or critical
	Status      string // AlertOpen or AlertResolved
	Summary     string
	Explanation []byte
	PostIDs     []string
	OpenedAt    time.Time
	UpdatedAt   time.Time // the time of the latest event written
	ResolvedAt  time.Time // zero while open
	ResolvedBy  string    // empty when the alert manager resolved it
	AckedBy     string
	AckedAt     time.Time // zero until acknowledged
}

// AlertQuery selects alerts. Zero fields do not filter.
type AlertQuery struct {
	Monitor string
	Status  string    // AlertOpen or AlertResolved
	Since   time.Time // updated_at >= Since
	Limit   int       // at most this many; 0 means 100; capped at 1000
}

// Silence mutes the alerts of a monitor and/or a kind (empty matches any) from Start until End.
type Silence struct {
	ID        string
	Monitor   string
	Kind      string
	Start     time.Time
	End       time.Time
	Comment   string
	CreatedBy string
	CreatedAt time.Time
}

// Alerts keeps alerts and silences.
type Alerts interface {
	// SaveAlert writes one alert event. The first event of an ID creates the alert; a later one updates
	// its severity, summary, explanation, post ids and status. An event that is not newer than what is
	// stored changes nothing, so writing the same event twice, or an old one after a new one, is
	// harmless. A resolved event sets ResolvedAt to its UpdatedAt. Acknowledgement is kept across
	// events.
	SaveAlert(ctx context.Context, a Alert) error
	AlertByID(ctx context.Context, id string) (Alert, error)
	// Alerts returns alerts by q, most recently updated first, then by id.
	Alerts(ctx context.Context, q AlertQuery) ([]Alert, error)
	// AcknowledgeAlert records who acknowledged alert id and when. Only the first acknowledgement is
	// kept; a later one returns nil and changes nothing. An unknown id is ErrNotFound.
	AcknowledgeAlert(ctx context.Context, id, by string, at time.Time) error
	// ResolveAlert resolves an open alert by hand. Resolving a resolved alert changes nothing. An
	// unknown id is ErrNotFound.
	ResolveAlert(ctx context.Context, id, by string, at time.Time) error

	// CreateSilence stores s, which must carry its ID; a second silence with the same ID is
	// ErrAlreadyExists.
	CreateSilence(ctx context.Context, s Silence) error
	// Silences returns the silences that have not ended at t (End > t), by start and then id.
	Silences(ctx context.Context, t time.Time) ([]Silence, error)
	// ExpireSilence ends silence id at t, when it would end later. An unknown id is ErrNotFound.
	ExpireSilence(ctx context.Context, id string, t time.Time) error

	// MonitorActivity counts the stored posts that matched monitor and were created in [since, until),
	// in buckets of width step starting at since, with how many of them were negative, for the charts
	// its alerts are read against. Buckets without posts are left out; the rest come in time order.
	MonitorActivity(ctx context.Context, monitor string, since, until time.Time, step time.Duration) ([]ActivityBucket, error)
}

// ActivityBucket is the matched posts of a monitor in one time bucket.
type ActivityBucket struct {
	Start    time.Time
	Posts    int64
	Negative int64
}
