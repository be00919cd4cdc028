package store

import (
	"context"
	"time"
)

// PublishAccount is an account the composer publishes statements with, for a platform whose listening
// source has no account of its own (Bluesky listens on Jetstream without one). Its credentials are
// sealed (package secret); the store never sees them in the clear.
type PublishAccount struct {
	ID       string // short and stable; it is the channel id of the account's publications
	Platform string // bluesky
	Name     string
	// Handle is the account's handle or DID, and Service the address of its server (a Bluesky PDS).
	Handle      string
	Service     string
	Credentials string
	Enabled     bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// PublishAccounts keeps the publishing accounts (publishaccounts.go in each store).
type PublishAccounts interface {
	// CreatePublishAccount stores a, which must carry its ID; a second one with that ID is
	// ErrAlreadyExists.
	CreatePublishAccount(ctx context.Context, a PublishAccount) error
	// PublishAccountByID returns one account, or ErrNotFound.
	PublishAccountByID(ctx context.Context, id string) (PublishAccount, error)
	// PublishAccounts returns every account, by name and then id.
	PublishAccounts(ctx context.Context) ([]PublishAccount, error)
	// UpdatePublishAccount writes the name, handle, service, credentials, enabled flag and updated_at
	// of an existing account, or returns ErrNotFound.
	UpdatePublishAccount(ctx context.Context, a PublishAccount) error
	// DeletePublishAccount removes an account, or returns ErrNotFound. Its publications stay.
	DeletePublishAccount(ctx context.Context, id string) error
}
