package web

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/crisisdesk/crisisdesk/internal/auth"
)

// TestBrowserPlanEdit is the plan editor in a real browser: an admin breaks a step's wait, sees the
// problem listed live with its path and line, jumps to the line by clicking it, fixes it, saves, and
// finds the new version and the change on /plan.
func TestBrowserPlanEdit(t *testing.T) {
	chromium := needChromium(t)
	h := newHarness(t)
	src := startingPlan(t, h)
	broken := brokenWait(t, src)
	fixed := strings.Replace(src, "wait: 15", "wait: 20", 1)
	email := h.user(auth.Admin)
	ctx := newBrowserContext(t, chromium)
	step := browserStep(ctx, t)
	text := browserText(ctx, t)
	// typeText puts the text in the editor as a paste would, and fires the input event typing fires.
	typeText := func(s string) {
		t.Helper()
		js, _ := json.Marshal(s)
		script := `(() => { const y = document.getElementById("plan-yaml"); y.value = ` + string(js) +
			`; y.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](script)); err != nil {
			t.Fatalf("type into the editor: %v", err)
		}
	}
	waitFor := func(what, sel, want string) string {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			got := text(sel)
			if strings.Contains(got, want) {
				return got
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %s says %q, want %q", what, sel, got, want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	step("log in and open the editor",
		chromedp.Navigate(h.srv.URL+"/plan/edit"),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), email),
		chromedp.SendKeys(chromedp.CSS(`#password`), testPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#plan-yaml`)),
	)

	typeText(broken)
	problem := waitFor("the broken wait is listed live", `#plan-problems`, "escalation.policies[0].steps[0].wait")
	if !strings.Contains(problem, "must be > 0") || !strings.Contains(problem, "(line ") {
		t.Fatalf("the live problem lacks its message or line: %q", problem)
	}
	wantLine := strings.Count(broken[:strings.Index(broken, "wait: 0")], "\n") + 1
	step("click the problem", chromedp.Click(chromedp.CSS(`#plan-problems button[data-line]`)))
	line, err := chromedp.Run(ctx, chromedp.Evaluate[int](
		`(() => { const y = document.getElementById("plan-yaml"); return y.value.substring(0, y.selectionStart).split("\n").length; })()`))
	if err != nil {
		t.Fatalf("read the cursor: %v", err)
	}
	if line != wantLine {
		t.Errorf("the cursor is on line %d, want %d", line, wantLine)
	}
	if n := planVersions(t, h); n != 0 {
		t.Fatalf("live validation stored %d versions", n)
	}

	typeText(fixed)
	waitFor("the fix is accepted live", `#plan-status`, "No problems found.")
	if got := text(`#plan-problems`); strings.TrimSpace(got) != "" {
		t.Fatalf("problems still listed after the fix: %q", got)
	}
	step("save",
		chromedp.Click(chromedp.CSS(`#plan-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.notice[role="status"]`)),
	)
	lead := text(`p.lead`)
	if !strings.Contains(lead, "Version 1") {
		t.Errorf("after saving, the plan page says %q, want version 1", lead)
	}
	if body := text(`#escalation`); !strings.Contains(body, "wait 20 min") {
		t.Errorf("the plan page does not show the changed wait: %.300q", body)
	}
	if hist := text(`#history`); !strings.Contains(hist, email) {
		t.Errorf("the history does not name the admin: %q", hist)
	}
}
