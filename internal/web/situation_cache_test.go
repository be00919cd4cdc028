package web

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// countingSituations answers every query with how many it has answered.
type countingSituations struct{ n int64 }

func (c *countingSituations) Situation(ctx context.Context, q store.SituationQuery) (store.Situation, error) {
	c.n++
	return store.Situation{PostCounts: store.PostCounts{Posts: c.n}}, nil
}

// TestSituationCache: the same query within the TTL is answered from the cache; a later one, or a
// different one (another window, a new statement cut), asks the store; the cache stays bounded.
func TestSituationCache(t *testing.T) {
	clk := clock.NewSim(now)
	st := &countingSituations{}
	var c situationCache
	q := store.SituationQuery{Monitors: []string{"m1"}, Since: now, Until: now.Add(time.Hour), Step: time.Minute}
	get := func(q store.SituationQuery) int64 {
		t.Helper()
		sit, err := c.get(context.Background(), st, clk, q)
		if err != nil {
			t.Fatal(err)
		}
		return sit.Posts
	}
	if get(q) != 1 || get(q) != 1 {
		t.Fatal("a repeated query was not served from the cache")
	}
	cut := q
	cut.Cuts = []time.Time{now.Add(time.Minute)}
	if get(cut) != 2 {
		t.Fatal("a query with a new statement cut was served from the cache")
	}
	clk.Advance(situationTTL)
	if get(q) != 3 {
		t.Fatal("an expired answer was served")
	}
	for i := range 2 * situationCacheSize {
		other := q
		other.Since = now.Add(-time.Duration(i+1) * time.Minute)
		get(other)
	}
	if n := len(c.entries); n > situationCacheSize {
		t.Fatalf("%d cached, more than %d", n, situationCacheSize)
	}
}

// blockingSituations holds every query until release is closed, and counts them.
type blockingSituations struct {
	asked   atomic.Int64
	release chan struct{}
}

func (b *blockingSituations) Situation(ctx context.Context, q store.SituationQuery) (store.Situation, error) {
	n := b.asked.Add(1)
	<-b.release
	return store.Situation{PostCounts: store.PostCounts{Posts: n}}, nil
}

// TestSituationCacheOneQueryAtATime: rooms woken together by one change, all missing the cache at
// once, make the database sum the situation up once, and all get that answer; a waiter whose own
// request goes away stops waiting.
func TestSituationCacheOneQueryAtATime(t *testing.T) {
	clk := clock.NewSim(now)
	st := &blockingSituations{release: make(chan struct{})}
	var c situationCache
	q := store.SituationQuery{Monitors: []string{"m1"}, Since: now, Until: now.Add(time.Hour), Step: time.Minute}

	const rooms = 8
	var wg sync.WaitGroup
	got := make([]int64, rooms)
	for i := range rooms {
		wg.Go(func() {
			sit, err := c.get(context.Background(), st, clk, q)
			if err != nil {
				t.Error(err)
			}
			got[i] = sit.Posts
		})
	}
	// Wait until the first asker is in the store and the others are waiting on it.
	for deadline := time.Now().Add(10 * time.Second); ; {
		c.mu.Lock()
		running := len(c.running)
		c.mu.Unlock()
		if running == 1 && st.asked.Load() == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no query started")
		}
		time.Sleep(time.Millisecond)
	}
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.get(gone, st, clk, q); err == nil {
		t.Error("a waiter whose request went away got an answer")
	}
	close(st.release)
	wg.Wait()
	if n := st.asked.Load(); n != 1 {
		t.Errorf("the store was asked %d times for %d rooms at once", n, rooms)
	}
	for i, p := range got {
		if p != 1 {
			t.Errorf("room %d got answer %d, want the one shared answer", i, p)
		}
	}
}
