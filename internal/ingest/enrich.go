package ingest

import (
	"context"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// Enricher fills in what a platform left out of the posts that are about to be stored, such as the
// handles and follower counts of Bluesky authors, which Jetstream names only by DID. It runs after
// matching, on the kept posts only, so the firehose that matches nothing costs no lookups; it must
// bound its own time and leave a post as it is when it cannot help.
type Enricher interface {
	Enrich(ctx context.Context, posts []*post.Post)
}

// enrich hands the kept posts to the enricher, if there is one.
func (in *Ingester) enrich(ctx context.Context, kept []store.StoredPost) {
	if in.cfg.Enricher == nil || len(kept) == 0 {
		return
	}
	ps := make([]*post.Post, len(kept))
	for i := range kept {
		ps[i] = &kept[i].Post
	}
	start := in.cfg.Clock.Now()
	in.cfg.Enricher.Enrich(ctx, ps)
	in.observeStage("enrich", start)
}
