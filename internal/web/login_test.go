package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/auth"
)

func TestLoginLogout(t *testing.T) {
	h := newHarness(t)
	email := h.user(auth.Viewer)
	b := h.browser()

	// A visitor is sent to the login page, and back after logging in.
	r := b.get("/posts?q=storing")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login?next="+url.QueryEscape("/posts?q=storing") {
		t.Fatalf("visitor: %d %q", r.status, r.header.Get("Location"))
	}
	r = b.get("/login?next=" + url.QueryEscape("/posts?q=storing"))
	if r.status != http.StatusOK || !strings.Contains(r.body, `name="next" value="/posts?q=storing"`) {
		t.Fatalf("login page: %d\n%s", r.status, r.body)
	}

	bad := b.submit("/login", url.Values{"email": {email}, "password": {"wrong password"}, "next": {"/posts"}})
	if bad.status != http.StatusUnauthorized || !strings.Contains(bad.body, "The email address or password is incorrect.") {
		t.Fatalf("wrong password: %d\n%s", bad.status, bad.body)
	}
	if !strings.Contains(bad.body, `value="`+email+`"`) {
		t.Error("the email address is not kept after a failed login")
	}
	if strings.Contains(bad.body, "wrong password") {
		t.Error("the password is echoed back")
	}

	ok := b.submit("/login", url.Values{"email": {email}, "password": {testPassword}, "next": {"/posts?q=storing"}})
	if ok.status != http.StatusSeeOther || ok.header.Get("Location") != "/posts?q=storing" {
		t.Fatalf("login: %d %q", ok.status, ok.header.Get("Location"))
	}
	// An offsite next is ignored.
	b2 := h.browser()
	r = b2.submit("/login", url.Values{"email": {email}, "password": {testPassword}, "next": {"https://evil.example/"}})
	if r.header.Get("Location") != "/" {
		t.Fatalf("offsite next followed: %q", r.header.Get("Location"))
	}

	page := b.get("/")
	if page.status != http.StatusOK || !strings.Contains(page.body, email) {
		t.Fatalf("dashboard after login: %d", page.status)
	}
	if r := b.get("/login"); r.status != http.StatusSeeOther {
		t.Fatalf("login page when signed in: %d", r.status)
	}

	out := b.submit("/logout", nil)
	if out.status != http.StatusSeeOther || out.header.Get("Location") != "/login" {
		t.Fatalf("logout: %d %q", out.status, out.header.Get("Location"))
	}
	if r := b.get("/"); r.status != http.StatusSeeOther {
		t.Fatalf("after logout: %d", r.status)
	}

	// A disabled user is out at the next request.
	admin := h.loggedIn(auth.Admin)
	users, err := h.auth.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, u := range users {
		if u.Email == email {
			id = u.ID
		}
	}
	if r := admin.submit("/admin/users/"+strconv.FormatInt(id, 10)+"/status", url.Values{"status": {"disabled"}}); r.status != http.StatusSeeOther {
		t.Fatalf("disable: %d", r.status)
	}
	if r := b2.get("/"); r.status != http.StatusSeeOther {
		t.Fatalf("disabled user still in: %d", r.status)
	}
}

