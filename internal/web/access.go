package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/auth"
)

// Cookie names. The session cookie holds the clear session token; the pre-session cookie holds the
// CSRF token of visitors who are not signed in yet (the login, setup and language forms).
const (
	sessionCookie = "cdk_session"
	preCSRFCookie = "cdk_csrf"
	langCookie    = "cdk_lang"
	csrfField     = "csrf"
	csrfHeader    = "X-CSRF-Token"
)

// access says who may use a route.
type access struct {
	public bool            // anyone, signed in or not
	perm   auth.Permission // when not public: the permission needed; empty means any signed-in user
}

var (
	public   = access{public: true}
	signedIn = access{}
)

func need(p auth.Permission) access { return access{perm: p} }

// handlerFunc is a route's handler. It gets the visit the wrapper has already resolved.
type handlerFunc func(w http.ResponseWriter, r *http.Request, v *visit)

type route struct {
	pattern string
	access  access
	h       handlerFunc
}

// visit is what the wrapper learned about a request before the handler runs.
type visit struct {
	id      *auth.Identity // nil when not signed in
	session string         // the clear session cookie, when signed in by cookie
	csrf    string         // the CSRF token forms on this page must carry
	lang    string
	api     bool
	secure  bool // the client reached us over HTTPS
}

// wrap enforces the route's access rule, checks CSRF on state-changing browser requests, sets the
// security headers, and records the request in the metrics under the route's pattern.
func (s *Server) wrap(rt route) http.Handler {
	method, path, ok := strings.Cut(rt.pattern, " ")
	if !ok {
		method, path = "", rt.pattern
	}
	label := path
	if path == "/" {
		label = "unmatched"
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			m := r.Method
			if method == "" {
				m = "other"
			}
			s.metrics.observe(label, m, rec.status, time.Since(start))
		}()
		setSecurityHeaders(rec.Header())
		v, ok := s.resolve(rec, r, rt)
		if !ok {
			return
		}
		rt.h(rec, r, v)
	})
}

// resolve authenticates the request and applies the access rule and CSRF check. When it returns false
// it has already answered.
func (s *Server) resolve(w http.ResponseWriter, r *http.Request, rt route) (*visit, bool) {
	v := &visit{api: isAPIPath(r.URL.Path), secure: s.secure(r)}
	ctx := r.Context()

	if v.api && r.Header.Get("Authorization") != "" {
		token, ok := bearerToken(r)
		if !ok {
			s.unauthorized(w, r, v, "the Authorization header must be \"Bearer <token>\"")
			return nil, false
		}
		id, err := s.deps.Auth.AuthenticateToken(ctx, token)
		if err != nil {
			if !errors.Is(err, auth.ErrUnauthenticated) {
				s.log.Error("authenticate API token", "err", err)
				s.serverError(w, r, v)
				return nil, false
			}
			s.unauthorized(w, r, v, "invalid or revoked API token")
			return nil, false
		}
		v.id = &id
	} else if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		id, err := s.deps.Auth.AuthenticateSession(ctx, c.Value)
		switch {
		case err == nil:
			v.id, v.session, v.csrf = &id, c.Value, id.CSRF
		case errors.Is(err, auth.ErrUnauthenticated):
			// An ended session: forget the cookie and carry on as a visitor.
			s.clearCookie(w, v, sessionCookie)
		default:
			s.log.Error("authenticate session", "err", err)
			s.serverError(w, r, v)
			return nil, false
		}
	}
	v.lang = s.language(r, v.id)

	viaToken := v.id != nil && v.id.ViaToken()
	if v.api && v.id != nil && !viaToken && !safeMethod(r.Method) {
		// A browser session may read the API, but changes through the API need a token, which a
		// cross-site page cannot attach.
		s.unauthorized(w, r, v, "this request needs a bearer API token")
		return nil, false
	}
	if !rt.access.public {
		if v.id == nil {
			s.unauthorized(w, r, v, "authentication required")
			return nil, false
		}
		if rt.access.perm != "" && !v.id.Can(rt.access.perm) {
			s.forbidden(w, r, v, "your role does not allow this", "error.forbidden")
			return nil, false
		}
	}
	if v.id == nil && !v.api {
		v.csrf = preSessionCSRF(r)
	}
	if !safeMethod(r.Method) && !viaToken && !v.api {
		if !s.csrfOK(w, r, v) {
			s.log.Info("CSRF check failed", "path", r.URL.Path)
			s.forbidden(w, r, v, "the form has expired or did not come from this site; reload the page and try again", "error.csrf")
			return nil, false
		}
	}
	return v, true
}

