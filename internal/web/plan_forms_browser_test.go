package web

import (
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/plan"
)

// TestBrowserPlanForms builds a small escalation policy and a route to it in a real browser at phone
// width: the policy form first refuses an id another policy has, with the problem under the field,
// then saves; the route form, in Dutch, shows what each severity means where it is chosen. The plan
// export, fetched by the same browser, then holds both.
func TestBrowserPlanForms(t *testing.T) {
	chromium := needChromium(t)
	h := newHarness(t)
	email := h.user(auth.Admin)
	ctx := newBrowserContext(t, chromium)
	step := browserStep(ctx, t)
	text := browserText(ctx, t)
	fits := func(what string) {
		t.Helper()
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if wide > 390 {
			t.Errorf("%s is %dpx wide at a 390px phone width", what, wide)
		}
	}

	step("log in at phone width and open the policies",
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(h.srv.URL+"/plan/policies"),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), email),
		chromedp.SendKeys(chromedp.CSS(`#password`), testPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#pol-id`)),
	)
	fits("the policies page")
	step("a policy with an id another one has is refused",
		chromedp.SendKeys(chromedp.CSS(`#pol-id`), "crisis"),
		chromedp.SendKeys(chromedp.CSS(`#pol-name`), "Persvragen"),
		chromedp.Click(chromedp.CSS(`label[for="s0-p-bram"]`)),
		chromedp.Click(chromedp.CSS(`label[for="s0-c-inapp"]`)),
		chromedp.SetValue(chromedp.CSS(`#s0-wait`), "10"),
		chromedp.Click(chromedp.CSS(`form[action="/plan/policies"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#pol-id + .field-error`)),
	)
	if got := text(`#pol-id + .field-error`); !strings.Contains(got, "duplicate id") {
		t.Errorf("the problem under the id says %q", got)
	}
	if n := planVersions(t, h); n != 0 {
		t.Fatalf("a refused save stored %d versions", n)
	}
	step("fix the id and save",
		chromedp.SetValue(chromedp.CSS(`#pol-id`), "pers"),
		chromedp.Click(chromedp.CSS(`form[action="/plan/policies"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.notice[role="status"]`)),
	)
	if got := text(`#policies`); !strings.Contains(got, "Persvragen") || !strings.Contains(got, "wait 10 min") {
		t.Errorf("the saved policy is not listed: %.300q", got)
	}

	step("switch to Dutch and open the routes",
		chromedp.Click(chromedp.CSS(`button[name="lang"][value="nl"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="nl"]`)),
		chromedp.Navigate(h.srv.URL+"/plan/routes"),
		chromedp.WaitVisible(chromedp.CSS(`#rt-policy`)),
	)
	fits("the routes page")
	if got := text(`fieldset.severities`); !strings.Contains(got, "Crisis") || !strings.Contains(got, "Gevaar voor veiligheid of gezondheid") {
		t.Errorf("the severity choice does not say what each severity means, in Dutch: %.300q", got)
	}
	step("route critical alerts to the new policy",
		chromedp.Click(chromedp.CSS(`label[for="rt-sev-critical"]`)),
		chromedp.SetValue(chromedp.CSS(`#rt-policy`), "pers"),
		chromedp.Click(chromedp.CSS(`label[for="rt-continue"]`)),
		chromedp.Click(chromedp.CSS(`form[action="/plan/routes"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.notice[role="status"]`)),
	)
	if got := text(`#routes`); !strings.Contains(got, "severity: critical") || !strings.Contains(got, "pers") {
		t.Errorf("the new route is not listed: %.300q", got)
	}

	// The export as the browser downloads it, with the session's cookie.
	yaml, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`(() => { const x = new XMLHttpRequest(); x.open("GET", "/plan.yaml", false); x.send(); return x.responseText; })()`))
	if err != nil {
		t.Fatalf("fetch the export: %v", err)
	}
	p, err := plan.Parse([]byte(yaml))
	if err != nil {
		t.Fatalf("the export does not import: %v", err)
	}
	i := slices.IndexFunc(p.Escalation.Policies, func(x plan.Policy) bool { return x.ID == "pers" })
	if i < 0 {
		t.Fatalf("the export has no policy pers:\n%s", yaml)
	}
	if st := p.Escalation.Policies[i].Steps; len(st) != 1 || !slices.Equal(st[0].People, []string{"bram"}) ||
		!slices.Equal(st[0].Channels, []string{"inapp"}) || st[0].Wait != 10 {
		t.Errorf("the exported policy's steps are %+v", st)
	}
	routes := p.Escalation.Route.Routes
	last := routes[len(routes)-1]
	if last.Policy != "pers" || !slices.Equal(last.Match.Severity, []string{"critical"}) || !last.Continue {
		t.Errorf("the exported last route is %+v", last)
	}

	// Every other form, with its longest content open, fits a phone too.
	for _, page := range []string{"/plan/contacts?edit=ap", "/plan/schedules?edit=webcare", "/plan/policies?edit=crisis",
		"/plan/protocol", "/plan/conduct", "/plan/moderation", "/plan/organisation", "/plan"} {
		step("open "+page, chromedp.Navigate(h.srv.URL+page), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		fits(page)
	}
}
