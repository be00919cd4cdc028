// Package source owns the contract every listening connector fulfils: a Source runs until its context is
// cancelled and hands normalised posts to an emit function, resumes from a cursor that is saved only after
// a post was accepted, reconnects with jittered exponential backoff, and reports its health as a Status and
// as Prometheus metrics. Each connector lives in a subpackage (bluesky, mastodon, feed, x). The publishing
// side is the Publisher interface, with one implementation per platform in the same subpackages. Guard
// keeps connectors off private addresses (dialguard.go); Counts carries engagement counts of posts a
// connector did not deliver itself (engagement.go).
package source

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

// Emit hands one post to the rest of the system. A nil error means the post was accepted, and only then may
// the source move its cursor past it. A non-nil error stops the source: the pipeline behind it is broken,
// and reconnecting to the platform would not help.
type Emit func(ctx context.Context, p post.Post) error

// Source is one listening connector bound to one endpoint.
type Source interface {
	// ID names the source; it keys the cursor and labels the metrics, so it must be stable across restarts.
	ID() string
	// Run listens until ctx is cancelled, then returns nil; once ctx is cancelled it emits nothing more,
	// so an emit function may cancel it to stop after a number of posts. It reconnects on its own after network or
	// server errors; it returns an error only when it gives up: a permanent error (bad credentials, a
	// missing endpoint) or a failing emit.
	Run(ctx context.Context, emit Emit) error
	// Status is a snapshot of the source's health, safe to call while Run is running.
	Status() Status
}

// CursorStore keeps the resume position of each source. The store package implements it; sources declare
// only what they use.
type CursorStore interface {
	// Cursor returns the saved cursor of sourceID, or "" when there is none yet.
	Cursor(ctx context.Context, sourceID string) (string, error)
	SetCursor(ctx context.Context, sourceID, cursor string) error
}

// MemoryCursors is a CursorStore that lives only as long as the process. The listen command uses it, and so
// do tests that restart a source within one process.
type MemoryCursors struct {
	mu sync.Mutex
	m  map[string]string
}

// NewMemoryCursors returns an empty in-memory cursor store.
func NewMemoryCursors() *MemoryCursors { return &MemoryCursors{m: make(map[string]string)} }

// Cursor returns the cursor saved for sourceID, or "".
func (c *MemoryCursors) Cursor(ctx context.Context, sourceID string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[sourceID], nil
}

// SetCursor saves cursor for sourceID.
func (c *MemoryCursors) SetCursor(ctx context.Context, sourceID, cursor string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[sourceID] = cursor
	return nil
}

// permanentError marks an error that reconnecting cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as one that retrying will not fix, so the reconnect loop gives up and returns it.
// Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

// IsPermanent reports whether err, or an error it wraps, was marked with Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// EmitError wraps an error returned by Emit. It is permanent: the source stops, since the platform is not
// at fault.
func EmitError(err error) error {
	return Permanent(fmt.Errorf("emit: %w", err))
}
