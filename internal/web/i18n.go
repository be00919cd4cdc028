package web

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/auth"
)

// languages are the UI languages. Every message exists in each, in i18n/<lang>.json; New refuses to
// start when a key is missing from one of them.
var languages = []string{"en", "nl"}

func supportedLang(l string) bool { return slices.Contains(languages, l) }

// catalog holds the messages of every language: catalog[lang][key].
type catalog map[string]map[string]string

func loadCatalog(fsys fs.FS) (catalog, error) {
	c := catalog{}
	for _, l := range languages {
		b, err := fs.ReadFile(fsys, "i18n/"+l+".json")
		if err != nil {
			return nil, fmt.Errorf("web: messages for %s: %w", l, err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("web: messages for %s: %w", l, err)
		}
		c[l] = m
	}
	if missing := c.missing(); len(missing) > 0 {
		return nil, fmt.Errorf("web: messages missing: %s", strings.Join(missing, "; "))
	}
	return c, nil
}

// missing lists, per language, the keys another language has and it lacks.
func (c catalog) missing() []string {
	all := map[string]bool{}
	for _, m := range c {
		for k := range m {
			all[k] = true
		}
	}
	var out []string
	for _, l := range languages {
		for k := range all {
			if _, ok := c[l][k]; !ok {
				out = append(out, l+": "+k)
			}
		}
	}
	sort.Strings(out)
	return out
}

// text returns the message key in lang. A missing key shows as the key itself in brackets, so it is
// visible in the page and caught by the completeness test rather than rendered as nothing.
func (c catalog) text(lang, key string) string {
	if s, ok := c[lang][key]; ok {
		return s
	}
	return "[" + key + "]"
}

// language picks the UI language: the signed-in user's choice, then the language cookie, then the
// browser's Accept-Language, then the configured default.
func (s *Server) language(r *http.Request, id *auth.Identity) string {
	if id != nil && supportedLang(id.User.Lang) {
		return id.User.Lang
	}
	if c, err := r.Cookie(langCookie); err == nil && supportedLang(c.Value) {
		return c.Value
	}
	if l := acceptLanguage(r.Header.Get("Accept-Language")); l != "" {
		return l
	}
	return s.cfg.DefaultLang
}

// acceptLanguage returns the supported language the browser prefers most, or "".
func acceptLanguage(h string) string {
	best, bestQ := "", 0.0
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if supportedLang(primary) && q > bestQ {
			best, bestQ = primary, q
		}
	}
	return best
}

// formatNumber groups thousands the way each language writes them: 12,345 and 12.345.
func formatNumber(lang string, n int64) string {
	sep := ","
	if lang == "nl" {
		sep = "."
	}
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, d := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(d)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
