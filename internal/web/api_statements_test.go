package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/incident"
)

// statementAPI is a bearer-token client of the statements API.
type statementAPI struct {
	h     *harness
	token string
}

func (c statementAPI) call(t *testing.T, method, path, body string, out any) int {
	t.Helper()
	var ct string
	if body != "" {
		ct = "application/json"
	}
	r := c.h.api(method, path, c.token, ct, strings.NewReader(body))
	if out != nil && r.status < 300 {
		if err := json.Unmarshal([]byte(r.body), out); err != nil {
			t.Fatalf("%s %s: %v\n%s", method, path, err, r.body)
		}
	}
	if r.status >= 400 && !strings.Contains(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("%s %s answered %d without JSON", method, path, r.status)
	}
	return r.status
}

func (c statementAPI) raw(t *testing.T, method, path, body string) response {
	t.Helper()
	return c.h.api(method, path, c.token, "application/json", strings.NewReader(body))
}

// TestStatementsAPI drives a statement from draft to published over the API with two responders'
// tokens: four eyes is enforced, a stale rev is a conflict, bad bodies name what is wrong, and a
// repeated publish posts nothing.
func TestStatementsAPI(t *testing.T) {
	h := newHarness(t)
	anna := statementAPI{h, h.token(h.user(auth.Responder))}
	bram := statementAPI{h, h.token(h.user(auth.Responder))}
	viewer := statementAPI{h, h.token(h.user(auth.Viewer))}
	incID := declareForStatements(t, h, incident.SeverityMedium)
	base := fmt.Sprintf("/api/v1/incidents/%d/statements", incID)

	var created struct {
		apiStatementJSON
		Unfilled []string `json:"unfilled"`
	}
	if st := anna.call(t, "POST", base, `{"template":"holding-en","vars":{"issue":"a fault in online banking","next_update":"11:00"}}`, &created); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	if created.State != "draft" || created.Rev != 1 || created.TemplateID != "holding-en" || len(created.Unfilled) != 1 || created.Unfilled[0] != "info_url" {
		t.Fatalf("created %+v", created)
	}
	one := fmt.Sprintf("%s/%d", base, created.ID)

	var list struct {
		Statements []apiStatementJSON `json:"statements"`
	}
	if st := viewer.call(t, "GET", base, "", &list); st != http.StatusOK || len(list.Statements) != 1 {
		t.Fatalf("list: %d %+v", st, list)
	}
	if st := viewer.call(t, "POST", base+"/"+fmt.Sprint(created.ID)+"/submit", `{"rev":1}`, nil); st != http.StatusForbidden {
		t.Errorf("a viewer submitting: %d", st)
	}
	// A hole refuses the submit with its code.
	r := anna.raw(t, "POST", one+"/submit", `{"rev":1}`)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"code":"unfilled_variables"`) {
		t.Fatalf("submit with a hole: %d %s", r.status, r.body)
	}

	// Bad bodies say where and why.
	for _, tc := range []struct{ body, want string }{
		{`{"rev":1,"core":`, "invalid JSON"},
		{`{"rev":"one"}`, `field \"rev\"`},
		{`{"rev":1,"cor":"x"}`, `unknown field \"cor\"`},
		{`{"core":"x"}`, `field \"rev\": required`},
		{``, "the body is empty"},
	} {
		if r := anna.raw(t, "PUT", one, tc.body); r.status != http.StatusBadRequest || !strings.Contains(r.body, tc.want) {
			t.Errorf("PUT %q: %d %s, want 400 with %s", tc.body, r.status, r.body, tc.want)
		}
	}

	core := "We know there is a fault in online banking and we understand this is frustrating. Our next update will be at 11:00 on https://status.example.org."
	var d apiStatementDetail
	body, _ := json.Marshal(map[string]any{"rev": 1, "core": core})
	if st := anna.call(t, "PUT", one, string(body), &d); st != http.StatusOK || d.Version != 2 || d.Rev != 2 || len(d.Versions) != 2 {
		t.Fatalf("update: %d %+v", st, d)
	}
	if st := anna.call(t, "PUT", one, string(body), nil); st != http.StatusConflict {
		t.Errorf("update with a stale rev: %d", st)
	}
	if len(d.Variants) == 0 || d.Variants[0].Parts == nil {
		t.Errorf("no variants in %+v", d)
	}
	if st := anna.call(t, "POST", one+"/submit", `{"rev":2}`, &d); st != http.StatusOK || d.State != "in_review" {
		t.Fatalf("submit: %d %+v", st, d)
	}
	r = anna.raw(t, "POST", one+"/approve", fmt.Sprintf(`{"rev":%d}`, d.Rev))
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"code":"own_statement"`) {
		t.Fatalf("the author approving: %d %s", r.status, r.body)
	}
	if st := bram.call(t, "POST", one+"/approve", fmt.Sprintf(`{"rev":%d,"comment":"fine"}`, d.Rev), &d); st != http.StatusOK || d.State != "approved" ||
		len(d.Approval.Approvers) != 1 || !d.Approval.Complete {
		t.Fatalf("approve: %d %+v", st, d.Approval)
	}

	var chs struct {
		Channels []apiChannelJSON `json:"channels"`
	}
	if st := viewer.call(t, "GET", "/api/v1/statement-channels", "", &chs); st != http.StatusOK || len(chs.Channels) == 0 || chs.Channels[0].ID != "gemeente-mastodon" || chs.Channels[0].Manual {
		t.Fatalf("channels: %d %+v", st, chs)
	}
	var pub struct {
		Results []apiPublishResult `json:"results"`
	}
	for i := range 2 {
		if st := bram.call(t, "POST", one+"/publish", `{"channels":["gemeente-mastodon"]}`, &pub); st != http.StatusOK || len(pub.Results) != 1 ||
			pub.Results[0].Repeated != (i == 1) || pub.Results[0].Publication == nil || pub.Results[0].Publication.Status != "published" {
			t.Fatalf("publish %d: %d %+v", i+1, st, pub)
		}
	}
	if made := h.statements.mastodon.Made(); len(made) != 1 {
		t.Errorf("Mastodon got %d posts, want 1", len(made))
	}
	if r := bram.raw(t, "POST", one+"/publish", `{"channels":["nowhere"]}`); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "unknown_channel") {
		t.Errorf("publish to an unknown channel: %d %s", r.status, r.body)
	}
	var p apiPublicationJSON
	if st := bram.call(t, "POST", one+"/manual", `{"channel":"manual:x","link":"https://x.com/bank/status/1"}`, &p); st != http.StatusOK || p.Status != "published" {
		t.Fatalf("manual: %d %+v", st, p)
	}
	if st := viewer.call(t, "GET", one, "", &d); st != http.StatusOK || d.State != "published" || len(d.Publications) != 2 || len(d.Audit) < 5 {
		t.Fatalf("detail: %d state %s, %d publications, %d audit entries", st, d.State, len(d.Publications), len(d.Audit))
	}
	// A statement is reached only through its own incident.
	other := declareForStatements(t, h, incident.SeverityLow)
	if st := viewer.call(t, "GET", fmt.Sprintf("/api/v1/incidents/%d/statements/%d", other, created.ID), "", nil); st != http.StatusNotFound {
		t.Errorf("a statement under another incident: %d", st)
	}
}
