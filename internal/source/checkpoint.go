package source

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Checkpoint spaces out the saves of one source's resume cursor. A source calls Save after emit has
// accepted the posts up to the cursor: it writes the cursor when it moved since the last save and, unless
// forced, when at least Every has passed. A source forces a save when its run ends, so the last accepted
// posts are not replayed after a restart.
type Checkpoint struct {
	Store CursorStore // nil: the source keeps no cursor
	ID    string
	Every time.Duration

	mu       sync.Mutex
	saved    string
	lastSave time.Time
}

// Load returns the stored cursor, or "" when there is none or no store. It does not mark the cursor as
// saved: the source checks it first and calls Saved with the value it resumes from.
func (c *Checkpoint) Load(ctx context.Context) (string, error) {
	if c.Store == nil {
		return "", nil
	}
	return c.Store.Cursor(ctx, c.ID)
}

// Saved records cursor as the one the store holds, so Save does not write it again.
func (c *Checkpoint) Saved(cursor string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.saved = cursor
}

// Save writes cursor if it is due at now.
func (c *Checkpoint) Save(ctx context.Context, cursor string, now time.Time, force bool) error {
	if c.Store == nil {
		return nil
	}
	c.mu.Lock()
	due := cursor != c.saved && (force || now.Sub(c.lastSave) >= c.Every)
	c.mu.Unlock()
	if !due {
		return nil
	}
	if err := c.Store.SetCursor(ctx, c.ID, cursor); err != nil {
		return err
	}
	c.mu.Lock()
	c.saved, c.lastSave = cursor, now
	c.mu.Unlock()
	return nil
}

// Resume loads the cursor a run starts from and records it as saved. A cursor that valid refuses (nil
// accepts any) is logged and dropped, so the source starts live rather than not at all.
func (c *Checkpoint) Resume(ctx context.Context, valid func(string) bool, log *slog.Logger) (string, error) {
	raw, err := c.Load(ctx)
	if err != nil {
		return "", fmt.Errorf("%s: load cursor: %w", c.ID, err)
	}
	if raw != "" && valid != nil && !valid(raw) {
		if log != nil {
			log.Warn("ignoring unreadable cursor; starting live", "cursor", raw)
		}
		raw = ""
	}
	c.Saved(raw)
	return raw, nil
}