// csrfOK checks a state-changing browser request: the browser must not mark it as cross-origin, and it
// must carry the token of this session (or, before login, of the pre-session cookie). Page forms are
// small, so every page post's body is limited here, before anything parses it.
func (s *Server) csrfOK(w http.ResponseWriter, r *http.Request, v *visit) bool {
	if err := s.crossOrg.Check(r); err != nil {
		return false
	}
	limit := int64(maxFormBytes)
	if r.URL.Path == "/plan/edit" || r.URL.Path == "/plan/validate" {
		limit = planFormBytes // the whole crisis plan, URL-encoded
	}
	if r.URL.Path == "/plan/conduct" {
		limit = planFormBytes // every word list of the conduct rules at once
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	got := r.Header.Get(csrfHeader)
	if got == "" {
		got = r.PostFormValue(csrfField)
	}
	return v.csrf != "" && got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(v.csrf)) == 1
}

// preSessionCSRF returns the visitor's double-submit CSRF token from its cookie, or "" when there is
// none yet; render sets one on the first page with forms. Only a page on this origin can put the value
// in a form: the cookie is HttpOnly and SameSite, and other origins cannot set it.
func preSessionCSRF(r *http.Request) string {
	if c, err := r.Cookie(preCSRFCookie); err == nil && len(c.Value) == preCSRFLen {
		return c.Value
	}
	return ""
}

// preCSRFLen is the length of a base64url-encoded 32-byte token.
var preCSRFLen = base64.RawURLEncoding.EncodedLen(32)

// newPreSessionCSRF makes a visitor's CSRF token and sets its cookie.
func (s *Server) newPreSessionCSRF(w http.ResponseWriter, v *visit) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("web: make CSRF token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	s.setCookie(w, v, preCSRFCookie, token, time.Time{})
	return token, nil
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// secure reports whether the client reached us over HTTPS, which decides the Secure cookie flag.
func (s *Server) secure(r *http.Request) bool {
	if s.cfg.SecureCookies || r.TLS != nil {
		return true
	}
	return s.cfg.TrustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func (s *Server) setCookie(w http.ResponseWriter, v *visit, name, value string, expires time.Time) {
	c := &http.Cookie{
		Name: name, Value: value, Path: "/",
		HttpOnly: true, Secure: v.secure, SameSite: http.SameSiteLaxMode,
	}
	if !expires.IsZero() {
		// Max-Age, which browsers prefer, is measured on our clock, the one that decided the expiry.
		c.Expires = expires
		c.MaxAge = max(1, int(expires.Sub(s.deps.Clock.Now()).Seconds()))
	}
	http.SetCookie(w, c)
}

func (s *Server) clearCookie(w http.ResponseWriter, v *visit, name string) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: v.secure, SameSite: http.SameSiteLaxMode,
	})
}

// unauthorized answers a request that needs a signed-in user: API clients get 401, browsers are sent
// to the login page and come back afterwards.
func (s *Server) unauthorized(w http.ResponseWriter, r *http.Request, v *visit, msg string) {
	if v.api {
		w.Header().Set("WWW-Authenticate", `Bearer realm="crisisdesk"`)
		writeJSONError(w, http.StatusUnauthorized, msg)
		return
	}
	next := "/"
	if r.Method == http.MethodGet {
		next = r.URL.RequestURI()
	}
	http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
}

// forbidden answers 403: API clients get msg, people get the message under key in their language.
func (s *Server) forbidden(w http.ResponseWriter, r *http.Request, v *visit, msg, key string) {
	if v.api {
		writeJSONError(w, http.StatusForbidden, msg)
		return
	}
	if v.lang == "" {
		v.lang = s.language(r, v.id)
	}
	s.renderError(w, r, v, http.StatusForbidden, key)
}

func (s *Server) serverError(w http.ResponseWriter, r *http.Request, v *visit) {
	if v.api {
		writeJSONError(w, http.StatusInternalServerError, "internal error")
		return
	}
	if v.lang == "" {
		v.lang = s.language(r, v.id)
	}
	s.renderError(w, r, v, http.StatusInternalServerError, "error.internal")
}

// safeNext returns target when it is a path on this site, and "/" otherwise, so the login form cannot
// be used to send people elsewhere.
func safeNext(target string) string {
	if target == "" || !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") || strings.HasPrefix(target, "/\\") {
		return "/"
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.ContainsAny(target, "\r\n") {
		return "/"
	}
	return target
}

// setSecurityHeaders applies to every answer. The policy allows scripts and styles from this origin
// only, so an injected inline script cannot run, and no other site may frame the app.
func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
}

// statusRecorder remembers the status code for the metrics. Unwrap lets http.ResponseController reach
// the real writer, for flushing live views.
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
