package storetest

import (
	"fmt"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

func postLookupCases() []struct {
	name string
	fn   func(t *testing.T, s store.Store)
} {
	return []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"PostsByKeys", testPostsByKeys},
		{"PostsByKeysLimit", testPostsByKeysLimit},
	}
}

func testPostsByKeys(t *testing.T, s store.Store) {
	ctx := t.Context()
	// The same id on two platforms is two posts; the lookup must tell them apart.
	a := store.StoredPost{
		Post: post.Post{ID: "42", Platform: "mastodon", Text: "Mijn rekening is dubbel afgeschreven!", CreatedAt: base,
			URL: "https://social.example/@anna/42", Author: post.Author{ID: "a1", Handle: "anna", Name: "Anna", Followers: 1200}},
		Analysis: store.Analysis{Lang: "nl", LangConfidence: 0.9, Sentiment: "negative", SentimentScore: -0.7, Complaint: true,
			ComplaintScore: 0.9},
		Monitors: []string{"m1"},
	}
	b := store.StoredPost{
		Post: post.Post{ID: "42", Platform: "bluesky", Text: "Charged twice this month", CreatedAt: base.Add(1),
			Author: post.Author{ID: "did:plc:b", Handle: "bob.bsky.social", Followers: 80}},
		Analysis: store.Analysis{Lang: "en", LangConfidence: 0.8, Sentiment: "negative", SentimentScore: -0.4},
		Monitors: []string{"m1", "m2"},
	}
	// A post stored without analysis or monitors comes back without them.
	c := post.Post{ID: "7", Platform: "rss", Text: "Nieuwsbericht", CreatedAt: base.Add(2), URL: "https://news.example/7"}
	if _, err := s.InsertStoredPosts(ctx, []store.StoredPost{a, b}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.InsertPosts(ctx, []post.Post{c}); err != nil {
		t.Fatal(err)
	}
	key := func(sp store.StoredPost) string { return sp.Post.Platform + "/" + sp.Post.ID }
	for _, tt := range []struct {
		name string
		keys []store.PostKey
		want []string
	}{
		{"none", nil, nil},
		{"in the order asked", []store.PostKey{{Platform: "bluesky", ID: "42"}, {Platform: "rss", ID: "7"}, {Platform: "mastodon", ID: "42"}},
			[]string{"bluesky/42", "rss/7", "mastodon/42"}},
		{"missing left out", []store.PostKey{{Platform: "x", ID: "42"}, {Platform: "mastodon", ID: "42"}, {Platform: "mastodon", ID: "43"}, {Platform: "", ID: "42"}},
			[]string{"mastodon/42"}},
		{"twice once", []store.PostKey{{Platform: "mastodon", ID: "42"}, {Platform: "bluesky", ID: "42"}, {Platform: "mastodon", ID: "42"}},
			[]string{"mastodon/42", "bluesky/42"}},
		{"hostile", []store.PostKey{{Platform: "mastodon", ID: "42' OR '1'='1"}, {Platform: "mastodon", ID: "%"}}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.PostsByKeys(ctx, tt.keys)
			if err != nil {
				t.Fatal(err)
			}
			if got == nil {
				t.Fatal("PostsByKeys returned nil, want an empty slice")
			}
			var names []string
			for _, sp := range got {
				names = append(names, key(sp))
			}
			if fmt.Sprint(names) != fmt.Sprint(tt.want) {
				t.Fatalf("PostsByKeys(%v) = %v, want %v", tt.keys, names, tt.want)
			}
		})
	}
	got, err := s.PostsByKeys(ctx, []store.PostKey{{Platform: "mastodon", ID: "42"}, {Platform: "rss", ID: "7"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d posts, want 2", len(got))
	}
	p := got[0]
	if p.Post.Text != a.Post.Text || p.Post.URL != a.Post.URL || p.Post.Author.Handle != "anna" || p.Post.Author.Name != "Anna" ||
		p.Post.Author.Followers != 1200 || !p.Post.CreatedAt.Equal(base) {
		t.Errorf("post = %+v, want text, link, author and time as stored: %+v", p.Post, a.Post)
	}
	if p.Analysis.Sentiment != "negative" || !p.Analysis.Complaint || fmt.Sprint(p.Monitors) != "[m1]" {
		t.Errorf("analysis %+v, monitors %v: want the stored analysis and [m1]", p.Analysis, p.Monitors)
	}
	if r := got[1]; r.Post.Text != c.Text || r.Analysis.Analysed() || len(r.Monitors) != 0 {
		t.Errorf("post stored without analysis = %+v, want its text and no analysis or monitors", r)
	}
}

func testPostsByKeysLimit(t *testing.T, s store.Store) {
	keys := make([]store.PostKey, store.MaxPostKeys+1)
	for i := range keys {
		keys[i] = store.PostKey{Platform: "x", ID: fmt.Sprint(i)}
	}
	if _, err := s.PostsByKeys(t.Context(), keys); err == nil {
		t.Fatalf("PostsByKeys with %d keys: want an error naming the limit", len(keys))
	}
	if got, err := s.PostsByKeys(t.Context(), keys[:store.MaxPostKeys]); err != nil || len(got) != 0 {
		t.Fatalf("PostsByKeys with %d unknown keys = %d posts, %v; want none and no error", store.MaxPostKeys, len(got), err)
	}
}
