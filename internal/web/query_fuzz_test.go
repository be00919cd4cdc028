package web

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// FuzzParseQuery feeds arbitrary query strings to the search parameters of the posts page and the API.
// They must never panic, and whatever they accept must be a query the stores can run: known
// sentiment and category, a short monitor id, a limit within bounds, since before until.
func FuzzParseQuery(f *testing.F) {
	for _, seed := range []string{
		"q=storing&platform=bluesky&lang=nl",
		"monitor=m4k9tz2qa&sentiment=negative&category=data_breach&complaint=true",
		"category=weather",
		"complaint=yes",
		"since=2026-11-20&until=2026-11-19",
		"limit=1001",
		"period=7d&since=2026-11-01",
		"q=%22op+straat%22+bezorg*&sentiment=positive",
	} {
		f.Add(seed)
	}
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		check := func(q store.PostQuery) {
			if q.Sentiment != "" && !slices.Contains(sentiments, q.Sentiment) {
				t.Errorf("accepted sentiment %q", q.Sentiment)
			}
			if q.Category != "" && store.CategoryBit(q.Category) == 0 {
				t.Errorf("accepted category %q", q.Category)
			}
			if len(q.Monitor) > maxMonitorIDLen {
				t.Errorf("accepted a monitor id of %d bytes", len(q.Monitor))
			}
			if !q.Since.IsZero() && !q.Until.IsZero() && !q.Since.Before(q.Until) {
				t.Errorf("accepted since %v not before until %v", q.Since, q.Until)
			}
		}
		if q, err := parseAPIQuery(v); err == nil {
			check(q)
			if q.Limit < 0 || q.Limit > store.MaxSearchLimit {
				t.Errorf("accepted limit %d", q.Limit)
			}
		}
		if q, _, err := parsePageQuery(v, now, time.UTC); err == nil {
			check(q)
		}
	})
}
