package statement_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/respond"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/source/mastodon"
	"github.com/crisisdesk/crisisdesk/internal/statement"
	"github.com/crisisdesk/crisisdesk/internal/statement/statementtest"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// approvedStatement drafts, submits and approves a short statement.
func approvedStatement(t *testing.T, e *env) store.Statement {
	t.Helper()
	ctx := t.Context()
	inc := e.declare(t, incident.SeverityMedium)
	st, _, err := e.svc.Create(ctx, inc.ID, statement.Draft{Lang: "en",
		Core: "We know online banking is down. Next update at 11:00 on https://status.example.org."}, anna)
	if err != nil {
		t.Fatal(err)
	}
	if st, err = e.svc.Submit(ctx, st.ID, st.Rev, anna); err != nil {
		t.Fatal(err)
	}
	if st, err = e.svc.Approve(ctx, st.ID, st.Rev, "", bram); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestPublishTimeout: a server that never answers holds a publication only for PublishTimeout; the
// attempt is then recorded as failed, not left pending, and a retry on an answering server posts once.
func TestPublishTimeout(t *testing.T) {
	ctx := t.Context()
	// The timeout also bounds the retry on the answering server, so it must be long enough for a loaded
	// machine to answer a loopback request in; 100 ms was not.
	e := newEnv(t, statement.Config{PublishTimeout: 2 * time.Second})
	st := approvedStatement(t, e)

	release := make(chan struct{})
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(hung.Close)
	t.Cleanup(func() { close(release) }) // runs first: Close waits for the handler
	slow, err := mastodon.NewPublisher(mastodon.PublisherConfig{BaseURL: hung.URL, Token: "publish-token", Client: hung.Client()})
	if err != nil {
		t.Fatal(err)
	}
	ch := statement.Channel{ID: "src-mastodon", Name: "@gemeente@social.example", Platform: respond.Mastodon, Publisher: slow}
	start := time.Now()
	res, err := e.svc.Publish(ctx, st.ID, channels{ch}, []string{ch.ID}, anna)
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("publishing to a silent server took %s", took)
	}
	if err != nil || len(res) != 1 || res[0].Err == nil || res[0].Publication.Status != store.PublicationFailed {
		t.Fatalf("Publish to a silent server = %+v, %v", res, err)
	}
	for _, lang := range []string{"en", "nl"} {
		want := (&statement.Error{Code: "publish_timeout"}).Message(lang)
		if got := statement.FailureMessage(res[0].Err, lang); got != want {
			t.Errorf("FailureMessage(%s) = %q, want %q", lang, got, want)
		}
	}
	pubs, err := e.st.Publications(ctx, st.ID)
	if err != nil || len(pubs) != 1 || pubs[0].Status != store.PublicationFailed || pubs[0].FinishedAt.IsZero() ||
		strings.Contains(pubs[0].Error, "127.0.0.1") {
		t.Fatalf("stored attempt %+v, %v", pubs, err)
	}

	m := statementtest.NewMastodon("publish-token")
	t.Cleanup(m.Close)
	ch = mastodonChannel(t, m)
	res, err = e.svc.Publish(ctx, st.ID, channels{ch}, []string{ch.ID}, anna)
	if err != nil || res[0].Err != nil || res[0].Repeated || res[0].Publication.Status != store.PublicationPublished || len(m.Made()) != 1 {
		t.Fatalf("retry = %+v, %v; %d statuses", res, err, len(m.Made()))
	}
	res, err = e.svc.Publish(ctx, st.ID, channels{ch}, []string{ch.ID}, anna)
	if err != nil || !res[0].Repeated || len(m.Made()) != 1 {
		t.Fatalf("publishing again = %+v, %v; %d statuses", res, err, len(m.Made()))
	}
}

// TestPublishBlockedAddress: through the guarded client, a channel on a loopback server is refused
// before anything is sent, and what the user and the record see names neither the address nor the
// dial's error.
func TestPublishBlockedAddress(t *testing.T) {
	ctx := t.Context()
	e := newEnv(t, statement.Config{})
	st := approvedStatement(t, e)
	m := statementtest.NewMastodon("publish-token")
	t.Cleanup(m.Close)
	pub, err := mastodon.NewPublisher(mastodon.PublisherConfig{BaseURL: m.URL(), Token: m.Token, Client: source.Guard{}.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	ch := statement.Channel{ID: "src-mastodon", Name: "internal", Platform: respond.Mastodon, Publisher: pub}
	res, err := e.svc.Publish(ctx, st.ID, channels{ch}, []string{ch.ID}, anna)
	if err != nil || len(res) != 1 || res[0].Err == nil || res[0].Publication.Status != store.PublicationFailed || len(m.Made()) != 0 {
		t.Fatalf("Publish to loopback = %+v, %v; %d statuses", res, err, len(m.Made()))
	}
	for _, lang := range []string{"en", "nl"} {
		got := statement.FailureMessage(res[0].Err, lang)
		if got != (&statement.Error{Code: "publish_blocked"}).Message(lang) || strings.Contains(got, "127.0.0.1") {
			t.Errorf("FailureMessage(%s) = %q", lang, got)
		}
	}
	if p := res[0].Publication; strings.Contains(p.Error, "127.0.0.1") || !strings.Contains(p.Error, source.EnvAllowPrivate) {
		t.Errorf("stored error %q", p.Error)
	}
}
