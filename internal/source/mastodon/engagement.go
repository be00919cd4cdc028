package mastodon

import (
	"container/list"
	"context"
	"fmt"
	"sync"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
)

// emitEdited hands on a status.update event: a status edited after it was posted, delivered whole with
// its current counts of favourites, boosts and replies. When those counts grew since the copy emitted
// last, it is emitted again even though its id was seen: ingest keeps the first copy's text but raises
// the stored counts, which is how the viral-post detector learns that a post spreads. It does not move
// the cursor, since the status is old.
func (s *Source) emitEdited(ctx context.Context, data []byte, emit source.Emit) error {
	if ctx.Err() != nil {
		return nil
	}
	st, err := DecodeStatus(data)
	if err != nil {
		s.tracker.Malformed(s.log, err)
		return nil
	}
	p, err := ToPost(s.host, st)
	if err != nil {
		s.tracker.Malformed(s.log, err)
		return nil
	}
	if st.ID == "" || !s.counts.grew(st.ID, p.Metrics) {
		return nil // an edit of the text alone: the stored copy keeps its first text
	}
	if err := emit(ctx, p); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return source.EmitError(fmt.Errorf("%w: %w", errEmit, err))
	}
	return nil
}

// counts remembers the engagement counts last emitted for a bounded number of statuses, the least
// recently emitted forgotten first.
type counts struct {
	mu    sync.Mutex
	max   int
	order *list.List // status ids, least recent at the front
	items map[string]*list.Element
	last  map[string]post.Metrics
}

func newCounts(n int) counts {
	return counts{max: n, order: list.New(), items: map[string]*list.Element{}, last: map[string]post.Metrics{}}
}

// grew records m as the counts of status id and reports whether any count is higher than recorded
// before, or whether the status is new to it.
func (c *counts) grew(id string, m post.Metrics) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	prev, ok := c.last[id]
	raised := m
	if ok {
		raised = post.Metrics{Likes: max(prev.Likes, m.Likes), Reposts: max(prev.Reposts, m.Reposts),
			Replies: max(prev.Replies, m.Replies), Quotes: max(prev.Quotes, m.Quotes), Views: max(prev.Views, m.Views)}
		c.order.MoveToBack(c.items[id])
	} else {
		c.items[id] = c.order.PushBack(id)
	}
	c.last[id] = raised
	for c.order.Len() > c.max {
		old := c.order.Front()
		c.order.Remove(old)
		delete(c.items, old.Value.(string))
		delete(c.last, old.Value.(string))
	}
	return !ok || raised != prev
}
