package web

import (
	"context"
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
