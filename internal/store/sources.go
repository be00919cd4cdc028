package store

import (
	"context"
	"time"
)

// Source kinds a Source may have.
const (
	SourceBluesky  = "bluesky"
	SourceMastodon = "mastodon"
	SourceRSS      = "rss"
	SourceX        = "x"
	SourceWebhook  = "webhook"
)

// SourceKinds lists every kind, in the order the web app offers them.
var SourceKinds = []string{SourceBluesky, SourceMastodon, SourceRSS, SourceX, SourceWebhook}

// Source is a connector configured in the web app. Its ID is also the key of its resume cursor
// (Cursor/SetCursor), so deleting a source forgets where it stopped.
type Source struct {
	ID   string // short and stable; chosen by whoever creates it
	Kind string // one of SourceKinds
	Name string
	// Settings is the kind's settings as a JSON object (URL, hashtags, interval…); the store keeps it
	// as it is given.
	Settings string
	// Credentials is the sealed form (package secret) of the kind's credentials, "" when there are
	// none. The store never sees them in the clear.
	Credentials string
	Enabled     bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Sources keeps the configured sources (sources.go in each store).
type Sources interface {
	// CreateSource stores src, which must carry its ID. A second source with the same ID is
	// ErrAlreadyExists.
	CreateSource(ctx context.Context, src Source) error
	// SourceByID returns the source with id, or ErrNotFound.
	SourceByID(ctx context.Context, id string) (Source, error)
	// Sources returns every source, by name and then id.
	Sources(ctx context.Context) ([]Source, error)
	// UpdateSource writes the name, settings, credentials, enabled flag and updated_at of an existing
	// source; kind and created_at never change. It is ErrNotFound for an unknown id.
	UpdateSource(ctx context.Context, src Source) error
	// DeleteSource removes a source and its resume cursor, or returns ErrNotFound.
	DeleteSource(ctx context.Context, id string) error
}
