package ingest

import (
	"context"
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// MetricsStore raises the engagement counts of stored posts; store.Engagement. An ingest store that
// lacks it keeps the counts a post had when first stored.
type MetricsStore interface {
	RaisePostMetrics(ctx context.Context, updates []store.MetricsUpdate) ([]store.RaisedPost, error)
}

// EngagementObserver is an Observer that also takes the stored, matched posts whose engagement counts
// grew, with the counts they had before, so the viral-post detector sees a post spread even when no
// new post refers to it.
type EngagementObserver interface {
	ObserveEngagement(ctx context.Context, posts []store.RaisedPost) error
}

type postKey struct{ platform, id string }

// RaiseMetrics applies newer engagement counts to stored posts (a connector counted likes and reposts,
// or a platform reported fresher counts without the post) and hands the matched posts whose counts
// grew to the observer. Updates of posts that are not stored are ignored. It returns how many posts
// grew.
func (in *Ingester) RaiseMetrics(ctx context.Context, updates []store.MetricsUpdate) (int, error) {
	ms, ok := in.st.(MetricsStore)
	if !ok || len(updates) == 0 {
		return 0, nil
	}
	all, err := raiseAll(ctx, ms, updates)
	if err != nil {
		return len(all), fmt.Errorf("ingest: %w", err)
	}
	in.observeEngagement(ctx, all)
	return len(all), nil
}

// raiseAll raises the stored counts of updates, at most store.MaxMetricsUpdates at a time, and returns
// the posts raised, including those raised before an error.
func raiseAll(ctx context.Context, ms MetricsStore, updates []store.MetricsUpdate) ([]store.RaisedPost, error) {
	var all []store.RaisedPost
	for start := 0; start < len(updates); start += store.MaxMetricsUpdates {
		raised, err := ms.RaisePostMetrics(ctx, updates[start:min(start+store.MaxMetricsUpdates, len(updates))])
		if err != nil {
			return all, err
		}
		all = append(all, raised...)
	}
	return all, nil
}

// raiseDuplicates raises the stored counts of the posts of a batch that were already stored and came
// again with higher counts: a platform delivering an edited or re-fetched post. dropped are the counts
// of the batch's posts that were not kept, which may be stored from an earlier copy. Only posts that
// carry counts are looked up, so a stream that never has any (Jetstream) costs nothing. It returns the
// keys of the posts raised and the raised posts.
func (in *Ingester) raiseDuplicates(ctx context.Context, kept []store.StoredPost, dropped []store.MetricsUpdate) (map[postKey]bool, []store.RaisedPost, error) {
	ms, ok := in.st.(MetricsStore)
	if !ok {
		return nil, nil, nil
	}
	updates := append([]store.MetricsUpdate(nil), dropped...)
	for i := range kept {
		p := &kept[i].Post
		if p.Metrics != (post.Metrics{}) {
			updates = append(updates, store.MetricsUpdate{Platform: p.Platform, ID: p.ID, Metrics: p.Metrics})
		}
	}
	all, err := raiseAll(ctx, ms, updates)
	if err != nil {
		return nil, nil, err
	}
	if len(all) == 0 {
		return nil, nil, nil
	}
	keys := make(map[postKey]bool, len(all))
	for _, r := range all {
		keys[postKey{r.Post.Platform, r.Post.ID}] = true
	}
	return keys, all, nil
}

// observeEngagement hands the matched posts of raised to the observer, if it takes them.
func (in *Ingester) observeEngagement(ctx context.Context, raised []store.RaisedPost) {
	in.m.raised.Add(float64(len(raised)))
	eo, ok := in.cfg.Observer.(EngagementObserver)
	if !ok {
		return
	}
	matched := make([]store.RaisedPost, 0, len(raised))
	for _, r := range raised {
		if len(r.Monitors) > 0 {
			matched = append(matched, r)
		}
	}
	if len(matched) == 0 {
		return
	}
	start := in.cfg.Clock.Now()
	if err := eo.ObserveEngagement(ctx, matched); err != nil {
		// The counts are stored; detection missing one update must not fail the batch.
		in.log.ErrorContext(ctx, "detection failed on raised engagement counts", "posts", len(matched), "err", err)
	}
	in.observeStage("observe_engagement", start)
}
