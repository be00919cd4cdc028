package ingest

import (
	"context"
	"slices"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/query"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// recordingObserver keeps what ingest handed to detection.
type recordingObserver struct {
	posts  []string
	raised []store.RaisedPost
}

func (o *recordingObserver) Observe(ctx context.Context, posts []store.StoredPost) error {
	for _, sp := range posts {
		o.posts = append(o.posts, sp.Post.ID)
	}
	return nil
}

func (o *recordingObserver) ObserveEngagement(ctx context.Context, posts []store.RaisedPost) error {
	o.raised = append(o.raised, posts...)
	return nil
}

func TestIngestRaisesMetricsOfDuplicates(t *testing.T) {
	ctx := t.Context()
	st := openStore(t)
	reg := query.NewRegistry()
	if err := reg.Set("bank", `"acme bank"`); err != nil {
		t.Fatal(err)
	}
	obs := &recordingObserver{}
	in, err := New(Config{Filter: MatchedOnly, Observer: obs}, newAnalyzer(t), reg, st)
	if err != nil {
		t.Fatal(err)
	}
	first := batch()
	first[0].Metrics = post.Metrics{Likes: 2, Reposts: 1}
	if res, err := in.Ingest(ctx, first); err != nil || res.Stored != 2 || res.Raised != 0 {
		t.Fatalf("first Ingest = %+v, %v", res, err)
	}
	if !slices.Equal(obs.posts, []string{"1", "2"}) || len(obs.raised) != 0 {
		t.Fatalf("first batch observed %v and raised %d, want 1 and 2 as new posts", obs.posts, len(obs.raised))
	}

	// Post 1 comes again with more reposts, post 2 again unchanged, and a new post.
	obs.posts = nil
	again := batch()
	again[0].Metrics = post.Metrics{Likes: 5, Reposts: 9, Replies: 1}
	again[0].Text = "an edited text is not stored: the first copy stays"
	again = append(again, mkPost("4", "Acme Bank heeft weer een storing"))
	res, err := in.Ingest(ctx, again)
	if err != nil {
		t.Fatal(err)
	}
	// Post 1 no longer matches and is dropped, yet its counts are raised: it is the same post.
	if res.Stored != 1 || res.Duplicates != 1 || res.Dropped != 2 || res.Raised != 1 {
		t.Errorf("second Ingest = %+v, want 1 stored, 1 duplicate, 2 dropped, 1 raised", res)
	}
	// The raised post goes to detection as a metrics update, not again as a new post.
	if !slices.Equal(obs.posts, []string{"2", "4"}) {
		t.Errorf("second batch observed as posts %v, want 2 and 4", obs.posts)
	}
	if len(obs.raised) != 1 {
		t.Fatalf("raised = %d posts, want 1", len(obs.raised))
	}
	r := obs.raised[0]
	if r.Post.ID != "1" || r.Before != (post.Metrics{Likes: 2, Reposts: 1}) || r.Post.Metrics != again[0].Metrics ||
		!slices.Equal(r.Monitors, []string{"bank"}) || r.Post.Text != first[0].Text || r.Analysis.Sentiment == "" {
		t.Errorf("raised = %+v, want post 1 as stored with reposts 1 → 9", r)
	}

	// RaiseMetrics, for counts that arrive without the post: only stored posts, only growth.
	obs.raised = nil
	n, err := in.RaiseMetrics(ctx, []store.MetricsUpdate{
		{Platform: "bluesky", ID: "1", Metrics: post.Metrics{Reposts: 12}},
		{Platform: "bluesky", ID: "1", Metrics: post.Metrics{Reposts: 3}},
		{Platform: "bluesky", ID: "3", Metrics: post.Metrics{Reposts: 40}}, // matched nothing, never stored
	})
	if err != nil || n != 1 || len(obs.raised) != 1 || obs.raised[0].Post.Metrics.Reposts != 12 || obs.raised[0].Before.Reposts != 9 {
		t.Fatalf("RaiseMetrics = %d, %v; observed %+v; want post 1 raised 9 → 12", n, err, obs.raised)
	}
	got, err := st.SearchStoredPosts(ctx, store.PostQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, sp := range got {
		if sp.Post.ID == "1" && sp.Post.Metrics != (post.Metrics{Likes: 5, Reposts: 12, Replies: 1}) {
			t.Errorf("stored metrics of post 1 = %+v", sp.Post.Metrics)
		}
	}
}
