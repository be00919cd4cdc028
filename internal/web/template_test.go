package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/incident"
)

// TestTemplateVersionsAndApproval edits a template on its page, checks that the draft is not offered
// by default in the composer, that its author cannot approve it and a second responder can, and that
// the history shows both steps with the change marked.
func TestTemplateVersionsAndApproval(t *testing.T) {
	h := newHarness(t)
	anna, bramEmail := h.loggedIn(auth.Responder), h.user(auth.Responder)
	bram := h.browser()
	bram.login(bramEmail, testPassword, http.StatusSeeOther)
	viewer := h.loggedIn(auth.Viewer)

	page := anna.get("/templates/holding-en")
	if page.status != http.StatusOK || !strings.Contains(page.body, `id="template-edit"`) || strings.Contains(page.body, `id="template-approve"`) {
		t.Fatalf("template page (%d) for a responder:\n%s", page.status, page.body)
	}
	if v := viewer.get("/templates/holding-en"); v.status != http.StatusOK || strings.Contains(v.body, `id="template-edit"`) {
		t.Errorf("a viewer sees the edit form (%d)", v.status)
	}
	text := "We know there is {{issue}} and we are sorry for the trouble. Our next update will be at {{next_update}} on {{info_url}}."
	r := anna.submit("/templates/holding-en/edit", url.Values{"version": {"1"}, "text": {text}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/templates/holding-en?done=edited" {
		t.Fatalf("edit: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	// A stale form and a broken placeholder are refused, with nothing saved.
	if r := anna.submit("/templates/holding-en/edit", url.Values{"version": {"1"}, "text": {text + " Again."}}); r.status != http.StatusConflict {
		t.Errorf("edit from a stale version: %d", r.status)
	}
	if r := anna.submit("/templates/holding-en/edit", url.Values{"version": {"2"}, "text": {"We know about {{issue"}}); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, `id="template-problems"`) || !strings.Contains(r.body, "templates[2].text") {
		t.Errorf("edit with a broken placeholder: %d\n%s", r.status, r.body)
	}

	page = anna.get("/templates/holding-en?done=edited")
	for _, want := range []string{`id="template-own"`, "<ins>", "<del>", `data-version="2"`, `id="template-version">2<`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the edited template's page lacks %s", want)
		}
	}
	if strings.Contains(page.body, `id="template-approve"`) {
		t.Errorf("the author is offered the approve button")
	}
	if r := anna.submit("/templates/holding-en/approve", url.Values{"version": {"2"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("the author approving: %d", r.status)
	}

	// The composer offers the draft only when asked.
	id := declareForStatements(t, h, incident.SeverityMedium)
	base := "/incidents/" + strconv.FormatInt(id, 10) + "/statements"
	if l := anna.get(base + "?lang=en"); strings.Contains(l.body, `id="use-holding-en"`) || !strings.Contains(l.body, `id="use-acknowledgement-en"`) {
		t.Errorf("the composer offers the draft by default, or not the approved ones")
	}
	if l := anna.get(base + "?lang=en&drafts=1"); !strings.Contains(l.body, `id="use-holding-en"`) {
		t.Errorf("the composer does not offer the draft when asked")
	}
	if f := anna.get(base + "/new?template=holding-en"); !strings.Contains(f.body, `id="template-draft"`) {
		t.Errorf("the form of a draft template does not say it is a draft")
	}
	if f := anna.get(base + "/new?template=holding-nl-u"); strings.Contains(f.body, `id="template-draft"`) {
		t.Errorf("the form of an approved template says it is a draft")
	}

	page = bram.get("/templates/holding-en")
	if !strings.Contains(page.body, `id="template-approve"`) {
		t.Fatalf("a second responder is not offered the approve button:\n%s", page.body)
	}
	if r := bram.submit("/templates/holding-en/approve", url.Values{"version": {"2"}}); r.status != http.StatusSeeOther {
		t.Fatalf("approve: %d\n%s", r.status, r.body)
	}
	page = bram.get("/templates/holding-en?done=approved")
	if !strings.Contains(page.body, "statement.tpl_done_approved") && !strings.Contains(page.body, "Approval recorded.") {
		t.Errorf("no notice after approving")
	}
	if !strings.Contains(page.body, `id="template-status"><span class="badge">Approved`) {
		t.Errorf("the template is not shown approved")
	}
	if l := anna.get(base + "?lang=en"); !strings.Contains(l.body, `id="use-holding-en"`) {
		t.Errorf("the approved version is not offered")
	}
	list := viewer.get("/templates")
	if !strings.Contains(list.body, `href="/templates/holding-en"`) {
		t.Errorf("the templates list does not link to the template")
	}
	if y := viewer.get("/plan.yaml"); !strings.Contains(y.body, "approved_by: "+bramEmail) {
		t.Errorf("the exported plan does not name the approver:\n%s", y.body)
	}
}
