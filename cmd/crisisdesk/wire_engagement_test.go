package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/analyze"
	"github.com/crisisdesk/crisisdesk/internal/ingest"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/query"
	"github.com/crisisdesk/crisisdesk/internal/source/mastodon"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// mastodonStatus is a status as Mastodon's streaming API sends it, with reblogs boosts.
func mastodonStatus(reblogs int, text string) string {
	st := map[string]any{
		"id": "113520000000000777", "uri": "https://social.example/users/anna/statuses/113520000000000777",
		"url": "https://social.example/@anna/113520000000000777", "created_at": alertStart.Format(time.RFC3339),
		"content": "<p>" + text + "</p>", "spoiler_text": "", "language": "nl", "visibility": "public",
		"in_reply_to_id": nil, "reblog": nil, "replies_count": 1, "reblogs_count": reblogs, "favourites_count": 3 * reblogs,
		"account": map[string]any{"id": "1091", "username": "anna", "acct": "anna", "display_name": "Anna de Vries",
			"url": "https://social.example/@anna", "followers_count": 2400, "following_count": 180,
			"created_at": "2023-04-01T00:00:00.000Z", "bot": false},
	}
	b, err := json.Marshal(st)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestEngagementGrowthRaisesViralAlert follows a Mastodon status from the stream to an alert: it is
// stored when it first arrives, then status.update events bring it again with more and more boosts;
// the stored counts rise, and the growth alone, with no new post referring to it, raises a viral_post
// alert.
func TestEngagementGrowthRaisesViralAlert(t *testing.T) {
	a, st, _ := newTestAlerting(t)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()

	text := "Alweer een storing bij Acme, al uren geen internet en niemand neemt op. Schandalig!"
	events := fmt.Sprintf("event: update\ndata: %s\n\n", mastodonStatus(0, text)) +
		fmt.Sprintf("event: status.update\ndata: %s\n\n", mastodonStatus(3, text)) +
		// An edit of the text with the same counts: nothing new to count, so not emitted.
		fmt.Sprintf("event: status.update\ndata: %s\n\n", mastodonStatus(3, text+" (aangepast)")) +
		fmt.Sprintf("event: status.update\ndata: %s\n\n", mastodonStatus(14, text))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/streaming/hashtag" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, ":)\n"+events)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()

	an, err := analyze.New()
	if err != nil {
		t.Fatal(err)
	}
	monitors := query.NewRegistry()
	if err := monitors.Set("m1", `acme`); err != nil {
		t.Fatal(err)
	}
	ing, err := ingest.New(ingest.Config{Filter: ingest.MatchedOnly, Observer: a, Clock: a.clk}, an, monitors, st)
	if err != nil {
		t.Fatal(err)
	}
	src, err := mastodon.New(mastodon.Config{URL: srv.URL + "/api/v1/streaming/hashtag?tag=storing", Client: srv.Client(),
		Clock: a.clk, BackfillPages: -1, Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }})
	if err != nil {
		t.Fatal(err)
	}
	var results []ingest.Result
	runCtx, stop := context.WithCancel(ctx)
	err = src.Run(runCtx, func(ctx context.Context, p post.Post) error {
		res, err := ing.Ingest(ctx, []post.Post{p})
		results = append(results, res)
		if len(results) == 3 {
			stop()
		}
		return err
	})
	if err != nil || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("Run = %v after %d posts (%v)", err, len(results), ctx.Err())
	}
	want := []ingest.Result{{Received: 1, Stored: 1}, {Received: 1, Duplicates: 1, Raised: 1}, {Received: 1, Duplicates: 1, Raised: 1}}
	for i := range want {
		if results[i] != want[i] {
			t.Errorf("post %d: ingest result %+v, want %+v", i+1, results[i], want[i])
		}
	}

	stored, err := st.SearchStoredPosts(ctx, store.PostQuery{})
	if err != nil || len(stored) != 1 {
		t.Fatalf("stored posts = %d, %v; want 1", len(stored), err)
	}
	if m := stored[0].Post.Metrics; m != (post.Metrics{Likes: 42, Reposts: 14, Replies: 1}) {
		t.Errorf("stored metrics = %+v, want the last update's", m)
	}
	alerts, err := st.Alerts(ctx, store.AlertQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var viral *store.Alert
	for i := range alerts {
		if alerts[i].Kind == "viral_post" {
			viral = &alerts[i]
		}
	}
	if viral == nil {
		t.Fatalf("no viral_post alert; alerts: %+v", alerts)
	}
	if viral.Monitor != "m1" || len(viral.PostIDs) == 0 || viral.PostIDs[0] != stored[0].Post.ID {
		t.Errorf("viral alert = %+v, want monitor m1 about %s", viral, stored[0].Post.ID)
	}
}
