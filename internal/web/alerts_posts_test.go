package web

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// The alert page shows what the top posts said, who wrote them and a link to each, in either language.
func TestAlertTopPosts(t *testing.T) {
	h := newHarness(t)
	h.acmeMonitor()
	posts := crisisPosts("tp", now)
	posts[0].URL = "https://newsroom.example/acme-breach"
	posts[0].Text += " <script>alert(1)</script>"
	// A post with a script link: its text shows, its link does not.
	posts[1].Author.Followers, posts[1].Author.Name = 5000, "Karel"
	posts[1].URL = "javascript:alert(1)"
	h.ingestBurst(posts)
	a := h.onlyAlert()
	viewer := h.loggedIn(auth.Viewer)
	page := viewer.get("/alerts/" + a.ID).body
	for _, want := range []string{
		`id="top-posts"`,
		"Acme data breach: customer passwords leaked",
		"&lt;script&gt;alert(1)&lt;/script&gt;",
		"<strong>Newsroom</strong> <span class=\"handle\">@newsroom.example</span>",
		`href="https://newsroom.example/acme-breach"`,
		"Open the post",
		"<strong>Karel</strong>",
		"Bluesky ·",
		"Mastodon ·",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("alert page lacks %q", want)
		}
	}
	for _, bad := range []string{"javascript:alert", "<script>alert(1)"} {
		if strings.Contains(page, bad) {
			t.Errorf("alert page contains %q", bad)
		}
	}
	if r := viewer.submit("/lang", url.Values{"lang": {"nl"}, "next": {"/alerts/" + a.ID}}); r.status >= 400 {
		t.Fatalf("switch to Dutch: %d", r.status)
	}
	nl := viewer.get("/alerts/" + a.ID).body
	for _, want := range []string{"Bericht openen", "Berichten met het grootste bereik", "Acme data breach: customer passwords leaked"} {
		if !strings.Contains(nl, want) {
			t.Errorf("Dutch alert page lacks %q", want)
		}
	}
}

// An explanation that names a post without its platform (written before top posts carried one), or a
// post the store does not have, shows the id and says the text is not available.
func TestAlertTopPostsNotStored(t *testing.T) {
	h := newHarness(t)
	m := h.acmeMonitor()
	ex, err := json.Marshal(alert.Explanation{Observed: 12, Expected: 1, Reach: 900, Text: map[string]string{"en": "12 posts"},
		TopPosts: []alert.TopPost{{ID: "old-1", Reach: 900}, {ID: "gone-2", Platform: "mastodon", Reach: 40}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.st.SaveAlert(context.Background(), store.Alert{ID: "al-old", Monitor: m.ID, Kind: "volume_spike", Severity: "medium",
		Status: store.AlertOpen, Summary: "12 posts", Explanation: ex, OpenedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.st.InsertPosts(context.Background(), []post.Post{{ID: "old-1", Platform: "bluesky", Text: "stored but not named by platform", CreatedAt: now}}); err != nil {
		t.Fatal(err)
	}
	page := h.loggedIn(auth.Viewer).get("/alerts/al-old").body
	for _, want := range []string{"<code>old-1</code>", "<code>gone-2</code>", "text not available: the post is not in the store"} {
		if !strings.Contains(page, want) {
			t.Errorf("alert page lacks %q", want)
		}
	}
	if strings.Contains(page, "stored but not named by platform") {
		t.Error("a post named without its platform was looked up by id alone")
	}
}

func TestCutText(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
		cut  bool
	}{
		{"", 3, "", false},
		{"abc", 3, "abc", false},
		{"abcd", 3, "abc", true},
		{"ééén", 2, "éé", true},
		{"😀😀", 1, "😀", true},
	} {
		if got, cut := cutText(tt.in, tt.n); got != tt.want || cut != tt.cut {
			t.Errorf("cutText(%q, %d) = %q, %v; want %q, %v", tt.in, tt.n, got, cut, tt.want, tt.cut)
		}
	}
}

func TestWebLink(t *testing.T) {
	for in, want := range map[string]string{
		"https://a.example/p/1": "https://a.example/p/1",
		"http://a.example":      "http://a.example",
		"javascript:alert(1)":   "",
		"data:text/html,hi":     "",
		"//a.example/p":         "",
		"/relative":             "",
		"https://":              "",
		"":                      "",
		"ht tp://a.example":     "",
		"HTTPS://A.EXAMPLE/up":  "HTTPS://A.EXAMPLE/up",
	} {
		if got := webLink(in); got != want {
			t.Errorf("webLink(%q) = %q, want %q", in, got, want)
		}
	}
}
