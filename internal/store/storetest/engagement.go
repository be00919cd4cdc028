package storetest

import (
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

func engagementCases() []struct {
	name string
	fn   func(t *testing.T, s store.Store)
} {
	return []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"RaisePostMetrics", testRaisePostMetrics},
		{"RaisePostMetricsConcurrent", testRaisePostMetricsConcurrent},
	}
}

func engagementPost(id string, m post.Metrics) store.StoredPost {
	return store.StoredPost{
		Post: post.Post{ID: id, Platform: "mastodon", Text: "De storing duurt al uren #storing " + id, CreatedAt: base,
			Author: post.Author{ID: "a-" + id, Handle: "anna", Followers: 1200}, Metrics: m},
		Analysis: store.Analysis{Lang: "nl", LangConfidence: 0.9, Sentiment: "negative", SentimentScore: -0.6,
			Complaint: true, ComplaintScore: 0.8, Categories: []string{"service_outage"}},
		Monitors: []string{"m1", "m2"},
	}
}

func testRaisePostMetrics(t *testing.T, s store.Store) {
	ctx := t.Context()
	p1 := engagementPost("1", post.Metrics{Likes: 3, Reposts: 1, Replies: 2})
	p2 := engagementPost("2", post.Metrics{Likes: 10, Reposts: 5, Views: 100})
	if _, err := s.InsertStoredPosts(ctx, []store.StoredPost{p1, p2}); err != nil {
		t.Fatalf("InsertStoredPosts: %v", err)
	}

	up := []store.MetricsUpdate{
		// Grows likes and quotes, reports fewer reposts: reposts stay at 1.
		{Platform: "mastodon", ID: "1", Metrics: post.Metrics{Likes: 7, Reposts: 0, Replies: 2, Quotes: 1}},
		// Older snapshot of post 2: nothing grows.
		{Platform: "mastodon", ID: "2", Metrics: post.Metrics{Likes: 9, Reposts: 5}},
		// Not stored: ignored.
		{Platform: "mastodon", ID: "3", Metrics: post.Metrics{Likes: 50}},
		// Same id on another platform: a different post, not stored.
		{Platform: "x", ID: "1", Metrics: post.Metrics{Likes: 50}},
	}
	got, err := s.RaisePostMetrics(ctx, up)
	if err != nil {
		t.Fatalf("RaisePostMetrics: %v", err)
	}
	if len(got) != 1 || got[0].Post.ID != "1" {
		t.Fatalf("RaisePostMetrics raised %v, want only post 1", raisedIDs(got))
	}
	want := post.Metrics{Likes: 7, Reposts: 1, Replies: 2, Quotes: 1}
	if got[0].Post.Metrics != want || got[0].Before != p1.Post.Metrics {
		t.Errorf("raised post 1: metrics %+v before %+v, want %+v before %+v", got[0].Post.Metrics, got[0].Before, want, p1.Post.Metrics)
	}
	if !reflect.DeepEqual(got[0].Analysis, p1.Analysis) || !slices.Equal(got[0].Monitors, p1.Monitors) {
		t.Errorf("raised post 1 came back with analysis %+v monitors %v, want the stored ones", got[0].Analysis, got[0].Monitors)
	}
	if got[0].Post.Text != p1.Post.Text || got[0].Post.Author != p1.Post.Author || !got[0].Post.CreatedAt.Equal(base) {
		t.Errorf("raised post 1 = %+v, want the stored post with new metrics", got[0].Post)
	}

	// Idempotent: the same updates again raise nothing.
	if again, err := s.RaisePostMetrics(ctx, up); err != nil || len(again) != 0 {
		t.Fatalf("RaisePostMetrics again = %v, %v; want nothing raised", raisedIDs(again), err)
	}

	stored, err := s.SearchStoredPosts(ctx, store.PostQuery{Platform: "mastodon"})
	if err != nil {
		t.Fatalf("SearchStoredPosts: %v", err)
	}
	byID := map[string]store.StoredPost{}
	for _, sp := range stored {
		byID[sp.Post.ID] = sp
	}
	if m := byID["1"].Post.Metrics; m != want {
		t.Errorf("stored metrics of post 1 = %+v, want %+v", m, want)
	}
	if m := byID["2"].Post.Metrics; m != p2.Post.Metrics {
		t.Errorf("stored metrics of post 2 = %+v, want unchanged %+v", m, p2.Post.Metrics)
	}
	// The full-text index still finds the raised post: raising rewrites the JSON, not the text.
	found, err := s.SearchPosts(ctx, store.PostQuery{Text: "storing", Platform: "mastodon"})
	if err != nil || len(found) != 2 {
		t.Errorf("SearchPosts(storing) = %d posts, %v; want 2", len(found), err)
	}

	// A post named twice in one call is raised step by step, in order.
	got, err = s.RaisePostMetrics(ctx, []store.MetricsUpdate{
		{Platform: "mastodon", ID: "2", Metrics: post.Metrics{Reposts: 8}},
		{Platform: "mastodon", ID: "2", Metrics: post.Metrics{Reposts: 12}},
	})
	if err != nil || len(got) != 2 {
		t.Fatalf("RaisePostMetrics(twice) = %v, %v; want two raises", raisedIDs(got), err)
	}
	if got[0].Before.Reposts != 5 || got[0].Post.Metrics.Reposts != 8 || got[1].Before.Reposts != 8 || got[1].Post.Metrics.Reposts != 12 {
		t.Errorf("raises = %+v then %+v, want reposts 5→8 then 8→12", got[0], got[1])
	}

	if _, err := s.RaisePostMetrics(ctx, make([]store.MetricsUpdate, store.MaxMetricsUpdates+1)); err == nil {
		t.Error("RaisePostMetrics with more than MaxMetricsUpdates succeeded")
	}
	if got, err := s.RaisePostMetrics(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("RaisePostMetrics(nil) = %v, %v", got, err)
	}
}

