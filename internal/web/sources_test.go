package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/notify/webhook"
	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/source/supervisor"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// testSourceKey is the harness's credential key; tests that read sealed values use it too.
var testSourceKey = []byte(strings.Repeat("w", secret.KeySize))

// newTestSources runs a real supervisor over the harness store and ingester until the test ends, and
// returns the manager the web app changes sources through.
func newTestSources(t testing.TB, st *sqlite.Store, in supervisor.Ingester, clk clock.Clock) *supervisor.Manager {
	t.Helper()
	box, err := secret.NewBox(testSourceKey)
	if err != nil {
		t.Fatal(err)
	}
	m, err := source.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	// The browser test's feed listens on loopback, as an intranet feed would, so private addresses are
	// allowed here; sources_guard_test.go tests the refusal.
	sup, err := supervisor.New(supervisor.Config{Box: box, Metrics: m, Clock: clk, FlushEvery: 10 * time.Millisecond, AllowPrivate: true}, st, in)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sup.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("supervisor: %v", err)
		}
	})
	// Run sets itself up on its own goroutine; the harness waits until changes take effect at once.
	for sup.Sync(ctx) != nil {
		runtime.Gosched()
	}
	mgr, err := supervisor.NewManager(st, box, sup, clk)
	if err != nil {
		t.Fatal(err)
	}
	return mgr
}

func TestSourceFormsKeepTokensWriteOnly(t *testing.T) {
	h := newHarness(t)
	b := h.loggedIn(auth.Responder)
	steps := []struct {
		name       string
		path       string
		form       url.Values
		wantStatus int
		wantIn     []string
		wantOut    []string
	}{
		{"bad url is shown, token not echoed", "/sources", url.Values{"kind": {"mastodon"}, "name": {"Mastodon"}, "url": {"mastodon.example"}, "stream": {"public"}, "token": {"tok-abc-123"}},
			http.StatusUnprocessableEntity, []string{"ws:// or wss:// for Jetstream", `value="Mastodon"`}, []string{"tok-abc-123"}},
		{"hashtag stream needs a tag", "/sources", url.Values{"kind": {"mastodon"}, "name": {"Mastodon"}, "url": {"https://mastodon.example"}, "stream": {"hashtag"}},
			http.StatusUnprocessableEntity, []string{"needs a hashtag"}, nil},
		{"webhook needs a secret", "/sources", url.Values{"kind": {"webhook"}, "name": {"Zendesk"}, "enabled": {"on"}},
			http.StatusUnprocessableEntity, []string{"signing secret"}, nil},
		{"created", "/sources", url.Values{"kind": {"mastodon"}, "name": {"Mastodon #storing"}, "url": {"http://127.0.0.1:1"}, "stream": {"hashtag"}, "hashtag": {"#storing"}, "token": {"tok-abc-123"}},
			http.StatusSeeOther, nil, nil},
	}
	for _, st := range steps {
		got := b.submit(st.path, st.form)
		if got.status != st.wantStatus {
			t.Fatalf("%s: status %d, want %d\n%.600s", st.name, got.status, st.wantStatus, got.body)
		}
		for _, s := range st.wantIn {
			if !strings.Contains(got.body, s) {
				t.Errorf("%s: page lacks %q", st.name, s)
			}
		}
		for _, s := range st.wantOut {
			if strings.Contains(got.body, s) {
				t.Errorf("%s: page shows %q", st.name, s)
			}
		}
	}
	srcs, err := h.st.Sources(t.Context())
	if err != nil || len(srcs) != 1 {
		t.Fatalf("sources = %v, %v", srcs, err)
	}
	src := srcs[0]
	if strings.Contains(src.Credentials, "tok-abc") || src.Credentials == "" || src.Enabled {
		t.Errorf("stored credentials %q (must be sealed), enabled %v (form left it off)", src.Credentials, src.Enabled)
	}
	page := b.get("/sources/" + src.ID)
	if page.status != http.StatusOK || strings.Contains(page.body, "tok-abc-123") || !strings.Contains(page.body, "A token is set.") {
		t.Errorf("edit page: status %d, shows token %v, says set %v", page.status, strings.Contains(page.body, "tok-abc-123"), strings.Contains(page.body, "A token is set."))
	}
	// Saving without typing a token keeps it.
	if got := b.submit("/sources/"+src.ID, url.Values{"name": {"Mastodon storing"}, "url": {"http://127.0.0.1:1"}, "stream": {"hashtag"}, "hashtag": {"storing"}}); got.status != http.StatusSeeOther {
		t.Fatalf("save: %d %.400s", got.status, got.body)
	}
	after, err := h.st.SourceByID(t.Context(), src.ID)
	if err != nil || after.Credentials == "" || after.Name != "Mastodon storing" {
		t.Errorf("after save: %+v, %v", after, err)
	}
	// A viewer sees the list and the form, read-only, without the management buttons.
	viewer := h.loggedIn(auth.Viewer)
	list := viewer.get("/sources")
	if list.status != http.StatusOK || !strings.Contains(list.body, "Mastodon storing") || strings.Contains(list.body, "/sources/new?kind=") {
		t.Errorf("viewer list: %d, management links shown %v", list.status, strings.Contains(list.body, "/sources/new?kind="))
	}
	nl := h.loggedIn(auth.Admin)
	nl.submit("/lang", url.Values{"lang": {"nl"}, "next": {"/sources"}})
	if got := nl.get("/sources"); !strings.Contains(got.body, "Bronnen") || !strings.Contains(got.body, "Mastodon storing") {
		t.Errorf("Dutch sources page lacks its title or the source")
	}
}

