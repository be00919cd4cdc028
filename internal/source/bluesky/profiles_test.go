package bluesky

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/post"
)

// appView answers app.bsky.actor.getProfiles as the AppView documents it: up to 25 actors, the
// profiles of those that exist, in no particular order, and nothing for the others.
type appView struct {
	mu       sync.Mutex
	profiles map[string]Profile
	calls    [][]string
	fail     bool
	hang     bool
}

func (a *appView) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/xrpc/app.bsky.actor.getProfiles" {
		http.NotFound(w, r)
		return
	}
	actors := r.URL.Query()["actors"]
	a.mu.Lock()
	a.calls = append(a.calls, actors)
	fail, hang := a.fail, a.hang
	a.mu.Unlock()
	if hang {
		<-r.Context().Done()
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if fail || len(actors) > 25 {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error":"InvalidRequest","message":"Error: actors must not have more than 25 elements"}`)
		return
	}
	var out []Profile
	for i := len(actors) - 1; i >= 0; i-- {
		if p, ok := a.profiles[actors[i]]; ok {
			out = append(out, p)
		}
	}
	json.NewEncoder(w).Encode(map[string]any{"profiles": out})
}

func (a *appView) callSizes() []int {
	a.mu.Lock()
	defer a.mu.Unlock()
	var n []int
	for _, c := range a.calls {
		n = append(n, len(c))
	}
	return n
}

func TestProfilesEnrich(t *testing.T) {
	created := time.Date(2023, 4, 1, 0, 0, 0, 0, time.UTC)
	av := &appView{profiles: map[string]Profile{}}
	var posts []*post.Post
	for i := range 30 {
		did := fmt.Sprintf("did:plc:author%02d", i%27) // 27 authors, three of them twice
		if i < 25 {
			av.profiles[did] = Profile{DID: did, Handle: fmt.Sprintf("author%d.bsky.social", i), Name: "Auteur", Followers: int64(100 * i), Following: 7, CreatedAt: &created}
		}
		posts = append(posts, &post.Post{ID: fmt.Sprintf("at://%s/app.bsky.feed.post/%d", did, i), Platform: "bluesky", Author: post.Author{ID: did}})
	}
	posts[1].Author.Handle = "fresh.from.identity" // already known from an identity event: kept
	posts = append(posts, &post.Post{ID: "1", Platform: "mastodon", Author: post.Author{ID: "did:plc:author00"}})
	srv := httptest.NewServer(av)
	defer srv.Close()
	clk := clock.NewSim(time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC))
	pr, err := NewProfiles(ProfilesConfig{URL: srv.URL, HTTPClient: srv.Client(), Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	pr.Enrich(t.Context(), posts)
	if got := av.callSizes(); len(got) != 2 || got[0] != 25 || got[1] != 2 {
		t.Fatalf("getProfiles calls of %v actors, want 25 then 2", got)
	}
	if a := posts[3].Author; a.Handle != "author3.bsky.social" || a.Followers != 300 || a.Following != 7 || a.Name != "Auteur" || a.CreatedAt == nil || !a.CreatedAt.Equal(created) {
		t.Errorf("author of post 3 = %+v", a)
	}
	if posts[1].Author.Handle != "fresh.from.identity" {
		t.Errorf("a handle the post had was replaced: %q", posts[1].Author.Handle)
	}
	if posts[26].Author.Handle != "" {
		t.Errorf("an account without a profile got handle %q", posts[26].Author.Handle)
	}
	if posts[30].Author.Handle != "" {
		t.Errorf("a Mastodon post was enriched: %+v", posts[30].Author)
	}

	// Within the TTLs nothing is asked again, not even for the accounts without a profile.
	again := []*post.Post{{Platform: "bluesky", Author: post.Author{ID: "did:plc:author04"}}, {Platform: "bluesky", Author: post.Author{ID: "did:plc:author26"}}}
	pr.Enrich(t.Context(), again)
	if n := len(av.callSizes()); n != 2 || again[0].Author.Handle != "author4.bsky.social" {
		t.Errorf("after a second Enrich: %d calls, handle %q; want no new call and the cached handle", n, again[0].Author.Handle)
	}
	// After the miss TTL the accounts without a profile are asked again, and after the TTL all are.
	clk.Advance(DefaultMissTTL + time.Second)
	pr.Enrich(t.Context(), []*post.Post{{Platform: "bluesky", Author: post.Author{ID: "did:plc:author26"}}, {Platform: "bluesky", Author: post.Author{ID: "did:plc:author04"}}})
	if got := av.callSizes(); len(got) != 3 || got[2] != 1 {
		t.Errorf("calls after the miss TTL: %v, want one more for the one missing account", got)
	}
	clk.Advance(DefaultProfileTTL)
	pr.Enrich(t.Context(), []*post.Post{{Platform: "bluesky", Author: post.Author{ID: "did:plc:author04"}}})
	if got := av.callSizes(); len(got) != 4 {
		t.Errorf("calls after the TTL: %v, want one more", got)
	}
}

func TestProfilesFailuresLeavePostsAlone(t *testing.T) {
	for _, tt := range []struct {
		name string
		av   *appView
	}{
		{"error answer", &appView{fail: true}},
		{"no answer", &appView{hang: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.av)
			defer srv.Close()
			pr, err := NewProfiles(ProfilesConfig{URL: srv.URL, HTTPClient: srv.Client(), Timeout: 100 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			p := &post.Post{Platform: "bluesky", Author: post.Author{ID: "did:plc:anna"}}
			start := time.Now()
			pr.Enrich(context.Background(), []*post.Post{p})
			if p.Author.Handle != "" || time.Since(start) > 5*time.Second {
				t.Errorf("author %+v after %v", p.Author, time.Since(start))
			}
			// Lookups pause after a failure: the next batch does not wait again.
			pr.Enrich(context.Background(), []*post.Post{{Platform: "bluesky", Author: post.Author{ID: "did:plc:bram"}}})
			if n := len(tt.av.callSizes()); n != 1 {
				t.Errorf("%d calls, want 1: lookups must pause after a failure", n)
			}
		})
	}
}

func TestProfilesCacheBounded(t *testing.T) {
	av := &appView{profiles: map[string]Profile{}}
	srv := httptest.NewServer(av)
	defer srv.Close()
	pr, err := NewProfiles(ProfilesConfig{URL: srv.URL, HTTPClient: srv.Client(), Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	var posts []*post.Post
	for i := range 40 {
		posts = append(posts, &post.Post{Platform: "bluesky", Author: post.Author{ID: fmt.Sprintf("did:plc:x%d", i)}})
	}
	pr.Enrich(t.Context(), posts)
	pr.mu.Lock()
	n := len(pr.known)
	pr.mu.Unlock()
	if n != 10 {
		t.Errorf("cache holds %d entries, want its bound of 10", n)
	}
	if _, err := NewProfiles(ProfilesConfig{URL: "ftp://appview.example"}); err == nil {
		t.Error("an ftp AppView URL was accepted")
	}
}
