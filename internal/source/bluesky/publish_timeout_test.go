package bluesky

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/source"
)

// TestPublishCallTimeout: a PDS that takes the request and never answers holds a publication only for
// CallTimeout, and the error says the deadline passed, so the composer records a failed attempt that
// can be retried.
func TestPublishCallTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: Close waits for the handler
	pub, err := NewPublisher(PublisherConfig{PDS: srv.URL, Identifier: "gemeente.bsky.social", AppPassword: "abcd-efgh-ijkl-mnop",
		HTTPClient: srv.Client(), CallTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = pub.Publish(t.Context(), source.Statement{Text: "Storing", IdempotencyKey: "statement/1/v1/bsky/1", CreatedAt: time.Now()})
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("Publish against a silent PDS took %s", took)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Publish against a silent PDS = %v, want the deadline exceeded", err)
	}
	if p, _ := NewPublisher(PublisherConfig{Identifier: "g.bsky.social", AppPassword: "p"}); p.cfg.CallTimeout != DefaultCallTimeout {
		t.Errorf("default call timeout %s", p.cfg.CallTimeout)
	}
}