func TestSetupThroughTheWeb(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	token, err := h.auth.EnsureFirstAdmin(ctx, "", "")
	if err != nil || token == "" {
		t.Fatalf("EnsureFirstAdmin = %q, %v", token, err)
	}
	b := h.browser()
	if r := b.get("/login"); !strings.Contains(r.body, "no users yet") {
		t.Error("the login page does not say setup is open")
	}
	if r := b.get("/setup?token=wrong"); r.status != http.StatusForbidden {
		t.Fatalf("wrong token: %d", r.status)
	}
	r := b.get("/setup?token=" + token)
	if r.status != http.StatusOK || !strings.Contains(r.body, `name="token" value="`+token+`"`) {
		t.Fatalf("setup page: %d\n%s", r.status, r.body)
	}
	form := func(pw1, pw2 string) url.Values {
		return url.Values{"token": {token}, "email": {"boss@example.nl"}, "password": {pw1}, "password2": {pw2}}
	}
	if r := b.submit("/setup", form(testPassword, testPassword+"x")); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "not the same") {
		t.Fatalf("mismatch: %d", r.status)
	}
	if r := b.submit("/setup", form("short", "short")); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "at least 10 characters") {
		t.Fatalf("weak: %d", r.status)
	}
	r = b.submit("/setup", form(testPassword, testPassword))
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
		t.Fatalf("setup: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	if r := b.get("/admin/users"); r.status != http.StatusOK || !strings.Contains(r.body, "boss@example.nl") {
		t.Fatalf("the new admin is not signed in as admin: %d", r.status)
	}
	// The link is used up, for everyone.
	other := h.browser()
	if r := other.get("/setup?token=" + token); r.status != http.StatusForbidden {
		t.Fatalf("setup page after use: %d", r.status)
	}
	if r := other.submit("/setup", url.Values{"token": {token}, "email": {"mallory@example.nl"},
		"password": {testPassword}, "password2": {testPassword}}); r.status != http.StatusForbidden {
		t.Fatalf("second setup: %d", r.status)
	}
	if _, err := h.st.UserByEmail(ctx, "mallory@example.nl"); err == nil {
		t.Fatal("a second admin was created through a used link")
	}
}

func TestLanguageSwitch(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	if r := b.get("/login"); !strings.Contains(r.body, `<html lang="en">`) || !strings.Contains(r.body, "Log in") {
		t.Fatal("default language is not English")
	}
	r := b.submit("/lang", url.Values{"lang": {"nl"}, "next": {"/login"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" {
		t.Fatalf("switch: %d %q", r.status, r.header.Get("Location"))
	}
	if r := b.get("/login"); !strings.Contains(r.body, `<html lang="nl">`) || !strings.Contains(r.body, "Inloggen") {
		t.Fatal("switch to Dutch did not take")
	}
	if r := b.submit("/lang", url.Values{"lang": {"fr"}}); r.status != http.StatusBadRequest {
		t.Fatalf("unsupported language: %d", r.status)
	}

	// A signed-in user's choice is kept on the account and follows them to a new browser.
	email := h.user(auth.Viewer)
	b1 := h.browser()
	b1.login(email, testPassword, http.StatusSeeOther)
	b1.submit("/lang", url.Values{"lang": {"nl"}, "next": {"/"}})
	b2 := h.browser()
	b2.login(email, testPassword, http.StatusSeeOther)
	if r := b2.get("/"); !strings.Contains(r.body, `<html lang="nl">`) || !strings.Contains(r.body, "Opgeslagen berichten") {
		t.Fatal("the language preference did not follow the user")
	}

	// Accept-Language decides for a new visitor.
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/login", nil)
	req.Header.Set("Accept-Language", "de-DE, nl-BE;q=0.8, en;q=0.5")
	if r := h.browser().do(req); !strings.Contains(r.body, `<html lang="nl">`) {
		t.Fatal("Accept-Language was not honoured")
	}
}

func TestAcceptLanguage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"nl", "nl"},
		{"en-GB,en;q=0.9,nl;q=0.8", "en"},
		{"fr, nl;q=0.1", "nl"},
		{"nl;q=0.2, en;q=0.7", "en"},
		{"de", ""},
		{"nl;q=bad, en;q=0.1", "en"},
	}
	for _, tt := range tests {
		if got := acceptLanguage(tt.in); got != tt.want {
			t.Errorf("acceptLanguage(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLoginLimit(t *testing.T) {
	h := newHarness(t)
	email := h.user(auth.Viewer)
	b := h.browser()
	for i := range loginMaxFailures {
		if r := b.submit("/login", url.Values{"email": {email}, "password": {"wrong password"}}); r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, r.status)
		}
	}
	// Now even the right password waits, from this address.
	r := b.submit("/login", url.Values{"email": {email}, "password": {testPassword}})
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" || !strings.Contains(r.body, "Too many failed logins") {
		t.Fatalf("after %d failures: %d", loginMaxFailures, r.status)
	}
	h.clk.Advance(loginWindow)
	b.login(email, testPassword, http.StatusSeeOther)
}

