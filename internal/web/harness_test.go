package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/analyze"
	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/ingest"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/query"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// harness is the whole web app on a loopback server with a real SQLite store.
type harness struct {
	t    testing.TB
	srv  *httptest.Server
	st   *sqlite.Store
	auth *auth.Service
	clk  *clock.Sim
	web  *Server
	reg  *prometheus.Registry
	// monitors is the registry ingest matches against, as serve wires it.
	monitors *query.Registry
	// alerts is the path from ingest to stored and published alerts, as serve wires it.
	alerts *testAlerts
	// incidents and statements are the incident room and the composer behind the pages.
	incidents  *incident.Service
	statements *testStatements
}

// now is the harness clock's start. Test posts are placed relative to it.
var now = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

const testPassword = "correct horse battery"

func newHarness(t testing.TB, tweak ...func(*Config)) *harness {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "web.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := clock.NewSim(now)
	svc := auth.New(st, clk, auth.Config{Params: auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}})
	reg := prometheus.NewRegistry()
	cfg := Config{Registerer: reg, DefaultLang: "en"}
	for _, f := range tweak {
		f(&cfg)
	}
	// Tests that predate monitors send posts in and expect to find them, so the harness keeps every
	// post; tests of the monitor filter turn the setting off.
	if err := st.SaveSettings(ctx, store.Settings{KeepAllPosts: true}); err != nil {
		t.Fatal(err)
	}
	an, err := analyze.New()
	if err != nil {
		t.Fatal(err)
	}
	monitors := query.NewRegistry()
	alerts := newTestAlerts(t, st, clk)
	ing, err := ingest.New(ingest.Config{Clock: clk, Workers: 2, Observer: alerts}, an, monitors, st)
	if err != nil {
		t.Fatal(err)
	}
	incidentHub := NewIncidentHub()
	incs := newTestIncidents(t, st, clk, incidentHub)
	statements := newTestStatements(t, st, clk, incs)
	w, err := New(cfg, Deps{Auth: svc, Posts: st, Ingest: ing, Monitors: ingest.NewMonitors(st, monitors, clk, nil),
		Settings: st, Ready: st, Clock: clk, Sources: newTestSources(t, st, ing, clk),
		Incidents: incs, IncidentHub: incidentHub, Situations: st, Stakeholders: st, Alerts: st,
		AlertHub: alerts.hub, AckLinks: alerts.engine, Silencer: alerts.manager, Plans: st, Deliveries: st,
		Statements: statements.svc, StatementChannels: statements, StatementLegal: statements.isLegal,
		PublishAccounts: statements.accounts})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w.Handler())
	t.Cleanup(srv.Close)
	return &harness{t: t, srv: srv, st: st, auth: svc, clk: clk, web: w, reg: reg, monitors: monitors, alerts: alerts,
		incidents: incs, statements: statements}
}

// user creates a user with the role and the test password, and returns the email address.
func (h *harness) user(role auth.Role) string {
	h.t.Helper()
	email := fmt.Sprintf("%s-%d@example.nl", role, time.Now().UnixNano())
	if _, err := h.auth.CreateUser(context.Background(), email, testPassword, role); err != nil {
		h.t.Fatal(err)
	}
	return email
}

// token creates an API token for email.
func (h *harness) token(email string) string {
	h.t.Helper()
	tok, err := h.auth.CreateAPIToken(context.Background(), email, "test")
	if err != nil {
		h.t.Fatal(err)
	}
	return tok
}

func (h *harness) insert(posts ...post.Post) {
	h.t.Helper()
	if _, err := h.st.InsertPosts(context.Background(), posts); err != nil {
		h.t.Fatal(err)
	}
}

// browser is a cookie-keeping client that does not follow redirects, so tests see each answer.
type browser struct {
	h *harness
	c *http.Client
}

func (h *harness) browser() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		h.t.Fatal(err)
	}
	return &browser{h: h, c: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// loggedIn returns a browser signed in as a new user with role.
func (h *harness) loggedIn(role auth.Role) *browser {
	h.t.Helper()
	b := h.browser()
	b.login(h.user(role), testPassword, http.StatusSeeOther)
	return b
}

type response struct {
	status int
	header http.Header
	body   string
}

func (b *browser) do(req *http.Request) response {
	b.h.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.h.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.h.t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, string(body)}
}

func (b *browser) get(path string) response {
	b.h.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.h.srv.URL+path, nil)
	if err != nil {
		b.h.t.Fatal(err)
	}
	return b.do(req)
}

// post sends a form as it is, CSRF field included only when the caller put one in.
func (b *browser) post(path string, form url.Values) response {
	b.h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.h.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf loads page and returns the CSRF token its forms carry.
func (b *browser) csrf(page string) string {
	b.h.t.Helper()
	r := b.get(page)
	m := csrfRE.FindStringSubmatch(r.body)
	if m == nil {
		b.h.t.Fatalf("GET %s (%d): no CSRF field in the page", page, r.status)
	}
	return m[1]
}

// anyPage is a page every visitor gets, signed in or not: a 404 still has the layout, whose language
// form carries the CSRF token.
const anyPage = "/no-such-page"

// submit posts form with this browser's CSRF token.
func (b *browser) submit(path string, form url.Values) response {
	b.h.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", b.csrf(anyPage))
	return b.post(path, form)
}

func (b *browser) login(email, password string, want int) response {
	b.h.t.Helper()
	r := b.submit("/login", url.Values{"email": {email}, "password": {password}})
	if r.status != want {
		b.h.t.Fatalf("login %s: status %d, want %d\n%s", email, r.status, want, r.body)
	}
	return r
}

// api sends a request with an optional bearer token.
func (h *harness) api(method, path, token, contentType string, body io.Reader) response {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return (&browser{h: h, c: &http.Client{}}).do(req)
}

func testPost(id, platform, text string, at time.Time, lang string) post.Post {
	return post.Post{ID: id, Platform: platform, Text: text, CreatedAt: at, Lang: lang,
		URL:    "https://example.nl/" + id,
		Author: post.Author{Handle: "h" + id, Name: "Author " + id}}
}
