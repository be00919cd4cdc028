package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// TestBrowserSources drives a real browser: an admin adds an RSS source that points at a feed on
// loopback, sees it connected on the sources page, and finds the feed item that matches a monitor on
// the posts page, and not the one that matches none.
func TestBrowserSources(t *testing.T) {
	chromium := needChromium(t)
	h := newHarness(t)
	ctx := context.Background()
	if err := h.st.SaveSettings(ctx, store.Settings{KeepAllPosts: false}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.web.deps.Monitors.Create(ctx, "Zebrabank storingen", "zebrabank AND storing", true, 0); err != nil {
		t.Fatal(err)
	}
	item := func(guid, title string, at time.Time) string {
		return fmt.Sprintf(`<item><title>%s</title><link>https://www.omroepoost.example/nieuws/%s</link><guid isPermaLink="false">%s</guid>`+
			`<pubDate>%s</pubDate><description>%s, meldt de redactie.</description></item>`, title, guid, guid, at.Format(time.RFC1123Z), title)
	}
	feed := `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Omroep Oost | Nieuws</title>` +
		`<link>https://www.omroepoost.example/nieuws</link><description>Regionaal nieuws</description><language>nl-NL</language>` +
		item("oost-1", "Storing bij Zebrabank: niemand kan pinnen in Deventer", now.Add(-20*time.Minute)) +
		item("oost-2", "Mooi weer aan de IJssel dit weekend", now.Add(-10*time.Minute)) +
		`</channel></rss>`
	feedSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write([]byte(feed))
	}))
	t.Cleanup(feedSrv.Close)

	email := h.user(auth.Admin)
	bctx := newBrowserContext(t, chromium)
	step := browserStep(bctx, t)
	text := browserText(bctx, t)

	step("log in",
		chromedp.Navigate(h.srv.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), email),
		chromedp.SendKeys(chromedp.CSS(`#password`), testPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.figure`)),
	)
	step("add an RSS source from the sources page",
		chromedp.Navigate(h.srv.URL+"/sources"),
		chromedp.WaitVisible(chromedp.CSS(`p.empty`)),
		chromedp.Click(chromedp.CSS(`a[href="/sources/new?kind=rss"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#url`)),
		chromedp.SendKeys(chromedp.CSS(`#name`), "Omroep Oost"),
		chromedp.SendKeys(chromedp.CSS(`#url`), feedSrv.URL+"/rss"),
		chromedp.Clear(chromedp.CSS(`#interval`)),
		chromedp.SendKeys(chromedp.CSS(`#interval`), "10m"),
		chromedp.Click(chromedp.CSS(`#source-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.sources`)),
	)
	if notice := text(`p.notice`); !strings.Contains(notice, "starts listening") {
		t.Errorf("notice after adding: %q", notice)
	}
	// The feed is polled at once; the page shows the state it had when it was rendered, and reloads
	// itself. Reload it a bounded number of times rather than wait out the refresh.
	var state string
	for range 50 {
		step("reload the sources page", chromedp.Navigate(h.srv.URL+"/sources"), chromedp.WaitVisible(chromedp.CSS(`td.state`)))
		if state = text(`td.state`); strings.Contains(state, "Connected") {
			break
		}
	}
	if !strings.Contains(state, "Connected") {
		t.Fatalf("source state %q, want Connected", state)
	}
	row := text(`table.sources tbody tr`)
	if !strings.Contains(row, "Omroep Oost") || !strings.Contains(row, "RSS") {
		t.Errorf("sources row %q", row)
	}

	step("find the post on the posts page",
		chromedp.Navigate(h.srv.URL+"/posts"),
		chromedp.WaitVisible(chromedp.CSS(`ol.posts`)),
	)
	posts := text(`ol.posts`)
	if !strings.Contains(posts, "Storing bij Zebrabank") || !strings.Contains(posts, "Zebrabank storingen") {
		t.Errorf("posts page %q lacks the feed item with the monitor it matched", posts)
	}
	if strings.Contains(posts, "Mooi weer") {
		t.Errorf("posts page %q shows the item that matches no monitor", posts)
	}
}
