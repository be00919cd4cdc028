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

// situationCache keeps recent Situation answers by query. It is safe for concurrent use. Requests
// for a key that is being summed up wait for that answer instead of asking the database again, since
// a change wakes every room at once and they would otherwise all miss together.
type situationCache struct {
	mu      sync.Mutex
	entries map[string]situationEntry
	running map[string]*situationCall
}

// situationCall is one Situation query in progress; done is closed when sit and err are set.
type situationCall struct {
	done chan struct{}
	sit  store.Situation
	err  error
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
	if ok && now.Sub(e.at) < situationTTL && !now.Before(e.at) {
		c.mu.Unlock()
		return e.sit, nil
	}
	if call, ok := c.running[key]; ok {
		c.mu.Unlock()
		select {
		case <-call.done:
		case <-ctx.Done():
			return store.Situation{}, ctx.Err()
		}
		if call.err == nil {
			return call.sit, nil
		}
		// The first asker failed, perhaps only because its own request went away: ask for ourselves.
		return st.Situation(ctx, q)
	}
	call := &situationCall{done: make(chan struct{})}
	if c.running == nil {
		c.running = make(map[string]*situationCall)
	}
	c.running[key] = call
	c.mu.Unlock()

	call.sit, call.err = st.Situation(ctx, q)
	c.mu.Lock()
	delete(c.running, key)
	c.mu.Unlock()
	close(call.done)
	if call.err != nil {
		return store.Situation{}, call.err
	}
	sit := call.sit
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
