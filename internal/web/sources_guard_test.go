package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/source/supervisor"
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
