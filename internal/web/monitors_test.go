package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// TestMonitorFlow creates a monitor through the page as a responder, with a refused query first, sends
// posts in through the API with keep_all_posts off, and finds the matched one by the monitor filter.
func TestMonitorFlow(t *testing.T) {
	h := newHarness(t)
	if err := h.st.SaveSettings(t.Context(), store.Settings{KeepAllPosts: false}); err != nil {
		t.Fatal(err)
	}
	// Posts of the last week, for the preview; one older, outside it.
	h.insert(
		testPost("old", "bluesky", "Storing bij Zebrabank, al uren", now.Add(-8*24*time.Hour), "nl"),
		testPost("p1", "bluesky", "Storing bij Zebrabank, niemand kan pinnen", now.Add(-time.Hour), "nl"),
		testPost("p2", "mastodon", "Zebrabank heeft een nieuwe app", now.Add(-2*time.Hour), "nl"),
		testPost("p3", "x", "Het weer is mooi", now.Add(-3*time.Hour), "nl"),
	)
	email := h.user(auth.Responder)
	b := h.browser()
	b.login(email, testPassword, http.StatusSeeOther)

	tests := []struct {
		lang, query, want string
	}{
		{"en", "zebrabank AND (storing", "Line 1, column 15"},
		{"nl", "zebrabank AND (storing", "Regel 1, kolom 15"},
	}
	for _, tt := range tests {
		b.submit("/lang", url.Values{"lang": {tt.lang}, "next": {"/monitors/new"}})
		r := b.submit("/monitors", url.Values{"name": {"Zebrabank"}, "query": {tt.query}, "enabled": {"on"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, tt.want) || !strings.Contains(r.body, "^") {
			t.Fatalf("%s: bad query: status %d, want 422 with %q and a caret\n%.2000s", tt.lang, r.status, tt.want, r.body)
		}
		if !strings.Contains(r.body, html.EscapeString(tt.query)) {
			t.Errorf("%s: the form lost the query", tt.lang)
		}
	}
	b.submit("/lang", url.Values{"lang": {"en"}, "next": {"/monitors/new"}})

	// The live check, as monitor.js calls it.
	validate := func(q string) validateResponse {
		t.Helper()
		body, _ := json.Marshal(validateRequest{Query: q, Preview: true})
		req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/monitors/validate", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(csrfHeader, b.csrf("/monitors/new"))
		r := b.do(req)
		if r.status != http.StatusOK {
			t.Fatalf("validate %q: %d %s", q, r.status, r.body)
		}
		var out validateResponse
		if err := json.Unmarshal([]byte(r.body), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if out := validate("zebrabank NEAR/x storing"); out.Valid || out.Error == nil || out.Error.Line != 1 || out.Error.Col != 11 {
		t.Errorf("validate(bad NEAR) = %+v, want an error at 1:11", out)
	}
	out := validate("zebrabank AND storing")
	if !out.Valid || out.Preview == nil || out.Preview.Matched != 1 || out.Preview.Scanned != 3 || len(out.Preview.Posts) != 1 ||
		out.Preview.Posts[0].ID != "p1" || !strings.Contains(out.Preview.Summary, "1 of the 3") {
		t.Errorf("validate(good) = %+v %+v, want 1 of the 3 posts of the last week, p1", out, out.Preview)
	}

	r := b.submit("/monitors", url.Values{"name": {"Zebrabank storingen"}, "query": {"zebrabank AND storing"}, "enabled": {"on"}})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/monitors/m") {
		t.Fatalf("create: %d %s\n%.500s", r.status, r.header.Get("Location"), r.body)
	}
	id := strings.TrimPrefix(strings.TrimSuffix(r.header.Get("Location"), "?done=created"), "/monitors/")
	page := b.get("/monitors/" + id)
	if page.status != http.StatusOK || !strings.Contains(page.body, "Would have matched 1 of the 3 stored posts") {
		t.Errorf("monitor page: %d\n%.3000s", page.status, page.body)
	}

	// Ingest: the storing post is kept with its monitor, the other two are dropped.
	token := h.token(email)
	ndjson := `{"id":"n1","platform":"bluesky","text":"Weer een storing bij Zebrabank, schandalig!","created_at":"2026-11-20T11:59:00Z"}
{"id":"n2","platform":"bluesky","text":"Zebrabank sponsort het voetbal","created_at":"2026-11-20T11:59:30Z"}
{"id":"n3","platform":"bluesky","text":"Koffie is lekker","created_at":"2026-11-20T11:59:40Z"}
`
	ir := h.api("POST", "/api/v1/posts", token, "application/x-ndjson", strings.NewReader(ndjson))
	var res ingestResult
	if err := json.Unmarshal([]byte(ir.body), &res); err != nil || ir.status != http.StatusOK {
		t.Fatalf("ingest: %d %s", ir.status, ir.body)
	}
	if res.Inserted != 1 || res.Dropped != 2 || res.Duplicates != 0 {
		t.Errorf("ingest = %+v, want 1 stored and 2 dropped", res)
	}
	posts := b.get("/posts?monitor=" + id)
	if !strings.Contains(posts.body, "Weer een storing bij Zebrabank") || strings.Contains(posts.body, "Storing bij Zebrabank, niemand") {
		t.Errorf("posts of the monitor: want only n1\n%.3000s", posts.body)
	}
	if !strings.Contains(posts.body, "Negative") || !strings.Contains(posts.body, `href="/posts?monitor=`+id+`"`) {
		t.Errorf("posts page does not show the analysis and monitor of n1")
	}
	list := b.get("/monitors")
	if !strings.Contains(list.body, "Zebrabank storingen") || !strings.Contains(list.body, `period=24h">1</a>`) {
		t.Errorf("monitors list: want the monitor with 1 post in 24 h\n%.3000s", list.body)
	}
	var api searchResult
	sr := h.api("GET", "/api/v1/posts?monitor="+id+"&sentiment=negative", token, "", nil)
	if err := json.Unmarshal([]byte(sr.body), &api); err != nil || len(api.Posts) != 1 || api.Posts[0].Analysis == nil ||
		api.Posts[0].Monitors[0] != id {
		t.Errorf("API search by monitor and sentiment: %s", sr.body)
	}

	// Switching it off stops matching; deleting removes it.
	b.submit("/monitors/"+id+"/enabled", url.Values{"enabled": {"false"}})
	if got := h.monitors.Matcher().Len(); got != 0 {
		t.Errorf("after switching off, the matcher has %d monitors", got)
	}
	if r := b.submit("/monitors/"+id+"/delete", nil); r.status != http.StatusSeeOther {
		t.Errorf("delete: %d", r.status)
	}
	if r := b.get("/monitors/" + id); r.status != http.StatusNotFound {
		t.Errorf("deleted monitor page: %d, want 404", r.status)
	}
}

func TestMonitorAPI(t *testing.T) {
	h := newHarness(t)
	token := h.token(h.user(auth.Responder))
	create := h.api("POST", "/api/v1/monitors", token, "application/json", strings.NewReader(`{"name":"Acme","query":"acme OR \"acme bank\""}`))
	var m apiMonitorJSON
	if err := json.Unmarshal([]byte(create.body), &m); err != nil || create.status != http.StatusCreated || !m.Enabled || m.ID == "" {
		t.Fatalf("create: %d %s", create.status, create.body)
	}
	if loc := create.header.Get("Location"); loc != "/api/v1/monitors/"+m.ID {
		t.Errorf("Location = %q", loc)
	}
	bad := h.api("PUT", "/api/v1/monitors/"+m.ID, token, "application/json", strings.NewReader(`{"name":"Acme","query":"a*"}`))
	var me apiMonitorError
	if err := json.Unmarshal([]byte(bad.body), &me); err != nil || bad.status != http.StatusUnprocessableEntity || me.Query == nil || me.Query.Col != 2 || !strings.Contains(me.Query.Formatted, "^") {
		t.Errorf("update with a too broad query: %d %s", bad.status, bad.body)
	}
	up := h.api("PUT", "/api/v1/monitors/"+m.ID, token, "application/json", strings.NewReader(`{"name":"Acme NL","query":"acme lang:nl","enabled":false}`))
	if err := json.Unmarshal([]byte(up.body), &m); err != nil || up.status != http.StatusOK || m.Enabled || m.Name != "Acme NL" {
		t.Errorf("update: %d %s", up.status, up.body)
	}
	got := h.api("GET", "/api/v1/monitors/"+m.ID, token, "", nil)
	if !strings.Contains(got.body, `"query":"acme lang:nl"`) {
		t.Errorf("get: %s", got.body)
	}
	list := h.api("GET", "/api/v1/monitors", token, "", nil)
	if !strings.Contains(list.body, `"id":"`+m.ID+`"`) {
		t.Errorf("list: %s", list.body)
	}
	if r := h.api("DELETE", "/api/v1/monitors/"+m.ID, token, "", nil); r.status != http.StatusNoContent {
		t.Errorf("delete: %d %s", r.status, r.body)
	}
	if r := h.api("GET", "/api/v1/monitors/"+m.ID, token, "", nil); r.status != http.StatusNotFound {
		t.Errorf("get after delete: %d", r.status)
	}
}

func TestSettingsPage(t *testing.T) {
	h := newHarness(t)
	b := h.loggedIn(auth.Admin)
	for _, keep := range []bool{false, true} {
		form := url.Values{}
		if keep {
			form.Set("keep_all_posts", "on")
		}
		if r := b.submit("/admin/settings", form); r.status != http.StatusSeeOther {
			t.Fatalf("save: %d", r.status)
		}
		st, err := h.st.Settings(t.Context())
		if err != nil || st.KeepAllPosts != keep {
			t.Errorf("after saving %v: %+v, %v", keep, st, err)
		}
		page := b.get("/admin/settings?done=saved")
		if checked := strings.Contains(page.body, `name="keep_all_posts" type="checkbox" checked`); checked != keep {
			t.Errorf("page shows checked=%v, want %v", checked, keep)
		}
	}
}
