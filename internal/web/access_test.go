package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/auth"
)

// TestRoleBoundaries sends every route's request as a visitor and as each role, and checks the answer.
// It fails when a route is added without a row here, so no route escapes the check.
func TestRoleBoundaries(t *testing.T) {
	h := newHarness(t)
	type want struct{ anon, viewer, responder, admin int }
	const (
		ok      = http.StatusOK
		see     = http.StatusSeeOther
		unauth  = http.StatusUnauthorized
		forbid  = http.StatusForbidden
		missing = http.StatusNotFound
		invalid = http.StatusUnprocessableEntity
		bad     = http.StatusBadRequest
		created = http.StatusCreated
	)
	rows := []struct {
		pattern string // the route under test, as declared
		method  string
		path    string
		form    url.Values // for POST from a browser; nil for API calls
		body    string     // for API calls
		want    want
	}{
		{"GET /healthz", "GET", "/healthz", nil, "", want{ok, ok, ok, ok}},
		{"GET /readyz", "GET", "/readyz", nil, "", want{ok, ok, ok, ok}},
		{"GET /metrics", "GET", "/metrics", nil, "", want{unauth, ok, ok, ok}},
		{"GET /static/", "GET", "/static/style.css", nil, "", want{ok, ok, ok, ok}},
		{"GET /api/v1/openapi.json", "GET", "/api/v1/openapi.json", nil, "", want{ok, ok, ok, ok}},
		{"GET /login", "GET", "/login", nil, "", want{ok, see, see, see}},
		{"POST /login", "POST", "/login", url.Values{"email": {"x@example.nl"}, "password": {"wrong password"}}, "", want{unauth, unauth, unauth, unauth}},
		{"POST /logout", "POST", "/logout", url.Values{}, "", want{see, see, see, see}},
		{"GET /setup", "GET", "/setup?token=guess", nil, "", want{forbid, forbid, forbid, forbid}},
		{"POST /setup", "POST", "/setup", url.Values{"token": {"guess"}, "email": {"a@example.nl"}, "password": {testPassword}, "password2": {testPassword}}, "", want{forbid, forbid, forbid, forbid}},
		{"POST /lang", "POST", "/lang", url.Values{"lang": {"nl"}, "next": {"/posts"}}, "", want{see, see, see, see}},
		{"GET /{$}", "GET", "/", nil, "", want{see, ok, ok, ok}},
		{"GET /posts", "GET", "/posts?q=x", nil, "", want{see, ok, ok, ok}},
		{"POST /posts/claims", "POST", "/posts/claims", url.Values{"claim": {"999999:1"}, "platform": {"bluesky"}, "post": {"x"}}, "", want{see, forbid, missing, missing}},
		{"GET /settings/account", "GET", "/settings/account", nil, "", want{see, ok, ok, ok}},
		{"POST /settings/password", "POST", "/settings/password", url.Values{"current": {"wrong password"}, "password": {"new password 1"}, "password2": {"new password 1"}}, "", want{see, invalid, invalid, invalid}},
		{"GET /settings/tokens", "GET", "/settings/tokens", nil, "", want{see, forbid, ok, ok}},
		{"POST /settings/tokens", "POST", "/settings/tokens", url.Values{"name": {"ci"}}, "", want{see, forbid, ok, ok}},
		{"POST /settings/tokens/{id}/revoke", "POST", "/settings/tokens/999999/revoke", url.Values{}, "", want{see, forbid, missing, missing}},
		{"GET /admin/users", "GET", "/admin/users", nil, "", want{see, forbid, forbid, ok}},
		{"POST /admin/users", "POST", "/admin/users", url.Values{"email": {"new@example.nl"}, "password": {"short"}, "role": {"viewer"}}, "", want{see, forbid, forbid, invalid}},
		{"POST /admin/users/{id}/role", "POST", "/admin/users/999999/role", url.Values{"role": {"viewer"}}, "", want{see, forbid, forbid, missing}},
		{"POST /admin/users/{id}/status", "POST", "/admin/users/999999/status", url.Values{"status": {"disabled"}}, "", want{see, forbid, forbid, missing}},
		{"POST /admin/users/{id}/password", "POST", "/admin/users/999999/password", url.Values{"password": {testPassword}}, "", want{see, forbid, forbid, missing}},
		{"GET /admin/settings", "GET", "/admin/settings", nil, "", want{see, forbid, forbid, ok}},
		{"POST /admin/settings", "POST", "/admin/settings", url.Values{"keep_all_posts": {"on"}}, "", want{see, forbid, forbid, see}},
		{"GET /settings/publishing", "GET", "/settings/publishing", nil, "", want{see, forbid, forbid, ok}},
		{"POST /settings/publishing", "POST", "/settings/publishing", url.Values{"name": {""}, "handle": {"x.bsky.social"}, "app_password": {"p"}}, "", want{see, forbid, forbid, invalid}},
		{"POST /settings/publishing/{id}", "POST", "/settings/publishing/nope", url.Values{"name": {"x"}, "handle": {"x.bsky.social"}}, "", want{see, forbid, forbid, missing}},
		{"POST /settings/publishing/{id}/delete", "POST", "/settings/publishing/nope/delete", url.Values{}, "", want{see, forbid, forbid, missing}},
		{"GET /monitors", "GET", "/monitors", nil, "", want{see, ok, ok, ok}},
		{"GET /monitors/new", "GET", "/monitors/new", nil, "", want{see, forbid, ok, ok}},
		{"POST /monitors", "POST", "/monitors", url.Values{"name": {""}, "query": {"acme"}}, "", want{see, forbid, invalid, invalid}},
		{"POST /monitors/validate", "POST", "/monitors/validate", url.Values{"query": {"acme"}}, "", want{see, forbid, ok, ok}},
		{"GET /monitors/{id}", "GET", "/monitors/nope", nil, "", want{see, missing, missing, missing}},
		{"POST /monitors/{id}", "POST", "/monitors/nope", url.Values{"name": {"x"}, "query": {"acme"}}, "", want{see, forbid, missing, missing}},
		{"POST /monitors/{id}/enabled", "POST", "/monitors/nope/enabled", url.Values{"enabled": {"false"}}, "", want{see, forbid, missing, missing}},
		{"POST /monitors/{id}/delete", "POST", "/monitors/nope/delete", url.Values{}, "", want{see, forbid, missing, missing}},
		{"GET /api/v1/monitors", "GET", "/api/v1/monitors", nil, "", want{unauth, ok, ok, ok}},
		{"POST /api/v1/monitors", "POST", "/api/v1/monitors", nil, `{"name":"Acme","query":"acme"}`, want{unauth, forbid, created, created}},
		{"POST /api/v1/monitors/validate", "POST", "/api/v1/monitors/validate", nil, `{"query":"acme AND ("}`, want{unauth, forbid, ok, ok}},
		{"GET /api/v1/monitors/{id}", "GET", "/api/v1/monitors/nope", nil, "", want{unauth, missing, missing, missing}},
		{"PUT /api/v1/monitors/{id}", "PUT", "/api/v1/monitors/nope", nil, "", want{unauth, forbid, bad, bad}},
		{"DELETE /api/v1/monitors/{id}", "DELETE", "/api/v1/monitors/nope", nil, "", want{unauth, forbid, missing, missing}},
		{"GET /sources", "GET", "/sources", nil, "", want{see, ok, ok, ok}},
		{"GET /sources/new", "GET", "/sources/new?kind=rss", nil, "", want{see, forbid, ok, ok}},
		{"POST /sources", "POST", "/sources", url.Values{"kind": {"rss"}, "name": {"Omroep"}, "url": {"not a url"}}, "", want{see, forbid, invalid, invalid}},
		{"GET /sources/{id}", "GET", "/sources/nope", nil, "", want{see, missing, missing, missing}},
		{"POST /sources/{id}", "POST", "/sources/nope", url.Values{"name": {"x"}}, "", want{see, forbid, missing, missing}},
		{"POST /sources/{id}/enabled", "POST", "/sources/nope/enabled", url.Values{"enabled": {"false"}}, "", want{see, forbid, missing, missing}},
		{"POST /sources/{id}/delete", "POST", "/sources/nope/delete", url.Values{}, "", want{see, forbid, missing, missing}},
		{"GET /api/v1/sources", "GET", "/api/v1/sources", nil, "", want{unauth, ok, ok, ok}},
		{"POST /api/v1/webhooks/{id}", "POST", "/api/v1/webhooks/nope", nil, "[]", want{missing, missing, missing, missing}},
		{"GET /monitors/{id}/activity", "GET", "/monitors/nope/activity", nil, "", want{see, missing, missing, missing}},
		{"GET /alerts", "GET", "/alerts", nil, "", want{see, ok, ok, ok}},
		{"GET /alerts/events", "GET", "/alerts/events", nil, "", want{see, ok, ok, ok}},
		{"GET /alerts/{id}", "GET", "/alerts/nope", nil, "", want{see, missing, missing, missing}},
		{"POST /alerts/{id}/ack", "POST", "/alerts/nope/ack", url.Values{}, "", want{see, forbid, missing, missing}},
		{"POST /alerts/{id}/resolve", "POST", "/alerts/nope/resolve", url.Values{}, "", want{see, forbid, missing, missing}},
		{"POST /alerts/{id}/silence", "POST", "/alerts/nope/silence", url.Values{"hours": {"4"}}, "", want{see, forbid, missing, missing}},
		{"POST /alerts/silences/{id}/end", "POST", "/alerts/silences/nope/end", url.Values{}, "", want{see, forbid, missing, missing}},
		{"GET /incidents", "GET", "/incidents", nil, "", want{see, ok, ok, ok}},
		{"POST /incidents", "POST", "/incidents", url.Values{"title": {""}, "severity": {"2"}}, "", want{see, forbid, invalid, invalid}},
		{"GET /incidents/{id}", "GET", "/incidents/999999", nil, "", want{see, missing, missing, missing}},
		{"GET /incidents/{id}/events", "GET", "/incidents/999999/events", nil, "", want{see, missing, missing, missing}},
		{"GET /incidents/{id}/export.md", "GET", "/incidents/999999/export.md", nil, "", want{see, missing, missing, missing}},
		{"GET /incidents/{id}/export.html", "GET", "/incidents/999999/export.html", nil, "", want{see, missing, missing, missing}},
		{"POST /incidents/{id}/status", "POST", "/incidents/999999/status", url.Values{"status": {"responding"}}, "", want{see, forbid, missing, missing}},
		{"POST /incidents/{id}/severity", "POST", "/incidents/999999/severity", url.Values{"severity": {"1"}}, "", want{see, forbid, missing, missing}},
		{"POST /incidents/{id}/roles", "POST", "/incidents/999999/roles", url.Values{"role": {"lead"}, "person": {"a@example.nl"}}, "", want{see, forbid, missing, missing}},
		{"POST /incidents/{id}/classify", "POST", "/incidents/999999/classify", url.Values{"type": {"rumour"}}, "", want{see, forbid, missing, missing}},
		{"POST /incidents/{id}/playbook", "POST", "/incidents/999999/playbook", url.Values{"scenario": {"data_leak"}}, "", want{see, forbid, missing, missing}},
		{"POST /incidents/{id}/tasks/{task}", "POST", "/incidents/999999/tasks/1", url.Values{"done": {"true"}}, "", want{see, forbid, missing, missing}},
		{"POST /incidents/{id}/notes", "POST", "/incidents/999999/notes", url.Values{"text": {"x"}}, "", want{see, forbid, missing, missing}},
		{"POST /incidents/{id}/alerts", "POST", "/incidents/999999/alerts", url.Values{"alert": {"nope"}}, "", want{see, forbid, missing, missing}},
		{"POST /incidents/{id}/claims", "POST", "/incidents/999999/claims", url.Values{"text": {"x"}}, "", want{see, forbid, missing, missing}},
		{"POST /incidents/{id}/claims/{claim}", "POST", "/incidents/999999/claims/1", url.Values{"text": {"x"}}, "", want{see, forbid, missing, missing}},
		{"POST /incidents/{id}/claims/{claim}/posts", "POST", "/incidents/999999/claims/1/posts", url.Values{"platform": {"bluesky"}, "post": {"x"}}, "", want{see, forbid, missing, missing}},
		{"POST /incidents/{id}/stakeholders", "POST", "/incidents/999999/stakeholders", url.Values{"stakeholder": {"person:x"}}, "", want{see, forbid, missing, missing}},
		{"GET /templates", "GET", "/templates", nil, "", want{see, ok, ok, ok}},
		{"GET /templates/{id}", "GET", "/templates/nope", nil, "", want{see, missing, missing, missing}},
		{"POST /templates/{id}/edit", "POST", "/templates/nope/edit", url.Values{"version": {"1"}, "text": {"x"}}, "", want{see, forbid, missing, missing}},
		{"POST /templates/{id}/approve", "POST", "/templates/nope/approve", url.Values{"version": {"1"}}, "", want{see, forbid, missing, missing}},
		{"GET /incidents/{id}/statements", "GET", "/incidents/999999/statements", nil, "", want{see, missing, missing, missing}},
		{"GET /incidents/{id}/statements/new", "GET", "/incidents/999999/statements/new?template=holding-en", nil, "", want{see, forbid, missing, missing}},
		{"POST /incidents/{id}/statements", "POST", "/incidents/999999/statements", url.Values{"template": {"holding-en"}}, "", want{see, forbid, missing, missing}},
		{"GET /incidents/{id}/statements/{sid}", "GET", "/incidents/999999/statements/1", nil, "", want{see, missing, missing, missing}},
		{"POST /incidents/{id}/statements/{sid}/edit", "POST", "/incidents/999999/statements/1/edit", url.Values{"rev": {"1"}, "core": {"x"}}, "", want{see, forbid, missing, missing}},
		{"POST /incidents/{id}/statements/{sid}/submit", "POST", "/incidents/999999/statements/1/submit", url.Values{"rev": {"1"}}, "", want{see, forbid, missing, missing}},
		{"POST /incidents/{id}/statements/{sid}/approve", "POST", "/incidents/999999/statements/1/approve", url.Values{"rev": {"1"}}, "", want{see, forbid, missing, missing}},
		{"POST /incidents/{id}/statements/{sid}/reject", "POST", "/incidents/999999/statements/1/reject", url.Values{"rev": {"1"}, "comment": {"x"}}, "", want{see, forbid, missing, missing}},
		{"POST /incidents/{id}/statements/{sid}/publish", "POST", "/incidents/999999/statements/1/publish", url.Values{"channel": {"manual:x"}}, "", want{see, forbid, missing, missing}},
		{"POST /incidents/{id}/statements/{sid}/manual", "POST", "/incidents/999999/statements/1/manual", url.Values{"rev": {"1"}, "channel": {"manual:x"}, "link": {"https://x.com/a/status/1"}}, "", want{see, forbid, missing, missing}},
		{"GET /ack", "GET", "/ack?token=guess", nil, "", want{ok, ok, ok, ok}},
		{"GET /ack/{token}", "GET", "/ack/guess", nil, "", want{ok, ok, ok, ok}},
		{"POST /ack", "POST", "/ack", url.Values{"token": {"guess"}}, "", want{missing, missing, missing, missing}},
		{"GET /api/v1/alerts", "GET", "/api/v1/alerts", nil, "", want{unauth, ok, ok, ok}},
		{"GET /plan", "GET", "/plan", nil, "", want{see, ok, ok, ok}},
		{"GET /plan.yaml", "GET", "/plan.yaml", nil, "", want{see, ok, ok, ok}},
		{"GET /plan/edit", "GET", "/plan/edit", nil, "", want{see, forbid, forbid, ok}},
		{"POST /plan/edit", "POST", "/plan/edit", url.Values{"yaml": {"organisation: ["}}, "", want{see, forbid, forbid, invalid}},
		{"POST /plan/validate", "POST", "/plan/validate", url.Values{"yaml": {"organisation: ["}}, "", want{see, forbid, forbid, ok}},
		{"GET /plan/people", "GET", "/plan/people", nil, "", want{see, forbid, forbid, ok}},
		{"POST /plan/people", "POST", "/plan/people", url.Values{"version": {"0"}, "id": {"x"}}, "", want{see, forbid, forbid, invalid}},
		{"POST /plan/people/{id}/delete", "POST", "/plan/people/nobody/delete", url.Values{"version": {"7"}}, "", want{see, forbid, forbid, http.StatusConflict}},
		{"POST /plan/overrides", "POST", "/plan/overrides", url.Values{"version": {"0"}, "schedule": {"nope"}}, "", want{see, forbid, forbid, missing}},
		{"POST /plan/overrides/delete", "POST", "/plan/overrides/delete", url.Values{"version": {"0"}, "schedule": {"nope"}, "n": {"0"}}, "", want{see, forbid, forbid, missing}},
		{"GET /plan/contacts", "GET", "/plan/contacts", nil, "", want{see, forbid, forbid, ok}},
		{"POST /plan/contacts", "POST", "/plan/contacts", url.Values{"version": {"0"}, "id": {"x"}}, "", want{see, forbid, forbid, invalid}},
		{"POST /plan/contacts/{id}/delete", "POST", "/plan/contacts/nobody/delete", url.Values{"version": {"0"}}, "", want{see, forbid, forbid, missing}},
		{"GET /plan/schedules", "GET", "/plan/schedules", nil, "", want{see, forbid, forbid, ok}},
		{"POST /plan/schedules", "POST", "/plan/schedules", url.Values{"version": {"0"}, "id": {"x"}}, "", want{see, forbid, forbid, invalid}},
		{"POST /plan/schedules/{id}/delete", "POST", "/plan/schedules/nope/delete", url.Values{"version": {"0"}}, "", want{see, forbid, forbid, missing}},
		{"GET /plan/policies", "GET", "/plan/policies", nil, "", want{see, forbid, forbid, ok}},
		{"POST /plan/policies", "POST", "/plan/policies", url.Values{"version": {"0"}, "id": {"x"}}, "", want{see, forbid, forbid, invalid}},
		{"POST /plan/policies/{id}/delete", "POST", "/plan/policies/nope/delete", url.Values{"version": {"0"}}, "", want{see, forbid, forbid, missing}},
		{"GET /plan/routes", "GET", "/plan/routes", nil, "", want{see, forbid, forbid, ok}},
		{"POST /plan/routes", "POST", "/plan/routes", url.Values{"version": {"0"}, "severity": {"huge"}}, "", want{see, forbid, forbid, invalid}},
		{"POST /plan/routes/default", "POST", "/plan/routes/default", url.Values{"version": {"0"}, "policy": {"nope"}}, "", want{see, forbid, forbid, invalid}},
		{"POST /plan/routes/{n}/delete", "POST", "/plan/routes/99/delete", url.Values{"version": {"0"}}, "", want{see, forbid, forbid, missing}},
		{"POST /plan/routes/{n}/move", "POST", "/plan/routes/99/move", url.Values{"version": {"0"}, "dir": {"up"}}, "", want{see, forbid, forbid, missing}},
		{"GET /plan/protocol", "GET", "/plan/protocol", nil, "", want{see, forbid, forbid, ok}},
		{"POST /plan/protocol", "POST", "/plan/protocol", url.Values{"version": {"0"}}, "", want{see, forbid, forbid, invalid}},
		{"GET /plan/conduct", "GET", "/plan/conduct", nil, "", want{see, forbid, forbid, ok}},
		{"POST /plan/conduct", "POST", "/plan/conduct", url.Values{"version": {"0"}}, "", want{see, forbid, forbid, invalid}},
		{"GET /plan/organisation", "GET", "/plan/organisation", nil, "", want{see, forbid, forbid, ok}},
		{"POST /plan/organisation", "POST", "/plan/organisation", url.Values{"version": {"0"}}, "", want{see, forbid, forbid, invalid}},
		{"GET /plan/moderation", "GET", "/plan/moderation", nil, "", want{see, forbid, forbid, ok}},
		{"POST /plan/moderation", "POST", "/plan/moderation", url.Values{"version": {"0"}}, "", want{see, forbid, forbid, invalid}},
		{"GET /admin/deliveries", "GET", "/admin/deliveries", nil, "", want{see, forbid, ok, ok}},
		{"POST /admin/deliveries/{id}/retry", "POST", "/admin/deliveries/999999/retry", url.Values{}, "", want{see, forbid, forbid, see}},
		{"GET /api/v1/plan", "GET", "/api/v1/plan", nil, "", want{unauth, ok, ok, ok}},
		{"PUT /api/v1/plan", "PUT", "/api/v1/plan", nil, "", want{unauth, forbid, forbid, invalid}},
		{"POST /api/v1/plan/validate", "POST", "/api/v1/plan/validate", nil, `{"yaml": ""}`, want{unauth, forbid, forbid, ok}},
		{"GET /api/v1/statement-channels", "GET", "/api/v1/statement-channels", nil, "", want{unauth, ok, ok, ok}},
		{"GET /api/v1/incidents/{id}/statements", "GET", "/api/v1/incidents/999999/statements", nil, "", want{unauth, missing, missing, missing}},
		{"POST /api/v1/incidents/{id}/statements", "POST", "/api/v1/incidents/999999/statements", nil, `{"core":"x","lang":"en"}`, want{unauth, forbid, missing, missing}},
		{"GET /api/v1/incidents/{id}/statements/{sid}", "GET", "/api/v1/incidents/999999/statements/1", nil, "", want{unauth, missing, missing, missing}},
		{"PUT /api/v1/incidents/{id}/statements/{sid}", "PUT", "/api/v1/incidents/999999/statements/1", nil, `{"rev":1,"core":"x"}`, want{unauth, forbid, missing, missing}},
		{"POST /api/v1/incidents/{id}/statements/{sid}/submit", "POST", "/api/v1/incidents/999999/statements/1/submit", nil, `{"rev":1}`, want{unauth, forbid, missing, missing}},
		{"POST /api/v1/incidents/{id}/statements/{sid}/approve", "POST", "/api/v1/incidents/999999/statements/1/approve", nil, `{"rev":1}`, want{unauth, forbid, missing, missing}},
		{"POST /api/v1/incidents/{id}/statements/{sid}/reject", "POST", "/api/v1/incidents/999999/statements/1/reject", nil, `{"rev":1,"comment":"x"}`, want{unauth, forbid, missing, missing}},
		{"POST /api/v1/incidents/{id}/statements/{sid}/publish", "POST", "/api/v1/incidents/999999/statements/1/publish", nil, `{"channels":["manual:x"]}`, want{unauth, forbid, missing, missing}},
		{"POST /api/v1/incidents/{id}/statements/{sid}/manual", "POST", "/api/v1/incidents/999999/statements/1/manual", nil, `{"channel":"manual:x","link":"https://x.com/a/status/1"}`, want{unauth, forbid, missing, missing}},
		{"GET /api/v1/posts", "GET", "/api/v1/posts", nil, "", want{unauth, ok, ok, ok}},
		{"POST /api/v1/posts", "POST", "/api/v1/posts", nil, "[]", want{unauth, forbid, ok, ok}},
		{"/", "GET", "/no-such-page", nil, "", want{missing, missing, missing, missing}},
	}

	// The alert event stream lives until the hub closes; closed, it answers and ends at once, so its
	// row can be checked like the others.
	h.alerts.hub.Close()

	covered := map[string]bool{}
	for _, row := range rows {
		covered[row.pattern] = true
	}
	for _, rt := range h.web.routes {
		if !covered[rt.pattern] {
			t.Errorf("route %q has no row in the role boundary table", rt.pattern)
		}
	}

	roles := []auth.Role{"", auth.Viewer, auth.Responder, auth.Admin}
	for _, row := range rows {
		for i, role := range roles {
			wantStatus := []int{row.want.anon, row.want.viewer, row.want.responder, row.want.admin}[i]
			name := string(role)
			if name == "" {
				name = "anonymous"
			}
			t.Run(row.pattern+"/"+name, func(t *testing.T) {
				var got response
				if strings.HasPrefix(row.path, "/api/") {
					token := ""
					if role != "" {
						token = h.token(h.user(role))
					}
					var body *strings.Reader
					if row.method == http.MethodPost {
						body = strings.NewReader(row.body)
						got = h.api(row.method, row.path, token, "application/json", body)
					} else {
						got = h.api(row.method, row.path, token, "", nil)
					}
				} else {
					b := h.browser()
					if role != "" {
						b = h.loggedIn(role)
					}
					if row.method == http.MethodPost {
						got = b.submit(row.path, row.form)
					} else {
						got = b.get(row.path)
					}
				}
				if got.status != wantStatus {
					t.Fatalf("%s %s as %s: status %d, want %d\n%.400s", row.method, row.path, name, got.status, wantStatus, got.body)
				}
				if got.status == see && role == "" && row.pattern != "POST /lang" {
					if loc := got.header.Get("Location"); !strings.HasPrefix(loc, "/login?next=") {
						t.Fatalf("visitor sent to %q, want the login page", loc)
					}
				}
			})
		}
	}
}

