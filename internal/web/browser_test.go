package web

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/post"
)

// findChromium returns the browser to drive: $CRISISDESK_CHROMIUM, which the test script sets, or a
// chromium on the PATH.
func findChromium() string {
	if p := os.Getenv("CRISISDESK_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestBrowser drives a real browser through the app as a person would: log in through the form,
// search the posts, and switch to Dutch.
func TestBrowser(t *testing.T) {
	chromium := findChromium()
	if chromium == "" {
		t.Skip("\n\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n" +
			"!!! NO CHROMIUM FOUND: THE BROWSER TEST IS SKIPPED.\n" +
			"!!! Install it (apt-get install chromium) or run scripts/test.sh, which does.\n" +
			"!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n")
	}
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	h := newHarness(t)
	email := h.user(auth.Viewer)
	// The posts come in through the API, as a connector would send them.
	var body bytes.Buffer
	for _, p := range []post.Post{
		testPost("b1", "bluesky", "Storing bij de bank: niemand kan pinnen", now.Add(-time.Hour), "nl"),
		testPost("b2", "mastodon", "Mooi weer vandaag aan zee", now.Add(-50*time.Minute), "nl"),
		testPost("b3", "x", "Card payments down at the bank", now.Add(-40*time.Minute), "en"),
	} {
		if err := json.NewEncoder(&body).Encode(p); err != nil {
			t.Fatal(err)
		}
	}
	if r := h.api("POST", "/api/v1/posts", h.token(h.user(auth.Responder)), "application/x-ndjson", &body); r.status != 200 {
		t.Fatalf("ingest: %d %s", r.status, r.body)
	}

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("no-proxy-server", true),
		chromedp.Flag("accept-lang", "en"),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	defer cancelTimeout()

	// text reads the visible text of the first element matching sel.
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return v
	}
	step := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	step("log in through the form",
		chromedp.Navigate(h.srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), email),
		chromedp.SendKeys(chromedp.CSS(`#password`), testPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.figure`)),
	)
	dashboard := text(`main`)

	// Start from a search without results, so the list that appears is the answer to this search.
	step("search",
		chromedp.Navigate(h.srv.URL+"/posts?q=nothing-matches-this"),
		chromedp.WaitVisible(chromedp.CSS(`p.empty`)),
		chromedp.Clear(chromedp.CSS(`#q`)),
		chromedp.SendKeys(chromedp.CSS(`#q`), "bank"),
		chromedp.SetValue(chromedp.CSS(`#platform`), "bluesky"),
		chromedp.Click(chromedp.CSS(`form.search button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`ol.posts`)),
	)
	results := text(`ol.posts`)

	step("switch to Dutch",
		chromedp.Click(chromedp.CSS(`button[name="lang"][value="nl"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="nl"] #q`)),
	)
	dutch := text(`main`)
	attr, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`html`), "lang"))
	if err != nil {
		t.Fatal(err)
	}
	lang := attr.Value
	query, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#q`)))
	if err != nil {
		t.Fatal(err)
	}

	if !strings.Contains(dashboard, "Stored posts") || !strings.Contains(dashboard, "3") {
		t.Errorf("dashboard text %q", dashboard)
	}
	if !strings.Contains(results, "Storing bij de bank") {
		t.Errorf("results %q lack the matching post", results)
	}
	for _, not := range []string{"Mooi weer", "Card payments"} {
		if strings.Contains(results, not) {
			t.Errorf("results %q show %q, which does not match", results, not)
		}
	}
	if lang != "nl" || !strings.Contains(dutch, "Zoektekst") || !strings.Contains(dutch, "Resultaten, nieuwste eerst") {
		t.Errorf("after switching: lang %q, text %q", lang, dutch)
	}
	if !strings.Contains(dutch, "Storing bij de bank") || query != "bank" {
		t.Errorf("the search was lost when switching language: q=%q", query)
	}
}
