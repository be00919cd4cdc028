package mastodon

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

// countingInstance streams two statuses once, as Mastodon does, and answers GET /api/v1/statuses/:id
// with the first one's boosts growing by two at every fetch; the second has been deleted.
type countingInstance struct {
	mu      sync.Mutex
	boosts  int
	fetches map[string]int
}

func statusJSON(id string, boosts int) string {
	b, _ := json.Marshal(map[string]any{
		"id": id, "uri": "https://social.example/users/anna/statuses/" + id, "created_at": "2026-11-20T10:00:00.000Z",
		"content": "<p>Storing bij Vitens</p>", "language": "nl", "visibility": "public", "reblogs_count": boosts, "favourites_count": 1,
		"account": map[string]any{"id": "1", "username": "anna", "acct": "anna", "followers_count": 300},
	})
	return string(b)
}

func (c *countingInstance) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/api/v1/streaming/public":
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprintf(w, ":)\nevent: update\ndata: %s\n\nevent: update\ndata: %s\n\n", statusJSON("101", 0), statusJSON("102", 0))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	case strings.HasPrefix(r.URL.Path, "/api/v1/statuses/"):
		id := strings.TrimPrefix(r.URL.Path, "/api/v1/statuses/")
		c.mu.Lock()
		c.fetches[id]++
		c.boosts += 2
		boosts := c.boosts
		c.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if id != "101" {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error":"Record not found"}`)
			return
		}
		fmt.Fprint(w, statusJSON(id, boosts))
	default:
		http.NotFound(w, r)
	}
}

func TestRefreshRaisesCountsOfStreamedStatuses(t *testing.T) {
	inst := &countingInstance{fetches: map[string]int{}}
	srv := httptest.NewServer(inst)
	defer srv.Close()
	src, err := New(Config{URL: srv.URL + "/api/v1/streaming/public", Client: srv.Client(), RefreshEvery: 10 * time.Millisecond,
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var mu sync.Mutex
	var got []post.Post
	err = src.Run(ctx, func(_ context.Context, p post.Post) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, p)
		if p.Metrics.Reposts >= 6 {
			cancel()
		}
		return nil
	})
	if err != nil || ctx.Err() == context.DeadlineExceeded {
		t.Fatalf("Run = %v (%v) after %d posts", err, ctx.Err(), len(got))
	}
	mu.Lock()
	defer mu.Unlock()
	// The two streamed statuses, then 101 again with more boosts each time.
	if len(got) < 4 || got[0].Metrics.Reposts != 0 || !strings.HasSuffix(got[2].ID, "/101") {
		t.Fatalf("emitted %d posts: %+v", len(got), got)
	}
	for i := 3; i < len(got); i++ {
		if got[i].Metrics.Reposts <= got[i-1].Metrics.Reposts || !strings.HasSuffix(got[i].ID, "/101") {
			t.Errorf("post %d: %s with %d boosts after %d: want only growing copies of 101", i, got[i].ID, got[i].Metrics.Reposts, got[i-1].Metrics.Reposts)
		}
	}
	inst.mu.Lock()
	defer inst.mu.Unlock()
	if inst.fetches["102"] != 1 {
		t.Errorf("the deleted status was fetched %d times, want once", inst.fetches["102"])
	}
}

func TestRefreshCandidates(t *testing.T) {
	src, err := New(Config{URL: "https://social.example/api/v1/streaming/public"})
	if err != nil {
		t.Fatal(err)
	}
	c := &src.counts
	c.grew("1", post.Metrics{})
	c.grew("2", post.Metrics{Reposts: 5})
	c.grew("3", post.Metrics{Likes: 1})
	if got := c.candidates(time.Hour, 2); len(got) != 2 || got[0] != "2" || got[1] != "3" {
		t.Errorf("candidates = %v, want the most engaged first: 2, 3", got)
	}
	if got := c.candidates(-time.Second, 5); len(got) != 0 {
		t.Errorf("candidates older than the window = %v", got)
	}
}