func TestAPIWithBrowserSession(t *testing.T) {
	h := newHarness(t)
	b := h.loggedIn(auth.Responder)
	if r := b.get("/api/v1/posts"); r.status != http.StatusOK {
		t.Fatalf("session GET of the API: %d", r.status)
	}
	// Writing through the API takes a token, even with a valid session and CSRF token.
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/api/v1/posts", strings.NewReader("[]"))
	req.Header.Set(csrfHeader, b.csrf(anyPage))
	if r := b.do(req); r.status != http.StatusUnauthorized {
		t.Fatalf("session POST to the API: %d, want 401", r.status)
	}
	if r := h.api("GET", "/api/v1/posts", "cdk_not-a-real-token", "", nil); r.status != http.StatusUnauthorized ||
		!strings.Contains(r.body, `"error"`) || r.header.Get("WWW-Authenticate") == "" {
		t.Fatalf("bad token: %d %s %v", r.status, r.body, r.header)
	}
	req, _ = http.NewRequest(http.MethodGet, h.srv.URL+"/api/v1/posts", nil)
	req.Header.Set("Authorization", "Basic dXNlcjpwYXNz")
	if r := b.do(req); r.status != http.StatusUnauthorized {
		t.Fatalf("basic auth: %d, want 401", r.status)
	}
}

