package supervisor

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/ingest"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// raisingRecorder is the test's recorder that also takes engagement counts, as *ingest.Ingester does.
type raisingRecorder struct {
	*recorder
	ing *ingest.Ingester
}

func (r raisingRecorder) RaiseMetrics(ctx context.Context, ups []store.MetricsUpdate) (int, error) {
	return r.ing.RaiseMetrics(ctx, ups)
}

// addEngagement appends a like or repost of the post with rkey, one second after the previous event.
func (js *jetstream) addEngagement(coll, by, rkey string) {
	js.mu.Lock()
	defer js.mu.Unlock()
	t := time.Date(2026, 11, 20, 10, 0, 10*len(js.events), 0, time.UTC)
	ev := map[string]any{
		"did": by, "time_us": t.UnixMicro(), "kind": "commit",
		"commit": map[string]any{
			"rev": "3mabd" + by[len(by)-2:], "operation": "create", "collection": coll, "rkey": "3mabd" + by[len(by)-2:],
			"record": map[string]any{"$type": coll, "createdAt": t.Format(time.RFC3339Nano),
				"subject": map[string]string{"uri": postID(rkey), "cid": "bafyreihq3nkx7a2pfbvvdhj6lszgqz4c5rjd3m2wq6a2k7z5yzk" + rkey}},
		},
	}
	b, err := json.Marshal(ev)
	if err != nil {
		panic(err)
	}
	js.events = append(js.events, jetEvent{timeUS: t.UnixMicro(), json: string(b)})
}

// TestBlueskyEngagementRaisesStoredCounts: a Bluesky source with engagement counting on asks for likes
// and reposts, and the counts of the stored post it saw reach the store.
func TestBlueskyEngagementRaisesStoredCounts(t *testing.T) {
	e := newEnv(t)
	js := &jetstream{}
	js.add("a0", "nl", "Storing bij Vitens in Deventer")
	for i := range 4 {
		js.addEngagement("app.bsky.feed.like", fmt.Sprintf("did:plc:fan%02d", i), "a0")
	}
	for i := range 2 {
		js.addEngagement("app.bsky.feed.repost", fmt.Sprintf("did:plc:rep%02d", i), "a0")
	}
	js.addEngagement("app.bsky.feed.like", "did:plc:fan99", "never-stored")
	js.add("a1", "nl", "Het water is weer terug")
	srv := httptest.NewServer(js)
	t.Cleanup(srv.Close)
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	src := store.Source{ID: "bsky", Kind: store.SourceBluesky, Name: "Bluesky",
		Settings: Settings{URL: "ws" + strings.TrimPrefix(srv.URL, "http") + "/subscribe", Engagement: true}.JSON(),
		Enabled:  true, CreatedAt: at, UpdatedAt: at}
	if err := e.st.CreateSource(t.Context(), src); err != nil {
		t.Fatal(err)
	}
	m, err := source.NewMetrics(e.reg)
	if err != nil {
		t.Fatal(err)
	}
	sup, err := New(Config{Box: e.box, Metrics: m, Logger: slog.New(slog.DiscardHandler), FlushEvery: 10 * time.Millisecond, AllowPrivate: true},
		e.st, raisingRecorder{e.rec, e.rec.in.(*ingest.Ingester)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- sup.Run(ctx) }()
	e.waitPosts(t, 2)
	// The counts are handed on every ten seconds, and at the latest when the source stops.
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	got, err := e.st.SearchPosts(t.Context(), store.PostQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range got {
		want := post.Metrics{}
		if p.ID == postID("a0") {
			want = post.Metrics{Likes: 4, Reposts: 2}
		}
		if p.Metrics != want {
			t.Errorf("post %s metrics = %+v, want %+v", p.ID, p.Metrics, want)
		}
	}
}
