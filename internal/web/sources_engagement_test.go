package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/source/supervisor"
)

// TestBlueskyEngagementSetting: the Bluesky form's box for counting likes and reposts is stored in the
// source's settings and shown checked on its page; other kinds have no such box.
func TestBlueskyEngagementSetting(t *testing.T) {
	h := newHarness(t)
	b := h.loggedIn(auth.Responder)
	// Left disabled, so the test starts no connection to a public Jetstream.
	got := b.submit("/sources", url.Values{"kind": {"bluesky"}, "name": {"Bluesky"}, "url": {"ws://127.0.0.1:1/subscribe"}, "engagement": {"on"}})
	if got.status != http.StatusSeeOther {
		t.Fatalf("create: %d %.400s", got.status, got.body)
	}
	srcs, err := h.st.Sources(t.Context())
	if err != nil || len(srcs) != 1 {
		t.Fatalf("sources = %v, %v", srcs, err)
	}
	set, err := supervisor.ParseSettings(srcs[0].Settings)
	if err != nil || !set.Engagement {
		t.Fatalf("stored settings %s (%v), want engagement on", srcs[0].Settings, err)
	}
	page := b.get("/sources/" + srcs[0].ID)
	if !strings.Contains(page.body, `id="engagement" name="engagement" type="checkbox" aria-describedby="engagement-hint" checked`) ||
		!strings.Contains(page.body, "Count likes and reposts") {
		t.Errorf("edit page does not show the engagement box checked")
	}
	if got := b.submit("/sources/"+srcs[0].ID, url.Values{"name": {"Bluesky"}, "url": {"ws://127.0.0.1:1/subscribe"}}); got.status != http.StatusSeeOther {
		t.Fatalf("save: %d %.400s", got.status, got.body)
	}
	after, err := h.st.SourceByID(t.Context(), srcs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if set, _ := supervisor.ParseSettings(after.Settings); set.Engagement {
		t.Errorf("unchecking the box left engagement on: %s", after.Settings)
	}
	if form := b.get("/sources/new?kind=rss"); strings.Contains(form.body, `name="engagement"`) {
		t.Error("the feed form offers engagement counting")
	}
}
