package web

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// maxQueryLen bounds the search text; a longer one is not a search a person means.
const maxQueryLen = 500

// paramError names the query parameter that is wrong, for the JSON error and for the form.
type paramError struct {
	Param  string
	Reason string
}

func (e *paramError) Error() string { return "parameter " + e.Param + ": " + e.Reason }

// periods are the presets of the search page, from newest to widest.
var periods = []struct {
	Value string
	D     time.Duration
}{
	{"1h", time.Hour},
	{"24h", 24 * time.Hour},
	{"7d", 7 * 24 * time.Hour},
	{"30d", 30 * 24 * time.Hour},
}

// parseCommon reads the parameters the page and the API share: q, platform and lang.
func parseCommon(v url.Values) (store.PostQuery, error) {
	var q store.PostQuery
	q.Text = strings.TrimSpace(v.Get("q"))
	if !utf8.ValidString(q.Text) {
		return q, &paramError{"q", "invalid UTF-8"}
	}
	if utf8.RuneCountInString(q.Text) > maxQueryLen {
		return q, &paramError{"q", fmt.Sprintf("longer than %d characters", maxQueryLen)}
	}
	if p := v.Get("platform"); p != "" {
		if !slices.Contains(post.Platforms, p) {
			return q, &paramError{"platform", "must be one of " + strings.Join(post.Platforms, ", ")}
		}
		q.Platform = p
	}
	if l := v.Get("lang"); l != "" {
		if !validLangCode(l) {
			return q, &paramError{"lang", "must be a two- or three-letter lower-case language code such as nl, or und"}
		}
		q.Lang = l
	}
	if m := v.Get("monitor"); m != "" {
		if len(m) > maxMonitorIDLen {
			return q, &paramError{"monitor", "not a monitor id"}
		}
		q.Monitor = m
	}
	if sen := v.Get("sentiment"); sen != "" {
		if !slices.Contains(sentiments, sen) {
			return q, &paramError{"sentiment", "must be one of " + strings.Join(sentiments, ", ")}
		}
		q.Sentiment = sen
	}
	if c := v.Get("category"); c != "" {
		if store.CategoryBit(c) == 0 {
			return q, &paramError{"category", "must be one of " + strings.Join(store.Categories, ", ")}
		}
		q.Category = c
	}
	switch v.Get("complaint") {
	case "":
	case "true":
		q.Complaint = true
	default:
		return q, &paramError{"complaint", "must be true, or left out"}
	}
	return q, nil
}

// sentiments are the sentiment labels analysis gives.
var sentiments = []string{"negative", "neutral", "positive"}

// maxMonitorIDLen bounds a monitor id in a URL; ids are short.
const maxMonitorIDLen = 64

func validLangCode(l string) bool {
	if len(l) < 2 || len(l) > 3 {
		return false
	}
	for _, c := range l {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// parseAPIQuery reads the parameters of GET /api/v1/posts. Times are RFC 3339, or a date meaning
// midnight UTC; until is exclusive.
func parseAPIQuery(v url.Values) (store.PostQuery, error) {
	q, err := parseCommon(v)
	if err != nil {
		return q, err
	}
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"since", &q.Since}, {"until", &q.Until}} {
		s := v.Get(f.name)
		if s == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t, err = time.Parse(time.DateOnly, s)
		}
		if err != nil {
			return q, &paramError{f.name, "must be an RFC 3339 time such as 2026-11-20T10:00:00Z or a date such as 2026-11-20"}
		}
		*f.dst = t.UTC()
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Since.Before(q.Until) {
		return q, &paramError{"until", "must be later than since"}
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > store.MaxSearchLimit {
			return q, &paramError{"limit", fmt.Sprintf("must be a whole number from 1 to %d", store.MaxSearchLimit)}
		}
		q.Limit = n
	}
	return q, nil
}

// pageQuery is the search form as the user filled it in, to show it back.
type pageQuery struct {
	Q, Platform, Lang, Period, Since, Until string
	Monitor, Sentiment, Category            string
	Complaint                               bool
}

// parsePageQuery reads the search form. Dates are whole days in the configured time zone, and the
// until day is included. Explicit dates win over a period preset.
func parsePageQuery(v url.Values, now time.Time, loc *time.Location) (store.PostQuery, pageQuery, error) {
	form := pageQuery{Q: v.Get("q"), Platform: v.Get("platform"), Lang: v.Get("lang"),
		Period: v.Get("period"), Since: v.Get("since"), Until: v.Get("until"),
		Monitor: v.Get("monitor"), Sentiment: v.Get("sentiment"), Category: v.Get("category"), Complaint: v.Get("complaint") == "true"}
	q, err := parseCommon(v)
	if err != nil {
		return q, form, err
	}
	if form.Period != "" {
		i := slices.IndexFunc(periods, func(p struct {
			Value string
			D     time.Duration
		}) bool {
			return p.Value == form.Period
		})
		if i < 0 {
			return q, form, &paramError{"period", "unknown period"}
		}
		q.Since = now.Add(-periods[i].D)
	}
	if form.Since != "" {
		t, err := time.ParseInLocation(time.DateOnly, form.Since, loc)
		if err != nil {
			return q, form, &paramError{"since", "not a date"}
		}
		q.Since = t.UTC()
	}
	if form.Until != "" {
		t, err := time.ParseInLocation(time.DateOnly, form.Until, loc)
		if err != nil {
			return q, form, &paramError{"until", "not a date"}
		}
		q.Until = t.AddDate(0, 0, 1).UTC()
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Since.Before(q.Until) {
		return q, form, &paramError{"until", "before since"}
	}
	return q, form, nil
}
