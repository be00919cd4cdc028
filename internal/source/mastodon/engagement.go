package mastodon

import (
	"cmp"
	"container/list"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
)

// emitEdited hands on a status that came again: a status.update event (a status edited after it was
// posted) or a refreshed one, delivered whole with its current counts of favourites, boosts and replies. When those counts grew since the copy emitted
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

// counts remembers the engagement counts last emitted for a bounded number of statuses, and when each
// was first seen, the least recently emitted forgotten first.
type counts struct {
	mu    sync.Mutex
	clk   clock.Clock
	max   int
	order *list.List // status ids, least recent at the front
	items map[string]*list.Element
	last  map[string]post.Metrics
	first map[string]time.Time
}

func newCounts(n int, clk clock.Clock) counts {
	return counts{clk: clk, max: n, order: list.New(), items: map[string]*list.Element{}, last: map[string]post.Metrics{},
		first: map[string]time.Time{}}
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
		c.first[id] = c.clk.Now()
	}
	c.last[id] = raised
	for c.order.Len() > c.max {
		c.dropLocked(c.order.Front().Value.(string))
	}
	return !ok || raised != prev
}

func (c *counts) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[id]; ok {
		c.dropLocked(id)
	}
}

func (c *counts) dropLocked(id string) {
	c.order.Remove(c.items[id])
	delete(c.items, id)
	delete(c.last, id)
	delete(c.first, id)
}

// candidates returns at most n statuses first seen within the last d, the most engaged first, then
// the newest: a post that has begun to spread is the one to watch.
func (c *counts) candidates(d time.Duration, n int) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	since := c.clk.Now().Add(-d)
	type cand struct {
		id    string
		eng   int64
		first time.Time
	}
	var cs []cand
	for id, t := range c.first {
		if t.After(since) {
			m := c.last[id]
			cs = append(cs, cand{id, m.Reposts + m.Replies + m.Quotes + m.Likes, t})
		}
	}
	slices.SortFunc(cs, func(a, b cand) int {
		if a.eng != b.eng {
			return cmp.Compare(b.eng, a.eng)
		}
		if !a.first.Equal(b.first) {
			return b.first.Compare(a.first)
		}
		return cmp.Compare(a.id, b.id)
	})
	out := make([]string, 0, min(n, len(cs)))
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, c.id)
	}
	return out
}

// serialised makes emit safe to call from the refresh goroutine and the stream at once.
func serialised(emit source.Emit) source.Emit {
	var mu sync.Mutex
	return func(ctx context.Context, p post.Post) error {
		mu.Lock()
		defer mu.Unlock()
		return emit(ctx, p)
	}
}

// startRefresh fetches the counts of recent statuses again every RefreshEvery on a goroutine of its
// own, until ctx ends or the returned stop is called, which waits for it.
func (s *Source) startRefresh(ctx context.Context, emit source.Emit) (stop func()) {
	if s.cfg.RefreshEvery < 0 {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			// Not cfg.Sleep: that one paces reconnects, and tests make it return at once.
			if source.Sleep(ctx, s.cfg.RefreshEvery) != nil {
				return
			}
			if err := s.refresh(ctx, emit); err != nil {
				if ctx.Err() != nil {
					return
				}
				s.log.Warn("refreshing the counts of recent statuses failed; trying again later", "err", err)
			}
		}
	})
	return func() {
		cancel()
		wg.Wait()
	}
}

// refresh fetches each candidate status with GET /api/v1/statuses/:id and emits it again when its
// counts grew, so ingest raises the stored counts. A status that is gone is not asked again.
func (s *Source) refresh(ctx context.Context, emit source.Emit) error {
	for _, id := range s.counts.candidates(s.cfg.RefreshFor, s.cfg.RefreshMax) {
		raw, err := s.fetchStatus(ctx, id)
		if err != nil {
			return err
		}
		if raw == nil {
			continue
		}
		if err := s.emitEdited(ctx, raw, emit); err != nil {
			return err
		}
	}
	return nil
}

// fetchStatus fetches the status id with GET /api/v1/statuses/:id; nil when it is gone. The fetch,
// its answer read included, is bounded by RefreshTimeout: the source's client has no overall timeout,
// which would cut the stream, so an instance that stops answering would otherwise hold the refresh,
// and with it the source's stop, for ever.
func (s *Source) fetchStatus(ctx context.Context, id string) (json.RawMessage, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.RefreshTimeout)
	defer cancel()
	u := url.URL{Scheme: s.stream.Scheme, Host: s.stream.Host, Path: "/api/v1/statuses/" + url.PathEscape(id)}
	req, err := s.newRequest(ctx, u.String(), "application/json")
	if err != nil {
		return nil, err
	}
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("mastodon %s: refresh: %w", s.cfg.ID, err)
	}
	defer resp.Body.Close()
	var raw json.RawMessage
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		s.counts.forget(id) // deleted, or no longer visible to us
	case resp.StatusCode != http.StatusOK:
		err = s.statusError("refresh", resp)
	default:
		if err = json.NewDecoder(io.LimitReader(resp.Body, int64(s.cfg.MaxEvent))).Decode(&raw); err != nil {
			err = fmt.Errorf("mastodon %s: refresh: decode status %s: %w", s.cfg.ID, id, err)
		}
	}
	return raw, err
}

// Defaults for the refresh of Config.
const (
	DefaultRefreshEvery = 2 * time.Minute
	DefaultRefreshFor   = time.Hour
	DefaultRefreshMax   = 20
	// DefaultRefreshTimeout bounds one status fetch of the refresh.
	DefaultRefreshTimeout = 15 * time.Second
)