// testRaisePostMetricsConcurrent raises one post's counts from several writers at once: the stored
// counts end at the highest of each, none lost to another writer's read-modify-write.
func testRaisePostMetricsConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	if _, err := s.InsertStoredPosts(ctx, []store.StoredPost{engagementPost("1", post.Metrics{}), engagementPost("2", post.Metrics{})}); err != nil {
		t.Fatalf("InsertStoredPosts: %v", err)
	}
	const writers, steps = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for i := 1; i <= steps; i++ {
				// Writer w raises only its own count, in both posts, in opposite orders.
				var m post.Metrics
				switch w {
				case 0:
					m.Likes = int64(i)
				case 1:
					m.Reposts = int64(i)
				case 2:
					m.Replies = int64(i)
				case 3:
					m.Quotes = int64(i)
				}
				up := []store.MetricsUpdate{{Platform: "mastodon", ID: "1", Metrics: m}, {Platform: "mastodon", ID: "2", Metrics: m}}
				if w%2 == 1 {
					up[0], up[1] = up[1], up[0]
				}
				if _, err := s.RaisePostMetrics(ctx, up); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("RaisePostMetrics: %v", err)
	}
	stored, err := s.SearchStoredPosts(ctx, store.PostQuery{})
	if err != nil {
		t.Fatalf("SearchStoredPosts: %v", err)
	}
	want := post.Metrics{Likes: steps, Reposts: steps, Replies: steps, Quotes: steps}
	for _, sp := range stored {
		if sp.Post.Metrics != want {
			t.Errorf("post %s metrics = %+v, want %+v", sp.Post.ID, sp.Post.Metrics, want)
		}
	}
}

func raisedIDs(rs []store.RaisedPost) []string {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.Post.Platform + "/" + r.Post.ID
	}
	return ids
}
