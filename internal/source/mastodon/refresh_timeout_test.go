package mastodon

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

// TestRefreshTimeout: an instance that takes a status fetch and never answers holds the count refresh
// only for RefreshTimeout; the round then fails and the next one tries again.
func TestRefreshTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: Close waits for the handler
	src, err := New(Config{URL: srv.URL + "/api/v1/streaming/public", Client: srv.Client(), RefreshTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	src.counts.grew("101", post.Metrics{Reposts: 1})
	start := time.Now()
	err = src.refresh(t.Context(), func(context.Context, post.Post) error { return nil })
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("refresh against a silent instance took %s", took)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("refresh against a silent instance = %v, want the deadline exceeded", err)
	}
	if got := src.counts.candidates(time.Hour, 5); len(got) != 1 || got[0] != "101" {
		t.Errorf("candidates after a timeout = %v, want 101 still asked", got)
	}
	if d, _ := New(Config{URL: "https://social.example/api/v1/streaming/public"}); d.cfg.RefreshTimeout != DefaultRefreshTimeout {
		t.Errorf("default refresh timeout %s", d.cfg.RefreshTimeout)
	}
}
