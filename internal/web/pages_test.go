package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the Amsterdam zone, whatever the machine has

	"github.com/crisisdesk/crisisdesk/internal/auth"
)

func TestPostsPage(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		loc, err := time.LoadLocation("Europe/Amsterdam")
		if err != nil {
			t.Skip("no time zone database:", err)
		}
		c.Location = loc
	})
	h.insert(
		testPost("p1", "bluesky", "Storing bij de bank, niemand kan pinnen", now.Add(-50*time.Hour), "nl"),
		testPost("p2", "mastodon", "Outage at the bank again", now.Add(-3*time.Hour), "en"),
		testPost("p3", "bluesky", "Mooi weer <b>vandaag</b>", now.Add(-30*time.Minute), "nl"),
		testPost("p4", "x", "Storing voorbij, dank", now.Add(-10*time.Minute), "nl"),
	)
	b := h.loggedIn(auth.Viewer)
	tests := []struct {
		name   string
		query  url.Values
		status int
		want   []string // post ids in page order
	}{
		{"everything", url.Values{}, 200, []string{"p4", "p3", "p2", "p1"}},
		{"text", url.Values{"q": {"storing"}}, 200, []string{"p4", "p1"}},
		{"platform", url.Values{"platform": {"mastodon"}}, 200, []string{"p2"}},
		{"language", url.Values{"lang": {"nl"}, "q": {"storing"}}, 200, []string{"p4", "p1"}},
		{"last hour", url.Values{"period": {"1h"}}, 200, []string{"p4", "p3"}},
		{"last 24 hours", url.Values{"period": {"24h"}}, 200, []string{"p4", "p3", "p2"}},
		// 50 hours before 2026-11-20 12:00 UTC is 2026-11-18 in Amsterdam; the until day is included.
		{"dates", url.Values{"since": {"2026-11-18"}, "until": {"2026-11-18"}}, 200, []string{"p1"}},
		{"dates win over period", url.Values{"period": {"1h"}, "since": {"2026-11-18"}}, 200, []string{"p4", "p3", "p2", "p1"}},
		{"bad platform", url.Values{"platform": {"myspace"}}, 400, nil},
		{"bad period", url.Values{"period": {"1y"}}, 400, nil},
		{"bad date", url.Values{"since": {"18-11-2026"}}, 400, nil},
		{"until before since", url.Values{"since": {"2026-11-19"}, "until": {"2026-11-18"}}, 400, nil},
	}
	idRE := regexp.MustCompile(`href="https://example.nl/(p\d)"`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.get("/posts?" + tt.query.Encode())
			if r.status != tt.status {
				t.Fatalf("status %d, want %d", r.status, tt.status)
			}
			if tt.status != 200 {
				if !strings.Contains(r.body, `class="problem"`) {
					t.Fatal("no problem shown for a bad search")
				}
				if strings.Contains(r.body, "No posts match") {
					t.Fatal("a search that did not run reports no results")
				}
				return
			}
			var got []string
			for _, m := range idRE.FindAllStringSubmatch(r.body, -1) {
				got = append(got, m[1])
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			// The form shows the search back.
			if q := tt.query.Get("q"); q != "" && !strings.Contains(r.body, `value="`+q+`"`) {
				t.Error("the search text is not kept in the form")
			}
		})
	}
	r := b.get("/posts")
	if strings.Contains(r.body, "<b>vandaag</b>") || !strings.Contains(r.body, "&lt;b&gt;vandaag&lt;/b&gt;") {
		t.Error("post text is not escaped")
	}
	if !strings.Contains(r.body, "2026-11-20 12:50 CET") {
		t.Error("times are not shown in the configured zone")
	}
	d := b.get("/")
	if !strings.Contains(d.body, `<p class="figure">4</p>`) {
		t.Errorf("dashboard does not show the count of 4 posts")
	}
}

func TestTokensPage(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.BaseURL = "https://crisis.example.nl" })
	b := h.loggedIn(auth.Responder)
	if r := b.get("/settings/tokens"); r.status != 200 || !strings.Contains(r.body, "You have no API tokens.") {
		t.Fatalf("empty token page: %d", r.status)
	}
	if r := b.submit("/settings/tokens", url.Values{"name": {"  "}}); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("blank name: %d", r.status)
	}
	r := b.submit("/settings/tokens", url.Values{"name": {"webhook import"}})
	m := regexp.MustCompile(`value="(cdk_[A-Za-z0-9_-]+)"`).FindStringSubmatch(r.body)
	if r.status != 200 || m == nil {
		t.Fatalf("create: %d, no token shown", r.status)
	}
	token := m[1]
	if !strings.Contains(r.body, "https://crisis.example.nl/api/v1/posts") {
		t.Error("the example does not use the base URL")
	}
	// It works, and it is never shown again.
	if r := h.api("GET", "/api/v1/posts", token, "", nil); r.status != 200 {
		t.Fatalf("new token: %d", r.status)
	}
	list := b.get("/settings/tokens")
	if strings.Contains(list.body, token) || !strings.Contains(list.body, "webhook import") {
		t.Fatal("the list shows the clear token, or not the token's name")
	}
	// Another user cannot revoke it; its owner can.
	ids := regexp.MustCompile(`/settings/tokens/(\d+)/revoke`).FindStringSubmatch(list.body)
	if ids == nil {
		t.Fatal("no revoke form")
	}
	if r := h.loggedIn(auth.Responder).submit("/settings/tokens/"+ids[1]+"/revoke", nil); r.status != http.StatusNotFound {
		t.Fatalf("revoke by another user: %d", r.status)
	}
	if r := b.submit("/settings/tokens/"+ids[1]+"/revoke", nil); r.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.status)
	}
	if r := b.get("/settings/tokens?done=revoked"); !strings.Contains(r.body, "The token has been revoked.") {
		t.Error("no notice after revoking")
	}
	if r := h.api("GET", "/api/v1/posts", token, "", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d", r.status)
	}
	if r := b.get("/settings/tokens?done=<script>"); strings.Contains(r.body, "<script>") {
		t.Error("the done parameter reaches the page")
	}
}

