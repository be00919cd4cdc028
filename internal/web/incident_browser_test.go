package web

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/incident"
)

// TestBrowserIncidentRoom walks the incident room in a real browser at phone width: a burst of posts
// raises an alert; a responder declares an incident from it, picks the SCCT crisis type and reads the
// advice, starts a playbook and ticks a task, adds a claim and a note, and finds all of it on the
// timeline; an entry written elsewhere then appears without a reload.
func TestBrowserIncidentRoom(t *testing.T) {
	chromium := needChromium(t)
	h := newHarness(t)
	h.acmeMonitor()
	email := h.user(auth.Responder)
	ctx := newBrowserContext(t, chromium)
	step := browserStep(ctx, t)
	text := browserText(ctx, t)

	h.ingestBurst(crisisPosts("ir", now))
	a := h.onlyAlert()

	step("log in at phone width and open the alert",
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(h.srv.URL+"/alerts/"+a.ID),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), email),
		chromedp.SendKeys(chromedp.CSS(`#password`), testPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#declare-incident-button`)),
	)
	step("declare an incident from the alert",
		chromedp.SetValue(chromedp.CSS(`#incident-title`), "Acme outage rumour"),
		chromedp.Click(chromedp.CSS(`#declare-incident-button`)),
		chromedp.WaitVisible(chromedp.CSS(`#incident-room`)),
	)
	if got := text(`#incident-title`); !strings.Contains(got, "Acme outage rumour") {
		t.Fatalf("room title %q", got)
	}
	if got := text(`#linked-alerts`); !strings.Contains(got, a.Summary) {
		t.Errorf("linked alerts %q lack the alert", got)
	}
	step("classify as a rumour",
		chromedp.SetValue(chromedp.CSS(`#crisis-type`), "rumour"),
		chromedp.Click(chromedp.CSS(`#classify-button`)),
		chromedp.WaitVisible(chromedp.CSS(`#advice-posture`)),
	)
	if got := text(`#advice-posture`); got != "Deny" {
		t.Errorf("advice for a rumour is %q, want Deny", got)
	}
	if got := text(`#advice-explanation`); got == "" {
		t.Error("the advice has no explanation")
	}
	step("start the playbook",
		chromedp.SetValue(chromedp.CSS(`#scenario`), "service_outage"),
		chromedp.Click(chromedp.CSS(`#playbook-button`)),
		chromedp.WaitVisible(chromedp.CSS(`#tasks`)),
	)
	step("tick the first task",
		chromedp.Click(chromedp.CSS(`#tasks li:first-child button.tick`)),
		chromedp.WaitVisible(chromedp.CSS(`#tasks li.done`)),
	)
	step("add a claim",
		chromedp.SendKeys(chromedp.CSS(`#claim-text`), "The outage is a cyber attack"),
		chromedp.SetValue(chromedp.CSS(`#claim-status`), "false"),
		chromedp.SendKeys(chromedp.CSS(`#claim-answer`), "There is no sign of an attack; a faulty update caused it."),
		chromedp.Click(chromedp.CSS(`#claim-button`)),
		chromedp.WaitVisible(chromedp.CSS(`#claims`)),
	)
	step("add a note",
		chromedp.SendKeys(chromedp.CSS(`#note-text`), "Spokesperson briefed"),
		chromedp.Click(chromedp.CSS(`#note-button`)),
		chromedp.WaitVisible(chromedp.CSS(`#timeline li.note`)),
	)
	list, err := h.web.deps.Incidents.List(context.Background())
	if err != nil || len(list) != 1 {
		t.Fatalf("incidents: %v, %v", list, err)
	}
	roomURL := h.srv.URL + "/incidents/" + strconv.FormatInt(list[0].ID, 10)
	// A statement goes out, as the composer records it; the situation view marks it on its charts and
	// sets the posts after it against those before.
	if _, err := h.web.deps.Incidents.Record(context.Background(), list[0].ID, incident.Event{Kind: incident.EntryStatementPublished,
		Author: email, Details: incident.Details{Statement: "#1 We are investigating", Channel: "bluesky"}}); err != nil {
		t.Fatal(err)
	}
	step("the situation view with its charts and the statement",
		chromedp.Navigate(roomURL),
		chromedp.WaitVisible(chromedp.CSS(`#situation svg.chart`)),
	)
	marks, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#situation svg.chart a.statement-mark").length`))
	if err != nil {
		t.Fatal(err)
	}
	if marks != 2 { // one on each chart
		t.Errorf("%d statement marks on the situation charts, want 2", marks)
	}
	if got := text(`#situation-posts`); got != "31" {
		t.Errorf("the situation counts %q posts, want the burst's 31", got)
	}
	if got := text(`#situation-phases`); !strings.Contains(got, "Before the first statement") || !strings.Contains(got, "After statement #1 We are investigating") {
		t.Errorf("the phases do not set the statement against before:\n%s", got)
	}
	if got := text(`#situation-top-posts`); !strings.Contains(got, "Newsroom") {
		t.Errorf("the top posts lack the press post:\n%s", got)
	}
	// At phone width the room fits: nothing makes the page scroll sideways.
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if wide > 390 {
		t.Errorf("the room is %dpx wide at a 390px phone width", wide)
	}
	step("the incident list at phone width",
		chromedp.Navigate(h.srv.URL+"/incidents"),
		chromedp.WaitVisible(chromedp.CSS(`#open-incidents`)),
	)
	if wide, err = chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil {
		t.Fatal(err)
	}
	if wide > 390 {
		t.Errorf("the incident list is %dpx wide at a 390px phone width", wide)
	}
	step("back to the room", chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.CSS(`#timeline`)))
	timeline := text(`#timeline`)
	for _, want := range []string{"Incident declared: Acme outage rumour", "Classified as rumour", "Task done",
		"The outage is a cyber attack", "Spokesperson briefed", email} {
		if !strings.Contains(timeline, want) {
			t.Errorf("timeline lacks %q:\n%s", want, timeline)
		}
	}

	// Live: an entry written elsewhere, here straight through the service as the alert pipeline
	// writes, reaches the open room without a reload.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.notReloaded = true`)); err != nil {
		t.Fatalf("mark the page: %v", err)
	}
	if _, err := h.web.deps.Incidents.AddNote(context.Background(), list[0].ID, "Written from elsewhere", "colleague@example.nl"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(text(`#timeline`), "Written from elsewhere") {
		if time.Now().After(deadline) {
			t.Fatal("the new entry never reached the open room")
		}
		time.Sleep(100 * time.Millisecond)
	}
	still, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.notReloaded === true`))
	if err != nil {
		t.Fatal(err)
	}
	if !still {
		t.Fatal("the room was reloaded to show the entry")
	}

	// From the posts page, a post is linked to the claim; the room lists it as the claim's source.
	step("link a post to the claim from the posts page",
		chromedp.Navigate(h.srv.URL+"/posts?q=breach"),
		chromedp.WaitVisible(chromedp.CSS(`details.link-claim summary`)),
		chromedp.Click(chromedp.CSS(`details.link-claim summary`)),
		chromedp.Click(chromedp.CSS(`details.link-claim button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.notice`)),
	)
	if wide, err = chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil {
		t.Fatal(err)
	}
	if wide > 390 {
		t.Errorf("the posts page is %dpx wide at a 390px phone width", wide)
	}
	step("the room lists the source", chromedp.Navigate(roomURL), chromedp.WaitVisible(chromedp.CSS(`#claims`)))
	if got := text(`#claims`); !strings.Contains(got, "ir-press") {
		t.Errorf("the claim does not list the linked post:\n%s", got)
	}
	if got := text(`#timeline`); !strings.Contains(got, "Post bluesky ir-press linked as a source of the claim") {
		t.Errorf("the timeline does not record the linked post:\n%s", got)
	}
}
