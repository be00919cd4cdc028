package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

var (
	statementPathRE = regexp.MustCompile(`^(/incidents/\d+/statements/\d+)\?done=drafted$`)
	revRE           = regexp.MustCompile(`data-rev="(\d+)"`)
)

// rev is the statement revision the page's forms carry.
func rev(t *testing.T, body string) string {
	t.Helper()
	m := revRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no rev field in the page:\n%s", body)
	}
	return m[1]
}

func declareForStatements(t *testing.T, h *harness, sev incident.Severity) int64 {
	t.Helper()
	inc, err := h.incidents.Declare(context.Background(), incident.Declaration{Title: "Online banking down", Lang: "en",
		Severity: sev, Author: "lead@example.nl"})
	if err != nil {
		t.Fatal(err)
	}
	return inc.ID
}

// TestStatementFlow drives the composer through its pages: a template filled in, a finding shown at
// its span, submitted, refused to its author, approved by a second responder, published to Mastodon
// (once, however often it is sent) and by hand, with every step on the incident's timeline.
func TestStatementFlow(t *testing.T) {
	h := newHarness(t)
	id := declareForStatements(t, h, incident.SeverityMedium)
	base := "/incidents/" + strconv.FormatInt(id, 10) + "/statements"
	author := h.loggedIn(auth.Responder)

	list := author.get(base)
	if list.status != http.StatusOK || !strings.Contains(list.body, `id="use-holding-en"`) {
		t.Fatalf("statements page (%d) offers no holding template:\n%s", list.status, list.body)
	}
	form := author.get(base + "/new?template=holding-en")
	for _, v := range []string{"issue", "next_update", "info_url"} {
		if !strings.Contains(form.body, `id="var-`+v+`"`) {
			t.Fatalf("the template form has no field for %s", v)
		}
	}
	r := author.submit(base, url.Values{"template": {"holding-en"}, "var_issue": {"a fault in online banking"},
		"var_next_update": {"11:00"}})
	m := statementPathRE.FindStringSubmatch(r.header.Get("Location"))
	if r.status != http.StatusSeeOther || m == nil {
		t.Fatalf("draft: %d, location %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	page := m[1]
	p := author.get(page + "?done=drafted")
	for _, want := range []string{`id="statement-state"`, `id="variant-x"`, `id="variant-mastodon"`, `id="unfilled"`,
		"{{info_url}}", `id="submit-review"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("draft page lacks %s", want)
		}
	}
	// Submitting with a hole is refused; filling it in and adding an over-promise shows the finding.
	if r := author.submit(page+"/submit", url.Values{"rev": {rev(t, p.body)}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("submit with a hole: %d", r.status)
	}
	core := "We know there is a fault in online banking and we understand this is frustrating. We guarantee it is fixed today. Our next update will be at 11:00 on https://status.example.org."
	if r := author.submit(page+"/edit", url.Values{"rev": {rev(t, p.body)}, "core": {core}}); r.status != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", r.status, r.body)
	}
	p = author.get(page)
	if !strings.Contains(p.body, `data-rule="overpromise"`) || !strings.Contains(p.body, "<mark class=\"finding") {
		t.Errorf("the over-promise is not marked:\n%s", p.body)
	}
	core = strings.Replace(core, " We guarantee it is fixed today.", "", 1)
	if r := author.submit(page+"/edit", url.Values{"rev": {rev(t, p.body)}, "core": {core}}); r.status != http.StatusSeeOther {
		t.Fatalf("edit: %d", r.status)
	}
	p = author.get(page)
	if r := author.submit(page+"/submit", url.Values{"rev": {rev(t, p.body)}}); r.status != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%s", r.status, r.body)
	}
	p = author.get(page)
	if !strings.Contains(p.body, `id="own-statement"`) || strings.Contains(p.body, `id="approve"`) {
		t.Error("the author is offered to approve their own statement")
	}
	if r := author.submit(page+"/approve", url.Values{"rev": {rev(t, p.body)}}); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "someone else has to approve") {
		t.Errorf("author approves: %d\n%s", r.status, r.body)
	}
	viewer := h.loggedIn(auth.Viewer)
	if v := viewer.get(page); v.status != http.StatusOK || strings.Contains(v.body, `id="approve"`) {
		t.Errorf("viewer: %d, approve offered: %v", v.status, strings.Contains(v.body, `id="approve"`))
	}
	second := h.loggedIn(auth.Responder)
	p = second.get(page)
	if r := second.submit(page+"/approve", url.Values{"rev": {rev(t, p.body)}, "comment": {"clear and honest"}}); r.status != http.StatusSeeOther {
		t.Fatalf("second approves: %d\n%s", r.status, r.body)
	}

	p = author.get(page)
	if !strings.Contains(p.body, `id="channel-gemeente-mastodon"`) || !strings.Contains(p.body, `id="copy-x"`) {
		t.Fatalf("the approved statement offers no channels:\n%s", p.body)
	}
	for range 2 {
		r := author.submit(page+"/publish", url.Values{"channel": {"gemeente-mastodon"}})
		if r.status != http.StatusOK || !strings.Contains(r.body, `id="publish-results"`) || !strings.Contains(r.body, "https://social.example/@gemeente/") {
			t.Fatalf("publish: %d\n%s", r.status, r.body)
		}
	}
	if made := h.statements.mastodon.Made(); len(made) != 1 || made[0]["status"] != core {
		t.Errorf("Mastodon got %d statuses, want the statement once: %+v", len(made), made)
	}
	if r := author.submit(page+"/manual", url.Values{"rev": {"0"}, "channel": {"manual:x"}, "link": {"https://x.com/bank/status/1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("manual: %d\n%s", r.status, r.body)
	}
	p = author.get(page)
	if !strings.Contains(p.body, "https://x.com/bank/status/1") || !strings.Contains(p.body, `data-action="published"`) {
		t.Errorf("the manual publication is not shown")
	}
	// An attempt whose outcome is unknown is offered to be recorded by hand, never posted again.
	sid, err := strconv.ParseInt(page[strings.LastIndex(page, "/")+1:], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	st, err := h.st.StatementByID(context.Background(), sid)
	if err != nil {
		t.Fatal(err)
	}
	chs, _ := h.statements.Channels(context.Background())
	other := chs[0]
	other.ID, other.Name = "other-mastodon", "@other@social.example"
	h.statements.addChannel(other)
	if _, _, err := h.st.BeginPublication(context.Background(), store.Publication{StatementID: sid, Version: st.Version,
		Channel: other.ID, Platform: "mastodon"}); err != nil {
		t.Fatal(err)
	}
	if p := author.get(page); !strings.Contains(p.body, `id="pending-other-mastodon"`) {
		t.Error("the pending attempt is not offered to be recorded by hand")
	}
	if r := author.submit(page+"/manual", url.Values{"rev": {"0"}, "channel": {"other-mastodon"}, "link": {"https://social.example/@other/1"}}); r.status != http.StatusSeeOther {
		t.Errorf("recording the pending attempt: %d\n%s", r.status, r.body)
	}
	if made := h.statements.mastodon.Made(); len(made) != 1 {
		t.Errorf("Mastodon got %d statuses after the pending attempt was recorded, want 1", len(made))
	}
	tl, err := h.st.IncidentTimeline(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range tl {
		kinds = append(kinds, e.Kind)
	}
	want := []string{incident.EntryDeclared, incident.EntryStatementDrafted, incident.EntryStatementApproved,
		incident.EntryStatementPublished, incident.EntryStatementPublished, incident.EntryStatementPublished}
	if !slices.Equal(kinds, want) {
		t.Errorf("timeline %v, want %v", kinds, want)
	}
}

// TestStatementLegalApproval: a severity 2 incident needs the legal approval as well.
func TestStatementLegalApproval(t *testing.T) {
	h := newHarness(t)
	id := declareForStatements(t, h, incident.SeverityHigh)
	author := h.loggedIn(auth.Responder)
	base := "/incidents/" + strconv.FormatInt(id, 10) + "/statements"
	r := author.submit(base, url.Values{"template": {"holding-en"}, "var_issue": {"a fault"}, "var_next_update": {"11:00"},
		"var_info_url": {"https://status.example.org"}})
	page := statementPathRE.FindStringSubmatch(r.header.Get("Location"))[1]
	p := author.get(page)
	author.submit(page+"/submit", url.Values{"rev": {rev(t, p.body)}})

	second := h.loggedIn(auth.Responder)
	p = second.get(page)
	second.submit(page+"/approve", url.Values{"rev": {rev(t, p.body)}})
	if p = second.get(page); !strings.Contains(p.body, "In review") {
		t.Errorf("one approval approved a severity 2 statement")
	}
	lawyer := h.user(auth.Responder)
	h.statements.makeLegal(lawyer)
	lb := h.browser()
	lb.login(lawyer, testPassword, http.StatusSeeOther)
	p = lb.get(page)
	if r := lb.submit(page+"/approve", url.Values{"rev": {rev(t, p.body)}}); r.status != http.StatusSeeOther {
		t.Fatalf("legal approval: %d\n%s", r.status, r.body)
	}
	if p = lb.get(page); !strings.Contains(p.body, `state-approved`) || !strings.Contains(p.body, `data-action="legal_approved"`) {
		t.Errorf("after the legal approval the statement is not approved")
	}
}

// TestTemplatesPage lists the plan's templates in both languages.
func TestTemplatesPage(t *testing.T) {
	h := newHarness(t)
	b := h.loggedIn(auth.Viewer)
	r := b.get("/templates")
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="template-holding-nl-u"`) || !strings.Contains(r.body, "{{next_update}}") {
		t.Fatalf("/templates: %d\n%s", r.status, r.body)
	}
}
