package bluesky

import (
	"container/list"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
)

// The collections of the records that engage with a post.
const (
	CollectionLike   = "app.bsky.feed.like"
	CollectionRepost = "app.bsky.feed.repost"
)

// Defaults for the engagement counting of Config.
const (
	DefaultEngagementEvery    = 10 * time.Second
	DefaultEngagementSubjects = 100000
)

// subjectRecord is the part of a like or repost record that names what it likes or reposts.
type subjectRecord struct {
	Subject StrongRef `json:"subject"`
}

// tally counts the likes and reposts Jetstream delivers per post, for a bounded number of posts: the
// least recently engaged with is forgotten first. Its counts start when the source starts, so they
// understate the engagement of posts older than that; counts are raised, never lowered, downstream, so
// an understated count does no harm. Unlikes and deleted reposts are not subtracted, for the same
// reason a platform's own counts are taken as a floor.
type tally struct {
	max   int
	order *list.List // subject URIs, least recently touched at the front
	items map[string]*list.Element
	count map[string]*tallied
}

type tallied struct {
	likes, reposts int64
	dirty          bool // changed since the last flush
}

func newTally(n int) *tally {
	return &tally{max: n, order: list.New(), items: map[string]*list.Element{}, count: map[string]*tallied{}}
}

func (t *tally) add(uri string, like bool) {
	c, ok := t.count[uri]
	if ok {
		t.order.MoveToBack(t.items[uri])
	} else {
		c = &tallied{}
		t.count[uri] = c
		t.items[uri] = t.order.PushBack(uri)
		for t.order.Len() > t.max {
			old := t.order.Front()
			t.order.Remove(old)
			delete(t.items, old.Value.(string))
			delete(t.count, old.Value.(string))
		}
	}
	if like {
		c.likes++
	} else {
		c.reposts++
	}
	c.dirty = true
}

// take returns the counts that changed since the last take, and marks them clean.
func (t *tally) take() []source.Counts {
	var out []source.Counts
	for e := t.order.Front(); e != nil; e = e.Next() {
		uri := e.Value.(string)
		c := t.count[uri]
		if !c.dirty {
			continue
		}
		c.dirty = false
		out = append(out, source.Counts{Platform: "bluesky", ID: uri, Metrics: post.Metrics{Likes: c.likes, Reposts: c.reposts}})
	}
	return out
}

// countEngagement tallies a like or repost commit; it reports false for any other event.
func (s *Source) countEngagement(ev Event) (bool, error) {
	c := ev.Commit
	if s.cfg.Engagement == nil || ev.Kind != kindCommit || c == nil || (c.Collection != CollectionLike && c.Collection != CollectionRepost) {
		return false, nil
	}
	if c.Operation != "create" {
		return true, nil
	}
	var rec subjectRecord
	if err := json.Unmarshal(c.Record, &rec); err != nil {
		return true, fmt.Errorf("bluesky: decode %s record %s/%s: %w", c.Collection, ev.DID, c.RKey, err)
	}
	if !isPostURI(rec.Subject.URI) {
		return true, nil // a like of a feed generator or a list, not of a post
	}
	s.mu.Lock()
	s.tally.add(rec.Subject.URI, c.Collection == CollectionLike)
	s.mu.Unlock()
	return true, nil
}

// flushEngagement hands the changed counts on when EngagementEvery has passed since the last flush,
// or at once when forced.
func (s *Source) flushEngagement(ctx context.Context, force bool) error {
	if s.cfg.Engagement == nil {
		return nil
	}
	now := s.cfg.Clock.Now()
	s.mu.Lock()
	if !force && now.Sub(s.flushedAt) < s.cfg.EngagementEvery {
		s.mu.Unlock()
		return nil
	}
	s.flushedAt = now
	counts := s.tally.take()
	s.mu.Unlock()
	if len(counts) == 0 {
		return nil
	}
	if err := s.cfg.Engagement(ctx, counts); err != nil {
		return source.EmitError(fmt.Errorf("engagement counts: %w", err))
	}
	return nil
}
