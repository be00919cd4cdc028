package source

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// Statement is one message to publish on one platform: a reply to a post, or a post of its own.
type Statement struct {
	Text string
	Lang string // ISO 639-1 code of the text; "" when unknown
	// ReplyTo is the platform's id of the post this answers: an at:// URI on Bluesky, a status id on
	// Mastodon, a tweet id on X. "" publishes a post of its own.
	ReplyTo string
	// IdempotencyKey makes a retry safe: publishing the same key twice gives the first result and no second
	// post. It is required; an approval id with the platform name is a good one.
	IdempotencyKey string
	// CreatedAt is when the statement was approved; it is the record's time where a platform keeps one, and
	// part of its identity on Bluesky, so a retry must pass the same value. Zero means now.
	CreatedAt time.Time
	// Visibility applies to Mastodon: public (the default), unlisted, private or direct.
	Visibility string
}

// Published is where a statement landed.
type Published struct {
	ID  string `json:"id"`  // the platform's id, usable as the ReplyTo of a follow-up
	URL string `json:"url"` // where people read it
}

// Publisher posts statements to one account on one platform.
type Publisher interface {
	// Publish posts st and returns where it landed. Publishing a key that was published before returns
	// that earlier result and posts nothing.
	Publish(ctx context.Context, st Statement) (Published, error)
}

// ErrNoIdempotencyKey is returned for a statement without an idempotency key.
var ErrNoIdempotencyKey = errors.New("publish: statement has no idempotency key")

// PublishThread posts parts in order, each one replying to the one before; the first replies to
// parts[0].ReplyTo, if set. Parts without their own idempotency key get key/n, so a retried thread
// resumes after the last part that went out instead of repeating the thread. It returns what was
// published up to the first failure.
func PublishThread(ctx context.Context, p Publisher, key string, parts []Statement) ([]Published, error) {
	out := make([]Published, 0, len(parts))
	for i, st := range parts {
		if st.IdempotencyKey == "" {
			if key == "" {
				return out, ErrNoIdempotencyKey
			}
			st.IdempotencyKey = key + "/" + strconv.Itoa(i+1)
		}
		if i > 0 {
			st.ReplyTo = out[i-1].ID
		}
		pub, err := p.Publish(ctx, st)
		if err != nil {
			return out, fmt.Errorf("publish: thread part %d of %d: %w", i+1, len(parts), err)
		}
		out = append(out, pub)
	}
	return out, nil
}

// PublishLog remembers what was published under which idempotency key, for platforms that have no
// idempotency of their own (X). The store implements it for production; MemoryPublishLog serves tests
// and one-off commands.
type PublishLog interface {
	// Published returns what was published under key, and false when nothing was.
	Published(ctx context.Context, key string) (Published, bool, error)
	RecordPublished(ctx context.Context, key string, p Published) error
}

// MemoryPublishLog is a PublishLog that lives as long as the process.
type MemoryPublishLog struct {
	mu sync.Mutex
	m  map[string]Published
}

// NewMemoryPublishLog returns an empty log.
func NewMemoryPublishLog() *MemoryPublishLog { return &MemoryPublishLog{m: make(map[string]Published)} }

// Published returns what was recorded under key.
func (l *MemoryPublishLog) Published(ctx context.Context, key string) (Published, bool, error) {
	if err := ctx.Err(); err != nil {
		return Published{}, false, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	p, ok := l.m[key]
	return p, ok, nil
}

// RecordPublished records p under key.
func (l *MemoryPublishLog) RecordPublished(ctx context.Context, key string, p Published) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.m[key] = p
	return nil
}
