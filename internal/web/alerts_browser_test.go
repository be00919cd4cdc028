package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// TestBrowserAlerts is the alert flow in a real browser: a responder has the alerts page open; a burst
// of posts arrives through the API and raises an alert, which appears on the page without a reload;
// the responder opens it, reads why it fired and acknowledges it.
func TestBrowserAlerts(t *testing.T) {
	chromium := needChromium(t)
	h := newHarness(t)
	h.acmeMonitor()
	email := h.user(auth.Responder)
	ctx := newBrowserContext(t, chromium)
	step := browserStep(ctx, t)
	text := browserText(ctx, t)

	step("log in and open the alerts page",
		chromedp.Navigate(h.srv.URL+"/alerts"),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), email),
		chromedp.SendKeys(chromedp.CSS(`#password`), testPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#open-empty`)),
	)
	// The page says it is live once its event stream is open; only then can it miss nothing.
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(text(`#alerts-live`), "Live") {
		if time.Now().After(deadline) {
			t.Fatalf("the page never went live: %q", text(`#alerts-live`))
		}
		time.Sleep(50 * time.Millisecond)
	}
	// A marker on the window survives only as long as the page is not reloaded.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.notReloaded = true`)); err != nil {
		t.Fatalf("mark the page: %v", err)
	}

	h.ingestBurst(crisisPosts("br", now))
	a := h.onlyAlert()

	step("the alert appears without a reload",
		chromedp.WaitVisible(chromedp.CSS(`#open-alerts tr[data-id="`+a.ID+`"]`)),
	)
	still, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.notReloaded === true`))
	if err != nil {
		t.Fatal(err)
	}
	if !still {
		t.Fatal("the page was reloaded to show the alert")
	}
	row := text(`#open-alerts tr[data-id="` + a.ID + `"]`)
	if !strings.Contains(row, "Acme") {
		t.Errorf("row %q lacks the monitor name", row)
	}

	step("open it and acknowledge",
		chromedp.Click(chromedp.CSS(`#open-alerts tr[data-id="`+a.ID+`"] a`)),
		chromedp.WaitVisible(chromedp.CSS(`#explanation`)),
	)
	why := text(`main`)
	step("acknowledge",
		chromedp.Click(chromedp.CSS(`#ack-button`)),
		chromedp.WaitVisible(chromedp.CSS(`p.notice[role="status"]`)),
	)
	acked := text(`#alert-acked`)

	for _, want := range []string{"Why it fired", "Observed", "Expected", "Top posts by reach"} {
		if !strings.Contains(why, want) {
			t.Errorf("alert page lacks %q", want)
		}
	}
	if !strings.Contains(acked, email) {
		t.Errorf("acknowledged by %q, want %s", acked, email)
	}
	got, err := h.st.AlertByID(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.AckedBy != email || got.Status != store.AlertOpen {
		t.Fatalf("stored alert after acknowledging: %+v", got)
	}
}
