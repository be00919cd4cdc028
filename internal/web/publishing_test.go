package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/auth"
)

var accountIDRE = regexp.MustCompile(`id="account-(bluesky-[0-9a-f]+)"`)

// TestPublishingAccounts adds, changes and deletes a Bluesky publishing account through the settings
// page: the app password is write-only, a bad handle is refused with the form kept, and the account
// then appears among the composer's channels only while it is switched on.
func TestPublishingAccounts(t *testing.T) {
	h := newHarness(t)
	admin := h.loggedIn(auth.Admin)
	const password = "abcd-efgh-ijkl-mnop"

	r := admin.submit("/settings/publishing", url.Values{"name": {"Gemeente"}, "handle": {"not a handle"}, "app_password": {password}, "enabled": {"on"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="publishing-problem"`) || !strings.Contains(r.body, `value="not a handle"`) ||
		strings.Contains(r.body, password) {
		t.Fatalf("a bad handle: %d\n%s", r.status, r.body)
	}
	r = admin.submit("/settings/publishing", url.Values{"name": {"Gemeente"}, "handle": {"@gemeente.bsky.social"}, "app_password": {password}, "enabled": {"on"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/settings/publishing?done=created" {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	page := admin.get("/settings/publishing?done=created")
	m := accountIDRE.FindStringSubmatch(page.body)
	if m == nil || strings.Contains(page.body, password) || !strings.Contains(page.body, "@gemeente.bsky.social") {
		t.Fatalf("the page after create:\n%s", page.body)
	}
	id := m[1]
	stored, err := h.st.PublishAccountByID(t.Context(), id)
	if err != nil || stored.Credentials == "" || strings.Contains(stored.Credentials, password) || stored.Service != "https://bsky.social" {
		t.Fatalf("stored %+v, %v", stored, err)
	}
	// Saving without a password keeps it; switching it off is kept.
	r = admin.submit("/settings/publishing/"+id, url.Values{"name": {"Gemeente Utrecht"}, "handle": {"gemeente.bsky.social"}, "service": {"https://bsky.social"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("update: %d %s", r.status, r.body)
	}
	after, _ := h.st.PublishAccountByID(t.Context(), id)
	if after.Credentials != stored.Credentials || after.Enabled || after.Name != "Gemeente Utrecht" {
		t.Errorf("after update %+v", after)
	}
	if r := admin.submit("/settings/publishing/"+id+"/delete", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.status)
	}
	if _, err := h.st.PublishAccountByID(t.Context(), id); err == nil {
		t.Errorf("the account is still stored after delete")
	}
	if r := h.loggedIn(auth.Responder).get("/settings/publishing"); r.status != http.StatusForbidden {
		t.Errorf("a responder sees the accounts: %d", r.status)
	}
}