func TestLoginLimiterBounds(t *testing.T) {
	l := newLoginLimiter()
	for i := range loginMaxTracked + 10 {
		l.failed(strconv.Itoa(i), now)
	}
	if len(l.fails) > loginMaxTracked {
		t.Fatalf("%d addresses tracked, limit %d", len(l.fails), loginMaxTracked)
	}
	l.succeeded("x")
	if !l.allowed("fresh", now) {
		t.Fatal("a new address is refused")
	}
}

func TestNoCookiesOutsidePages(t *testing.T) {
	h := newHarness(t)
	for _, path := range []string{"/healthz", "/readyz", "/static/style.css", "/api/v1/openapi.json", "/metrics"} {
		token := ""
		if path == "/metrics" {
			token = h.token(h.user(auth.Viewer))
		}
		r := h.api("GET", path, token, "", nil)
		if r.status != http.StatusOK || len(r.header.Values("Set-Cookie")) > 0 {
			t.Errorf("GET %s: %d, cookies %v", path, r.status, r.header.Values("Set-Cookie"))
		}
	}
	if r := h.api("GET", "/static/", "", "", nil); r.status != http.StatusNotFound {
		t.Errorf("static directory listing: %d", r.status)
	}
	if r := h.api("GET", "/login", "", "", nil); len(r.header.Values("Set-Cookie")) != 1 {
		t.Errorf("the login page sets %v, want the one CSRF cookie", r.header.Values("Set-Cookie"))
	}
}

func TestSetupLink(t *testing.T) {
	tests := []struct{ base, token, want string }{
		{"https://crisis.example.nl", "abc", "https://crisis.example.nl/setup?token=abc"},
		{"https://crisis.example.nl/", "a+b/c", "https://crisis.example.nl/setup?token=a%2Bb%2Fc"},
		{"http://localhost:8080", "x_y-z", "http://localhost:8080/setup?token=x_y-z"},
	}
	for _, tt := range tests {
		if got := SetupLink(tt.base, tt.token); got != tt.want {
			t.Errorf("SetupLink(%q, %q) = %q, want %q", tt.base, tt.token, got, tt.want)
		}
	}
}

func TestLoginOverAnOpenSessionEndsIt(t *testing.T) {
	h := newHarness(t)
	b := h.loggedIn(auth.Viewer)
	old := sessionValue(t, b)
	b.login(h.user(auth.Responder), testPassword, http.StatusSeeOther)
	if _, err := h.auth.AuthenticateSession(context.Background(), old); err == nil {
		t.Fatal("the previous session still works")
	}
	if r := b.get("/settings/tokens"); r.status != http.StatusOK {
		t.Fatalf("new session: %d", r.status)
	}
}

func sessionValue(t *testing.T, b *browser) string {
	t.Helper()
	u, _ := url.Parse(b.h.srv.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == sessionCookie {
			return c.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

func TestReturnPath(t *testing.T) {
	tests := []struct {
		method, target, referer, want string
	}{
		{"GET", "/posts?q=bank", "", "/posts?q=bank"},
		{"POST", "/settings/password", "http://example.nl/settings/account", "/settings/account"},
		{"POST", "/setup", "http://example.nl/setup?token=abc", "/setup?token=abc"},
		{"POST", "/setup", "http://evil.example/phish", "/"},
		{"POST", "/login", "", "/"},
	}
	for _, tt := range tests {
		r, _ := http.NewRequest(tt.method, "http://example.nl"+tt.target, nil)
		if tt.referer != "" {
			r.Header.Set("Referer", tt.referer)
		}
		if got := returnPath(r); got != tt.want {
			t.Errorf("%s %s from %q: %q, want %q", tt.method, tt.target, tt.referer, got, tt.want)
		}
	}
}
