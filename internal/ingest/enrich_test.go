package ingest

import (
	"context"
	"slices"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/query"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

type handleEnricher struct{ asked []string }

func (e *handleEnricher) Enrich(ctx context.Context, posts []*post.Post) {
	for _, p := range posts {
		e.asked = append(e.asked, p.ID)
		p.Author.Handle, p.Author.Followers = "resolved."+p.ID, 4200
	}
}

// TestEnricherSeesOnlyKeptPosts: the enricher fills in the posts that are stored, and is never asked
// about the ones that matched nothing.
func TestEnricherSeesOnlyKeptPosts(t *testing.T) {
	st := openStore(t)
	reg := query.NewRegistry()
	if err := reg.Set("bank", `"acme bank"`); err != nil {
		t.Fatal(err)
	}
	en := &handleEnricher{}
	obs := &recordingObserver{}
	in, err := New(Config{Filter: MatchedOnly, Enricher: en, Observer: obs}, newAnalyzer(t), reg, st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.Ingest(t.Context(), batch()); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(en.asked, []string{"1", "2"}) {
		t.Errorf("enricher asked about %v, want the two matched posts", en.asked)
	}
	got, err := st.SearchStoredPosts(t.Context(), store.PostQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, sp := range got {
		if sp.Post.Author.Handle != "resolved."+sp.Post.ID || sp.Post.Author.Followers != 4200 {
			t.Errorf("stored author of %s = %+v", sp.Post.ID, sp.Post.Author)
		}
	}
}
