package web

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/incident"
)

// TestBrowserTemplate walks a template edit in a real browser at phone width: a responder saves a new
// version, which is a draft the composer offers only when drafts are asked for; the history marks
// the change; a second responder approves it, and the composer offers it again.
func TestBrowserTemplate(t *testing.T) {
	chromium := needChromium(t)
	h := newHarness(t)
	author, second := h.user(auth.Responder), h.user(auth.Responder)
	inc, err := h.incidents.Declare(context.Background(), incident.Declaration{Title: "Online banking down", Lang: "en",
		Severity: incident.SeverityMedium, Author: author})
	if err != nil {
		t.Fatal(err)
	}
	statements := h.srv.URL + "/incidents/" + strconv.FormatInt(inc.ID, 10) + "/statements?lang=en"
	ctx := newBrowserContext(t, chromium)
	step := browserStep(ctx, t)
	text := browserText(ctx, t)
	login := func(email, page, wait string) {
		t.Helper()
		step("log in as "+email,
			chromedp.Navigate(page),
			chromedp.WaitVisible(chromedp.CSS(`#email`)),
			chromedp.SendKeys(chromedp.CSS(`#email`), email),
			chromedp.SendKeys(chromedp.CSS(`#password`), testPassword),
			chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(wait)),
		)
	}

	step("phone width", chromedp.EmulateViewport(390, 844))
	login(author, h.srv.URL+"/templates/holding-en", `#template-edit`)
	step("save a new version",
		chromedp.SetValue(chromedp.CSS(`#template-text-field`), "We know there is {{issue}} and we are sorry. Our next update will be at {{next_update}} on {{info_url}}."),
		chromedp.Click(chromedp.CSS(`#template-save`)),
		chromedp.WaitVisible(chromedp.CSS(`#template-own`)),
	)
	if got := text(`#template-status`); !strings.Contains(got, "Draft") {
		t.Errorf("status after the edit %q", got)
	}
	if got := text(`.template-diff ins`); !strings.Contains(got, "sorry") {
		t.Errorf("the history marks %q as added", got)
	}
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil || wide > 390 {
		t.Errorf("the template page is %dpx wide at a 390px phone width (%v)", wide, err)
	}
	step("the composer leaves the draft out", chromedp.Navigate(statements), chromedp.WaitVisible(chromedp.CSS(`#use-acknowledgement-en`)))
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#use-holding-en').length`)); n != 0 {
		t.Error("the draft is offered by default")
	}
	step("ask for drafts",
		chromedp.Click(chromedp.CSS(`#show-drafts`)),
		chromedp.Click(chromedp.CSS(`#template-filter button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#use-holding-en`)),
	)
	step("log out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`#email`)))

	login(second, h.srv.URL+"/templates/holding-en", `#template-approve`)
	step("the second responder approves",
		chromedp.Click(chromedp.CSS(`#template-approve`)),
		// The history is on the page before the click too; only the approved page has a badge that
		// is not subtle, so waiting for it cannot read the old page while the new one loads.
		chromedp.WaitVisible(chromedp.CSS(`#template-status .badge:not(.subtle)`)),
	)
	if got := text(`#template-status`); !strings.Contains(got, "Approved") || !strings.Contains(got, second) {
		t.Errorf("status after the approval %q", got)
	}
	step("the composer offers it again", chromedp.Navigate(statements), chromedp.WaitVisible(chromedp.CSS(`#use-holding-en`)))
}