func TestInboundWebhook(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	b := h.loggedIn(auth.Admin)
	if got := b.submit("/sources", url.Values{"kind": {"webhook"}, "name": {"Zendesk"}, "enabled": {"on"}, "token": {"whsec-test"}}); got.status != http.StatusSeeOther {
		t.Fatalf("create webhook source: %d %.400s", got.status, got.body)
	}
	srcs, err := h.st.Sources(ctx)
	if err != nil || len(srcs) != 1 {
		t.Fatal(srcs, err)
	}
	id := srcs[0].ID
	list := b.get("/sources")
	if !strings.Contains(list.body, "/api/v1/webhooks/"+id) {
		t.Errorf("the sources page does not show the webhook address")
	}
	body := `{"id":"zd-1","platform":"web","text":"Klant meldt storing bij het inloggen","created_at":"2026-11-20T10:00:00Z"}
{"id":"zd-2","platform":"web","text":"Nog een melding over de storing","created_at":"2026-11-20T10:01:00Z"}
{"id":"zd-bad","platform":"web"}
`
	sign := func(key string, at time.Time, b string) string { return webhook.Sign([]byte(key), at, []byte(b)) }
	now := h.clk.Now()
	tests := []struct {
		name      string
		id        string
		signature string
		body      string
		want      int
		inserted  int
	}{
		{"no signature", id, "", body, http.StatusUnauthorized, 0},
		{"wrong secret", id, sign("guess", now, body), body, http.StatusUnauthorized, 0},
		{"body changed after signing", id, sign("whsec-test", now, body), strings.Replace(body, "storing", "brand", 1), http.StatusUnauthorized, 0},
		{"replayed after the tolerance", id, sign("whsec-test", now.Add(-webhook.DefaultTolerance-time.Minute), body), body, http.StatusUnauthorized, 0},
		{"unknown source", "nope", sign("whsec-test", now, body), body, http.StatusNotFound, 0},
		{"signed, one bad line", id, sign("whsec-test", now, body), body, http.StatusMultiStatus, 2},
		{"same again stores nothing new", id, sign("whsec-test", now, body), body, http.StatusMultiStatus, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.srv.URL+"/api/v1/webhooks/"+tt.id, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-ndjson")
			if tt.signature != "" {
				req.Header.Set(webhook.SignatureHeader, tt.signature)
			}
			resp, err := h.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.want != http.StatusMultiStatus {
				return
			}
			var res ingestResult
			if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
				t.Fatal(err)
			}
			if res.Inserted != tt.inserted || len(res.Errors) != 1 || res.Errors[0].Line != 3 {
				t.Errorf("result %+v, want %d inserted and line 3 refused", res, tt.inserted)
			}
		})
	}
	if got, err := h.st.SearchPosts(ctx, store.PostQuery{Text: "storing"}); err != nil || len(got) != 2 {
		t.Errorf("stored posts about storing: %d, %v", len(got), err)
	}
	// Disabled, the webhook answers as if it did not exist.
	if got := b.submit("/sources/"+id+"/enabled", url.Values{"enabled": {"false"}}); got.status != http.StatusSeeOther {
		t.Fatal(got.status)
	}
	resp := h.api(http.MethodPost, "/api/v1/webhooks/"+id, "", "application/json", strings.NewReader("[]"))
	if resp.status != http.StatusNotFound {
		t.Errorf("disabled webhook: %d", resp.status)
	}
}

func TestAPISourcesNeverShowsCredentials(t *testing.T) {
	h := newHarness(t)
	b := h.loggedIn(auth.Admin)
	if got := b.submit("/sources", url.Values{"kind": {"webhook"}, "name": {"Zendesk"}, "enabled": {"on"}, "token": {"whsec-api-test"}}); got.status != http.StatusSeeOther {
		t.Fatalf("create: %d", got.status)
	}
	got := h.api(http.MethodGet, "/api/v1/sources", h.token(h.user(auth.Viewer)), "", nil)
	if got.status != http.StatusOK || strings.Contains(got.body, "whsec-api-test") {
		t.Fatalf("GET /api/v1/sources: %d %s", got.status, got.body)
	}
	var views []supervisor.View
	if err := json.Unmarshal([]byte(got.body), &views); err != nil {
		t.Fatal(err)
	}
	if len(views) != 1 || views[0].Name != "Zendesk" || views[0].Kind != store.SourceWebhook || !views[0].HasToken || !views[0].Enabled {
		t.Errorf("sources = %+v", views)
	}
}