func TestCSRF(t *testing.T) {
	h := newHarness(t)
	b := h.loggedIn(auth.Responder)
	good := b.csrf(anyPage)
	other := h.loggedIn(auth.Responder).csrf(anyPage)
	tests := []struct {
		name   string
		token  string
		header http.Header
		want   int
	}{
		{"missing", "", nil, http.StatusForbidden},
		{"wrong", "not-the-token", nil, http.StatusForbidden},
		{"another session's", other, nil, http.StatusForbidden},
		{"cross-site browser", good, http.Header{"Sec-Fetch-Site": {"cross-site"}}, http.StatusForbidden},
		{"foreign origin", good, http.Header{"Origin": {"https://evil.example"}}, http.StatusForbidden},
		{"right", good, nil, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"name": {"token " + tt.name}}
			if tt.token != "" {
				form.Set("csrf", tt.token)
			}
			req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/settings/tokens", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tt.header {
				req.Header[k] = v
			}
			r := b.do(req)
			if r.status != tt.want {
				t.Fatalf("status %d, want %d", r.status, tt.want)
			}
			if tt.want == http.StatusForbidden && strings.Contains(r.body, "cdk_") {
				t.Fatal("a token was made despite the failed check")
			}
		})
	}

	// The token can come in a header too, for scripts on our own pages.
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/settings/tokens", strings.NewReader("name=from+header"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(csrfHeader, good)
	if r := b.do(req); r.status != http.StatusOK {
		t.Fatalf("header token: %d", r.status)
	}

	// Logging out without the token does not log out.
	if r := b.post("/logout", url.Values{}); r.status != http.StatusForbidden {
		t.Fatalf("logout without CSRF: %d", r.status)
	}
	if r := b.get("/posts"); r.status != http.StatusOK {
		t.Fatalf("session ended by a forged logout: %d", r.status)
	}

	// Forms before login are protected by the pre-session cookie.
	anon := h.browser()
	if r := anon.post("/login", url.Values{"email": {"a@example.nl"}, "password": {"x"}}); r.status != http.StatusForbidden {
		t.Fatalf("login without CSRF: %d", r.status)
	}
	if r := anon.post("/lang", url.Values{"lang": {"nl"}, "csrf": {"guess"}}); r.status != http.StatusForbidden {
		t.Fatalf("language switch with a guessed token: %d", r.status)
	}
}

