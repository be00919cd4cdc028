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
	"github.com/crisisdesk/crisisdesk/internal/store"
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

// needChromium returns the browser to drive, or skips the test loudly.
func needChromium(t *testing.T) string {
	t.Helper()
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
	return chromium
}

// newBrowserContext starts a headless chromium for one test; the context ends with the test.
func newBrowserContext(t *testing.T, chromium string) context.Context {
	t.Helper()
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
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	// An upper bound only, for a browser that hangs: a loaded machine runs a whole walk-through slowly.
	ctx, cancelTimeout := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(cancelTimeout)
	return ctx
}

// browserStep returns a function that runs browser actions and fails the test, naming what was being
// done, when one fails.
func browserStep(ctx context.Context, t *testing.T) func(what string, steps ...chromedp.Action[chromedp.Void]) {
	return func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
}

// browserText returns a function that reads the visible text of the first element matching a selector,
// waiting for the element to be there. It finds and reads the element in one script, so a page that
// swaps parts of itself (the live incident room replaces its timeline when an event arrives) cannot
// remove the element between the two, as it can between chromedp.Text's query and its read.
func browserText(ctx context.Context, t *testing.T) func(sel string) string {
	return func(sel string) string {
		t.Helper()
		quoted, err := json.Marshal(sel)
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		script := `(() => {
			const el = document.querySelector(` + string(quoted) + `);
			if (!el) return {found: false, text: ""};
			const shown = el.offsetWidth || el.offsetHeight || el.getClientRects().length;
			return {found: true, text: shown ? el.innerText : ""};
		})()`
		type read struct {
			Found bool   `json:"found"`
			Text  string `json:"text"`
		}
		for {
			r, err := chromedp.Run(ctx, chromedp.Evaluate[read](script))
			if err != nil {
				t.Fatalf("read %s: %v", sel, err)
			}
			if r.Found {
				return r.Text
			}
			select {
			case <-ctx.Done():
				t.Fatalf("read %s: no such element: %v", sel, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
}

// TestBrowser drives a real browser through the app as a person would: log in through the form,
// search the posts, and switch to Dutch.
func TestBrowser(t *testing.T) {
	chromium := needChromium(t)
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

	ctx := newBrowserContext(t, chromium)

	text := browserText(ctx, t)
	step := browserStep(ctx, t)

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

// TestBrowserMonitor is the monitor flow in a real browser: a responder opens the editor, types a
// query with an error and sees it at its column while typing, fixes it and sees the preview count,
// saves; then posts arrive through the API and the matched one is found on the posts page by that
// monitor.
func TestBrowserMonitor(t *testing.T) {
	chromium := needChromium(t)
	h := newHarness(t)
	if err := h.st.SaveSettings(context.Background(), store.Settings{KeepAllPosts: false}); err != nil {
		t.Fatal(err)
	}
	// Stored posts of the last week, for the preview.
	h.insert(
		testPost("w1", "bluesky", "Storing bij Zebrabank, niemand kan pinnen", now.Add(-26*time.Hour), "nl"),
		testPost("w2", "mastodon", "Zebrabank opent een nieuw kantoor", now.Add(-30*time.Hour), "nl"),
		testPost("w3", "x", "Mooi weer aan zee", now.Add(-31*time.Hour), "nl"),
	)
	email := h.user(auth.Responder)
	ctx := newBrowserContext(t, chromium)
	step := browserStep(ctx, t)
	text := browserText(ctx, t)

	step("log in",
		chromedp.Navigate(h.srv.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), email),
		chromedp.SendKeys(chromedp.CSS(`#password`), testPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.figure`)),
	)
	const bad = "zebrabank AND (storing"
	step("type a query with an unclosed parenthesis",
		chromedp.Navigate(h.srv.URL+"/monitors/new"),
		chromedp.WaitVisible(chromedp.CSS(`#query`)),
		chromedp.SendKeys(chromedp.CSS(`#name`), "Zebrabank storingen"),
		chromedp.SendKeys(chromedp.CSS(`#query`), bad),
		chromedp.WaitVisible(chromedp.CSS(`#query-problem p.problem`)),
	)
	col, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`#query-problem p.problem`), "data-col"))
	if err != nil {
		t.Fatal(err)
	}
	message, caret := text(`#query-problem p.problem`), text(`#query-problem pre.caret`)
	if col.Value != "15" || !strings.Contains(message, "parenthes") {
		t.Errorf("live error: column %q, message %q; want column 15 about the parenthesis", col.Value, message)
	}
	// The caret sits under the column: the query line and the caret line are indented alike.
	lines := strings.Split(caret, "\n")
	if len(lines) < 3 || strings.Index(lines[2], "^") != strings.Index(lines[1], bad)+14 {
		t.Errorf("caret not under column 15:\n%s", caret)
	}

	step("fix it and wait for the preview",
		chromedp.SendKeys(chromedp.CSS(`#query`), ")"),
		chromedp.WaitNotVisible(chromedp.CSS(`#query-problem`)),
		chromedp.Poll[chromedp.Void](`document.getElementById("preview-summary").textContent.includes("Would have matched 1 of the 3")`),
	)
	samples := text(`#preview-samples`)
	if !strings.Contains(samples, "Storing bij Zebrabank") {
		t.Errorf("preview samples %q lack the matching post", samples)
	}
	step("save",
		chromedp.Click(chromedp.CSS(`#monitor-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.notice`)),
	)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	id := strings.TrimSuffix(strings.TrimPrefix(loc, h.srv.URL+"/monitors/"), "?done=created")
	if !strings.HasPrefix(id, "m") || strings.Contains(id, "/") {
		t.Fatalf("after saving the browser is at %s", loc)
	}

	var body bytes.Buffer
	for _, p := range []post.Post{
		testPost("n1", "bluesky", "Weer een storing bij Zebrabank (storing!)", now.Add(-5*time.Minute), "nl"),
		testPost("n2", "bluesky", "Zebrabank sponsort het voetbal", now.Add(-4*time.Minute), "nl"),
	} {
		if err := json.NewEncoder(&body).Encode(p); err != nil {
			t.Fatal(err)
		}
	}
	if r := h.api("POST", "/api/v1/posts", h.token(email), "application/x-ndjson", &body); r.status != 200 || !strings.Contains(r.body, `"inserted":1`) {
		t.Fatalf("ingest: %d %s", r.status, r.body)
	}
	// From a search without results, so the list that appears is the answer to the filter.
	step("filter the posts page by the monitor",
		chromedp.Navigate(h.srv.URL+"/posts?q=nothing-matches-this"),
		chromedp.WaitVisible(chromedp.CSS(`p.empty`)),
		chromedp.Clear(chromedp.CSS(`#q`)),
		chromedp.SetValue(chromedp.CSS(`#monitor`), id),
		chromedp.Click(chromedp.CSS(`form.search button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`ol.posts`)),
	)
	results := text(`ol.posts`)
	if !strings.Contains(results, "Weer een storing bij Zebrabank") || !strings.Contains(results, "Zebrabank storingen") {
		t.Errorf("posts of the monitor %q lack n1 with its monitor", results)
	}
	if strings.Contains(results, "sponsort") || strings.Contains(results, "niemand kan pinnen") {
		t.Errorf("posts of the monitor %q show posts it did not match at ingest", results)
	}
}
