package web

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// situationTTL is how long a summed-up situation is served again. Every change of an incident wakes
// every room open on it, and each then reloads: without this, ten people in a room over 100k posts
// would each have the database sum them up after every note. The view is about trends over minutes,
// so a few seconds' delay costs nothing.
const situationTTL = 20 * time.Second

// situationCacheSize bounds the cache: a few incidents are open at once, each seen by few windows.
const situationCacheSize = 64

// situationCache keeps recent Situation answers by query. It is safe for concurrent use.
type situationCache struct {
	mu      sync.Mutex
	entries map[string]situationEntry
}

type situationEntry struct {
	at  time.Time
	sit store.Situation
}

func situationKey(q store.SituationQuery) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d|%d|%d|%d|%d|%s", q.Since.UnixNano(), q.Until.UnixNano(), q.Step, q.Top, q.Questions, strings.Join(q.Monitors, "\x00"))
	for _, c := range q.Cuts {
		fmt.Fprintf(&b, "|%d", c.UnixNano())
	}
	return b.String()
}

// get returns the situation for q: a cached one younger than situationTTL, or a fresh one from st.
func (c *situationCache) get(ctx context.Context, st SituationStore, clk clock.Clock, q store.SituationQuery) (store.Situation, error) {
	key, now := situationKey(q), clk.Now()
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < situationTTL && !now.Before(e.at) {
		return e.sit, nil
	}
	sit, err := st.Situation(ctx, q)
	if err != nil {
		return store.Situation{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = make(map[string]situationEntry)
	}
	if len(c.entries) >= situationCacheSize {
		// Drop the expired ones, or else the oldest.
		oldest := ""
		for k, e := range c.entries {
			if now.Sub(e.at) >= situationTTL {
				delete(c.entries, k)
			} else if oldest == "" || e.at.Before(c.entries[oldest].at) {
				oldest = k
			}
		}
		if len(c.entries) >= situationCacheSize {
			delete(c.entries, oldest)
		}
	}
	c.entries[key] = situationEntry{at: now, sit: sit}
	return sit, nil
}
