package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// parsePages parses every page, with the layout and partials, once per language with that language's
// messages bound, so rendering needs no per-request cloning.
func (s *Server) parsePages() (map[string]map[string]*template.Template, error) {
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: list templates: %w", err)
	}
	out := map[string]map[string]*template.Template{}
	for _, lang := range languages {
		out[lang] = map[string]*template.Template{}
		for _, n := range names {
			base := strings.TrimSuffix(path.Base(n), ".html")
			if base == "layout" || base == "partials" {
				continue
			}
			t, err := template.New("layout.html").Funcs(s.funcs(lang)).
				ParseFS(assets, "templates/layout.html", "templates/partials.html", n)
			if err != nil {
				return nil, fmt.Errorf("web: parse template %s: %w", n, err)
			}
			out[lang][base] = t
		}
	}
	return out, nil
}

func (s *Server) funcs(lang string) template.FuncMap {
	t := func(key string) string { return s.msgs.text(lang, key) }
	return template.FuncMap{
		"t": t,
		"tf": func(key string, args ...any) string {
			return fmt.Sprintf(s.msgs.text(lang, key), args...)
		},
		"platform": func(p string) string { return t("platform." + p) },
		"role":     func(r string) string { return t("role." + r) },
		"langname": func(l string) string { return t("lang." + l) },
		// endonym is a language's name in that language, as language switches show it.
		"endonym": func(l string) string { return s.msgs.text(l, "lang.self") },
		"num":     func(n int64) string { return formatNumber(lang, n) },
		"when": func(tm time.Time) string {
			if tm.IsZero() {
				return t("common.never")
			}
			return tm.In(s.cfg.Location).Format("2006-01-02 15:04 MST")
		},
		"isotime": func(tm time.Time) string { return tm.UTC().Format(time.RFC3339) },
		"pct":     func(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) },
		// evidence is the words of a post that put it in category c, for a tooltip.
		"evidence": func(a store.Analysis, c string) string { return strings.Join(a.Evidence[c], ", ") },
		"date": func(tm time.Time) string {
			if tm.IsZero() {
				return ""
			}
			return tm.In(s.cfg.Location).Format(time.DateOnly)
		},
	}
}

// pageData is what every page template gets. Body holds the page's own data.
type pageData struct {
	Lang        string
	Langs       []string
	Title       string // message key
	Nav         string // which navigation item is current
	User        *store.User
	CanTokens   bool
	CanUsers    bool
	CanMonitors bool // may create, change and delete monitors
	CanSettings bool
	CSRF        string
	Path        string // this page, for the language switch to return to
	Error       string // message key of a problem to show, if any
	Notice      string // message key of a success to show, if any
	Status      int
	Body        any
}

func (s *Server) newPage(r *http.Request, v *visit, title, nav string, body any) *pageData {
	p := &pageData{
		Lang: v.lang, Langs: languages, Title: title, Nav: nav,
		CSRF: v.csrf, Path: returnPath(r), Body: body, Status: http.StatusOK,
	}
	if v.id != nil {
		u := v.id.User
		p.User = &u
		p.CanTokens = v.id.Can(auth.ManageTokens)
		p.CanUsers = v.id.Can(auth.ManageUsers)
		p.CanMonitors = v.id.Can(auth.ManageMonitors)
		p.CanSettings = v.id.Can(auth.ManageSettings)
	}
	return p
}

// returnPath is where the language switch comes back to. A page shown in answer to a form post cannot
// be fetched again at its own address, so it returns to the page the form was on.
func returnPath(r *http.Request) string {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return safeNext(r.URL.RequestURI())
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host {
		return safeNext(ref.RequestURI())
	}
	return "/"
}

// render writes page name with status. The page is rendered in full before anything is sent, so a
// template error becomes a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, v *visit, name string, p *pageData) {
	if v.id == nil && v.csrf == "" {
		token, err := s.newPreSessionCSRF(w, v)
		if err != nil {
			s.log.Error("render page", "page", name, "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		v.csrf, p.CSRF = token, token
	}
	t := s.pages[v.lang][name]
	if t == nil {
		s.log.Error("no such page template", "page", name, "lang", v.lang)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.log.Error("render page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", v.lang)
	w.WriteHeader(p.Status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// renderError shows an error page with the message under key.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, v *visit, status int, key string) {
	p := s.newPage(r, v, "error.title", "", status)
	p.Error = key
	p.Status = status
	s.render(w, r, v, "error", p)
}
