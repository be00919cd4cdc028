package supervisor

import (
	"context"
	"fmt"
	"sync"

	"github.com/crisisdesk/crisisdesk/internal/ingest"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
)

// Ingester takes batches of posts; *ingest.Ingester is one.
type Ingester interface {
	Ingest(ctx context.Context, posts []post.Post) (ingest.Result, error)
}

// batcher collects one source's posts into batches, since ingest stores a batch in one transaction and
// a burst of a hundred posts is far cheaper as one. The emit contract says a source may save its cursor
// once emit returned, so the batcher also wraps the cursor store: a cursor is saved only after every
// post before it was ingested. A crash then loses buffered posts together with the cursor that would
// have skipped them, and the source sends them again; ingest drops the ones already stored.
type batcher struct {
	in      Ingester
	size    int
	cursors source.CursorStore

	mu  sync.Mutex // held across Ingest too, so batches reach ingest in emit order
	buf []post.Post
}

func newBatcher(in Ingester, size int, cursors source.CursorStore) *batcher {
	return &batcher{in: in, size: size, cursors: cursors, buf: make([]post.Post, 0, size)}
}

// emit buffers p and flushes when the batch is full.
func (b *batcher) emit(ctx context.Context, p post.Post) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p)
	if len(b.buf) < b.size {
		return nil
	}
	return b.flushLocked(ctx)
}

// flush ingests what is buffered.
func (b *batcher) flush(ctx context.Context) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.flushLocked(ctx)
}

func (b *batcher) flushLocked(ctx context.Context) error {
	if len(b.buf) == 0 {
		return nil
	}
	if _, err := b.in.Ingest(ctx, b.buf); err != nil {
		// The posts stay buffered: the next flush tries them again, and the cursor cannot pass them.
		return fmt.Errorf("ingest %d posts: %w", len(b.buf), err)
	}
	clear(b.buf)
	b.buf = b.buf[:0]
	return nil
}

// Cursor is the wrapped store's.
func (b *batcher) Cursor(ctx context.Context, sourceID string) (string, error) {
	return b.cursors.Cursor(ctx, sourceID)
}

// SetCursor flushes first, so the saved cursor never runs ahead of the stored posts.
func (b *batcher) SetCursor(ctx context.Context, sourceID, cursor string) error {
	if err := b.flush(ctx); err != nil {
		return fmt.Errorf("before saving cursor: %w", err)
	}
	return b.cursors.SetCursor(ctx, sourceID, cursor)
}