func TestUsersPage(t *testing.T) {
	h := newHarness(t)
	admin := h.loggedIn(auth.Admin)
	tests := []struct {
		name   string
		form   url.Values
		status int
		text   string
	}{
		{"weak password", url.Values{"email": {"kim@example.nl"}, "password": {"short"}, "role": {"viewer"}}, 422, "at least 10 characters"},
		{"bad email", url.Values{"email": {"kim"}, "password": {testPassword}, "role": {"viewer"}}, 422, "valid email address"},
		{"bad role", url.Values{"email": {"kim@example.nl"}, "password": {testPassword}, "role": {"owner"}}, 422, "Choose one of the roles"},
		{"good", url.Values{"email": {"kim@example.nl"}, "password": {testPassword}, "role": {"responder"}}, 303, ""},
		{"duplicate", url.Values{"email": {"KIM@example.nl"}, "password": {testPassword}, "role": {"viewer"}}, 422, "already exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := admin.submit("/admin/users", tt.form)
			if r.status != tt.status || !strings.Contains(r.body, tt.text) {
				t.Fatalf("status %d, want %d with %q\n%.300s", r.status, tt.status, tt.text, r.body)
			}
		})
	}
	kim, err := h.st.UserByEmail(context.Background(), "kim@example.nl")
	if err != nil || kim.Role != "responder" {
		t.Fatalf("kim: %+v %v", kim, err)
	}
	id := strconv.FormatInt(kim.ID, 10)
	if r := admin.submit("/admin/users/"+id+"/role", url.Values{"role": {"viewer"}}); r.status != http.StatusSeeOther {
		t.Fatalf("change role: %d", r.status)
	}
	if k, _ := h.st.UserByID(context.Background(), kim.ID); k.Role != "viewer" {
		t.Fatalf("role is %q", k.Role)
	}
	kimB := h.browser()
	kimB.login("kim@example.nl", testPassword, http.StatusSeeOther)
	if r := kimB.get("/settings/tokens"); r.status != http.StatusForbidden {
		t.Fatalf("viewer kim on tokens: %d", r.status)
	}
	if r := admin.submit("/admin/users/"+id+"/status", url.Values{"status": {"disabled"}}); r.status != http.StatusSeeOther {
		t.Fatalf("disable: %d", r.status)
	}
	if r := kimB.get("/"); r.status != http.StatusSeeOther {
		t.Fatalf("disabled kim: %d", r.status)
	}
	if r := admin.get("/admin/users?done=disabled"); !strings.Contains(r.body, "has been disabled") {
		t.Error("no notice after disabling")
	}
	if r := admin.submit("/admin/users/"+id+"/status", url.Values{"status": {"maybe"}}); r.status != http.StatusBadRequest {
		t.Fatalf("bad status: %d", r.status)
	}

	// The only admin cannot demote themself.
	users, _ := h.auth.Users(context.Background())
	for _, u := range users {
		if u.Role == "admin" {
			r := admin.submit("/admin/users/"+strconv.FormatInt(u.ID, 10)+"/role", url.Values{"role": {"viewer"}})
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "no active admin") {
				t.Fatalf("demote last admin: %d", r.status)
			}
		}
	}
}

func TestPasswordChanges(t *testing.T) {
	h := newHarness(t)
	email := h.user(auth.Viewer)
	b := h.browser()
	b.login(email, testPassword, http.StatusSeeOther)
	if r := b.get("/settings/account"); r.status != 200 || !strings.Contains(r.body, email) {
		t.Fatalf("account page: %d", r.status)
	}
	tests := []struct {
		name                  string
		current, next, repeat string
		status                int
		text                  string
	}{
		{"mismatch", testPassword, "new password 1", "new password 2", 422, "not the same"},
		{"wrong current", "wrong password", "new password 1", "new password 1", 422, "current password is not correct"},
		{"weak", testPassword, "short", "short", 422, "at least 10 characters"},
		{"good", testPassword, "new password 1", "new password 1", 303, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.submit("/settings/password", url.Values{"current": {tt.current}, "password": {tt.next}, "password2": {tt.repeat}})
			if r.status != tt.status || !strings.Contains(r.body, tt.text) {
				t.Fatalf("status %d, want %d with %q", r.status, tt.status, tt.text)
			}
		})
	}
	h.browser().login(email, "new password 1", http.StatusSeeOther)
	h.browser().login(email, testPassword, http.StatusUnauthorized)

	// An admin resets it.
	u, err := h.st.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	admin := h.loggedIn(auth.Admin)
	path := "/admin/users/" + strconv.FormatInt(u.ID, 10) + "/password"
	if r := admin.submit(path, url.Values{"password": {"short"}}); r.status != 422 {
		t.Fatalf("weak reset: %d", r.status)
	}
	if r := admin.submit(path, url.Values{"password": {"reset by admin"}}); r.status != 303 {
		t.Fatalf("reset: %d", r.status)
	}
	h.browser().login(email, "reset by admin", http.StatusSeeOther)
}
