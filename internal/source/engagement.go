package source

import (
	"context"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

// Counts is a newer engagement count of a post a source did not deliver itself this time: a connector
// counted likes and reposts of it, or a platform sent counts without the post. Only posts already
// stored are updated, and counts never go down.
type Counts struct {
	Platform string
	ID       string
	Metrics  post.Metrics
}

// EmitCounts hands engagement counts to the rest of the system. A non-nil error stops the source, as
// for Emit.
type EmitCounts func(ctx context.Context, counts []Counts) error
