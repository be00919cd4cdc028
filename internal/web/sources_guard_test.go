package web

import (
	"context"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/source/supervisor"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// TestSourceFormRefusesPrivateAddresses: where private addresses are not allowed, a source URL that
// names one is refused with a message in the user's language, and nothing is stored.
func TestSourceFormRefusesPrivateAddresses(t *testing.T) {
	h := newHarness(t)
	box, err := secret.NewBox(testSourceKey)
	if err != nil {
		t.Fatal(err)
	}
	// A manager without a supervisor applies the default: public addresses only.
	mgr, err := supervisor.NewManager(h.st, box, nil, h.clk)
	if err != nil {
		t.Fatal(err)
	}
	h.web.deps.Sources = mgr
	tests := []struct {
		lang, url, want string
	}{
		{"en", "http://169.254.169.254/latest/meta-data/", "private, local or internal address"},
		{"en", "http://localhost:9000/rss", "CRISISDESK_SOURCES_ALLOW_PRIVATE"},
		{"nl", "http://10.0.0.7/rss", "privé-, lokaal of intern adres"},
		{"nl", "http://[::1]:8080/rss", "alleen openbare adressen"},
	}
	for _, tt := range tests {
		b := h.loggedIn(auth.Admin)
		if tt.lang == "nl" {
			b.submit("/lang", url.Values{"lang": {"nl"}, "next": {"/sources"}})
		}
		got := b.submit("/sources", url.Values{"kind": {"rss"}, "name": {"Intranet"}, "url": {tt.url}})
		if got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, tt.want) {
			t.Errorf("%s %s: status %d, page lacks %q", tt.lang, tt.url, got.status, tt.want)
		}
	}
	if srcs, err := h.st.Sources(t.Context()); err != nil || len(srcs) != 0 {
		t.Errorf("sources stored: %v, %v", srcs, err)
	}
	// A public feed is fine.
	b := h.loggedIn(auth.Admin)
	if got := b.submit("/sources", url.Values{"kind": {"rss"}, "name": {"NOS"}, "url": {"https://feeds.nos.example/rss"}}); got.status != http.StatusSeeOther {
		t.Errorf("public feed: status %d", got.status)
	}
}

// TestSourcesPageSaysWhyAPrivateAddressStopped: a source stored before (or whose name now resolves
// to a private address) is stopped at the connection; the list and its page say why in the user's
// language, not as the connector's English error.
func TestSourcesPageSaysWhyAPrivateAddressStopped(t *testing.T) {
	h := newHarness(t)
	box, err := secret.NewBox(testSourceKey)
	if err != nil {
		t.Fatal(err)
	}
	m, err := source.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	sup, err := supervisor.New(supervisor.Config{Box: box, Metrics: m, Clock: h.clk}, h.st, h.web.deps.Ingest.(supervisor.Ingester))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sup.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	mgr, err := supervisor.NewManager(h.st, box, sup, h.clk)
	if err != nil {
		t.Fatal(err)
	}
	h.web.deps.Sources = mgr
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	if err := h.st.CreateSource(t.Context(), store.Source{ID: "intranet", Kind: store.SourceRSS, Name: "Intranet", Enabled: true,
		Settings: supervisor.Settings{URL: "http://127.0.0.1:9/rss"}.JSON(), CreatedAt: at, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
	for sup.Sync(ctx) != nil {
		runtime.Gosched()
	}
	deadline := time.Now().Add(10 * time.Second)
	for sup.Statuses()["intranet"].Problem == "" {
		if time.Now().After(deadline) {
			t.Fatal("the source did not stop")
		}
		time.Sleep(10 * time.Millisecond)
	}
	b := h.loggedIn(auth.Admin)
	for _, page := range []string{"/sources", "/sources/intranet"} {
		if got := b.get(page); !strings.Contains(got.body, "private, local or internal address") || strings.Contains(got.body, "sources may only connect") {
			t.Errorf("%s does not say why in English", page)
		}
	}
	b.submit("/lang", url.Values{"lang": {"nl"}, "next": {"/sources"}})
	if got := b.get("/sources"); !strings.Contains(got.body, "privé-, lokaal of intern adres") {
		t.Errorf("/sources does not say why in Dutch")
	}
}
