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

// TestBrowserStatement walks the response composer in a real browser at phone width: a responder
// picks a template for an incident, fills it in, sees the variants and a finding, and submits it; a
// second responder approves it; the first publishes it to Mastodon (a loopback server) and by hand
// on X; the incident's timeline shows it drafted, approved and published.
func TestBrowserStatement(t *testing.T) {
	chromium := needChromium(t)
	h := newHarness(t)
	author, second := h.user(auth.Responder), h.user(auth.Responder)
	inc, err := h.incidents.Declare(context.Background(), incident.Declaration{Title: "Online banking down", Lang: "en",
		Severity: incident.SeverityMedium, Author: author})
	if err != nil {
		t.Fatal(err)
	}
	room := h.srv.URL + "/incidents/" + strconv.FormatInt(inc.ID, 10)
	ctx := newBrowserContext(t, chromium)
	step := browserStep(ctx, t)
	text := browserText(ctx, t)
	login := func(email, page string, wait string) {
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
	logout := func() {
		t.Helper()
		step("log out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`#email`)))
	}

	step("phone width", chromedp.EmulateViewport(390, 844))
	login(author, room+"/statements", `#use-holding-en`)
	step("pick the holding statement and fill it in",
		chromedp.Click(chromedp.CSS(`#use-holding-en`)),
		chromedp.WaitVisible(chromedp.CSS(`#fill-template`)),
		chromedp.SendKeys(chromedp.CSS(`#var-issue`), "a fault in online banking"),
		chromedp.SendKeys(chromedp.CSS(`#var-next_update`), "11:00"),
		chromedp.SendKeys(chromedp.CSS(`#var-info_url`), "https://status.example.org"),
		chromedp.Click(chromedp.CSS(`#draft`)),
		chromedp.WaitVisible(chromedp.CSS(`#statement-state`)),
	)
	for _, sel := range []string{`#variant-x`, `#variant-mastodon`, `#variant-linkedin`} {
		if got := text(sel); !strings.Contains(got, "11:00") || !strings.Contains(got, "/ ") {
			t.Errorf("%s shows %q: want the text with its length", sel, got)
		}
	}
	if got := text(`#consistent`); got == "" {
		t.Error("no consistency result")
	}
	core := text(`#core-text`)
	step("an edit that over-promises is marked",
		chromedp.SetValue(chromedp.CSS(`#edit-core`), core+" We guarantee it never happens again."),
		chromedp.Click(chromedp.CSS(`#save-edit`)),
		chromedp.WaitVisible(chromedp.CSS(`#core-text mark[data-rule="overpromise"]`)),
	)
	title, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`#core-text mark[data-rule="overpromise"]`), "title"))
	if err != nil || title.Value == "" {
		t.Errorf("the finding has no message: %q, %v", title.Value, err)
	}
	step("take it out and submit",
		chromedp.SetValue(chromedp.CSS(`#edit-core`), core),
		chromedp.Click(chromedp.CSS(`#save-edit`)),
		// Each save is a revision: wait for the page of the third (drafted, edited, edited back).
		chromedp.WaitVisible(chromedp.CSS(`h1[data-rev="3"]`)),
		chromedp.Click(chromedp.CSS(`#submit-review`)),
		chromedp.WaitVisible(chromedp.CSS(`#own-statement`)),
	)
	statementURL, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil {
		t.Fatal(err)
	}
	logout()

	login(second, h.srv.URL+statementURL, `#approve`)
	step("the second responder approves",
		chromedp.Click(chromedp.CSS(`#approve`)),
		chromedp.WaitVisible(chromedp.CSS(`#approvers`)),
	)
	if got := text(`#statement-state`); got != "Approved" {
		t.Errorf("state after approval %q", got)
	}
	logout()

	login(author, h.srv.URL+statementURL, `#publish-form`)
	step("publish to Mastodon",
		chromedp.Click(chromedp.CSS(`#channel-gemeente-mastodon`)),
		chromedp.Click(chromedp.CSS(`#publish-selected`)),
		chromedp.WaitVisible(chromedp.CSS(`#publish-results`)),
	)
	if got := text(`#publish-results`); !strings.Contains(got, "https://social.example/@gemeente/") {
		t.Errorf("publish results %q lack the link", got)
	}
	step("publish by hand on X",
		chromedp.Click(chromedp.CSS(`#manual-x summary`)),
		chromedp.WaitVisible(chromedp.CSS(`#copy-x`)),
		chromedp.SendKeys(chromedp.CSS(`#link-x`), "https://x.com/bank/status/1"),
		chromedp.Click(chromedp.CSS(`#mark-x`)),
		// The page before had a list of publications too: wait for the one just recorded.
		chromedp.WaitVisible(chromedp.CSS(`#publications a[href="https://x.com/bank/status/1"]`)),
	)
	if got := text(`#publications`); !strings.Contains(got, "https://x.com/bank/status/1") || !strings.Contains(got, "gemeente-mastodon") {
		t.Errorf("publications %q", got)
	}
	if made := h.statements.mastodon.Made(); len(made) != 1 {
		t.Errorf("Mastodon got %d statuses, want 1", len(made))
	}
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if wide > 390 {
		t.Errorf("the statement page is %dpx wide at a 390px phone width", wide)
	}
	step("open the room", chromedp.Navigate(room), chromedp.WaitVisible(chromedp.CSS(`#timeline`)))
	timeline := text(`#timeline`)
	for _, want := range []string{"Statement drafted", "Statement approved", "Statement published on @gemeente@social.example",
		"Statement published on x"} {
		if !strings.Contains(timeline, want) {
			t.Errorf("timeline lacks %q:\n%s", want, timeline)
		}
	}
}