func TestSecurityHeadersAndCookies(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.TrustProxy = true })
	b := h.browser()
	r := b.get("/login")
	for k, want := range map[string]string{
		"X-Frame-Options":        "DENY",
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
	} {
		if got := r.header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	csp := r.header.Get("Content-Security-Policy")
	for _, part := range []string{"script-src 'self'", "frame-ancestors 'none'", "default-src 'self'"} {
		if !strings.Contains(csp, part) {
			t.Errorf("CSP %q lacks %q", csp, part)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	if strings.Contains(r.body, "<script>") || strings.Contains(r.body, " onclick=") || strings.Contains(r.body, " style=") {
		t.Error("a page carries inline script or style, which the CSP blocks")
	}

	email := h.user(auth.Viewer)
	tests := []struct {
		name       string
		proto      string
		wantSecure bool
	}{
		{"plain", "", false},
		{"behind a TLS proxy", "https", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := h.browser()
			form := url.Values{"email": {email}, "password": {testPassword}, "csrf": {b.csrf(anyPage)}}
			req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.proto != "" {
				req.Header.Set("X-Forwarded-Proto", tt.proto)
			}
			res, err := b.c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			var found bool
			for _, c := range res.Cookies() {
				if c.Name != sessionCookie {
					continue
				}
				found = true
				if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tt.wantSecure {
					t.Fatalf("session cookie %+v", c)
				}
				if c.Value == "" || c.MaxAge <= 0 {
					t.Fatalf("session cookie has no value or lifetime: %+v", c)
				}
			}
			if !found {
				t.Fatal("no session cookie")
			}
		})
	}

	// Without TrustProxy the header is ignored: anyone could send it.
	h2 := newHarness(t)
	email2 := h2.user(auth.Viewer)
	b2 := h2.browser()
	form := url.Values{"email": {email2}, "password": {testPassword}, "csrf": {b2.csrf(anyPage)}}
	req, _ := http.NewRequest(http.MethodPost, h2.srv.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-Proto", "https")
	res, err := b2.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	for _, c := range res.Cookies() {
		if c.Name == sessionCookie && c.Secure {
			t.Fatal("untrusted X-Forwarded-Proto made the cookie Secure")
		}
	}
}

func TestSafeNext(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "/"},
		{"/posts?q=a", "/posts?q=a"},
		{"//evil.example", "/"},
		{"/\\evil.example", "/"},
		{"https://evil.example/", "/"},
		{"posts", "/"},
		{"/a\r\nSet-Cookie: x", "/"},
	}
	for _, tt := range tests {
		if got := safeNext(tt.in); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestConfigChecks(t *testing.T) {
	h := newHarness(t)
	deps := h.web.deps
	tests := []struct {
		name string
		cfg  Config
		deps Deps
		ok   bool
	}{
		{"defaults", Config{}, deps, true},
		{"base URL", Config{BaseURL: "https://crisis.example.nl/"}, deps, true},
		{"base URL with a path", Config{BaseURL: "https://example.nl/crisis"}, deps, false},
		{"base URL not http", Config{BaseURL: "ftp://example.nl"}, deps, false},
		{"unknown language", Config{DefaultLang: "de"}, deps, false},
		{"Dutch", Config{DefaultLang: "nl"}, deps, true},
		{"missing deps", Config{}, Deps{Auth: deps.Auth}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg, tt.deps)
			if (err == nil) != tt.ok {
				t.Fatalf("New = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
