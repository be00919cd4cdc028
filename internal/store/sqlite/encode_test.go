package sqlite

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// checkSameAsJSON fails unless the appenders write exactly what json.Marshal writes for p and a, or
// fail where it fails.
func checkSameAsJSON(t *testing.T, p *post.Post, a *store.Analysis) {
	t.Helper()
	want, werr := json.Marshal(p)
	got, gerr := appendPostJSON([]byte("x"), p)
	if (werr != nil) != (gerr != nil) || werr == nil && string(got) != "x"+string(want) {
		t.Errorf("post:\n got %s (%v)\nwant x%s (%v)", got, gerr, want, werr)
	}
	want, werr = json.Marshal(a)
	got, gerr = appendAnalysisJSON(nil, a)
	if (werr != nil) != (gerr != nil) || werr == nil && string(got) != string(want) {
		t.Errorf("analysis:\n got %s (%v)\nwant %s (%v)", got, gerr, want, werr)
	}
	want, _ = json.Marshal(a.Categories)
	if got := appendJSONStrings(nil, a.Categories); string(got) != string(want) {
		t.Errorf("strings: got %s, want %s", got, want)
	}
}

func TestEncodeSameAsJSON(t *testing.T) {
	created := time.Date(2026, 11, 20, 10, 0, 0, 123456789, time.UTC)
	author := time.Date(2019, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600))
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) // json.Marshal cannot write it
	posts := []post.Post{
		{},
		{ID: "1", Platform: "x", Text: "Storing bij de bank", CreatedAt: created},
		{ID: "a\"b\\c", Platform: "bluesky", Text: "<b>&amp;</b>\n\t\x01 é 😍 \u2028 \u2029 \xff\xfe", CreatedAt: created,
			Lang: "nl", URL: "https://example.nl/a?b=1&c=<2>", ReplyTo: "r", RepostOf: "rp", QuoteOf: "q",
			Author: post.Author{ID: "did:plc:x", Handle: "@jan", Name: "Jan “de” Vries", Followers: -3, Following: math.MaxInt64,
				CreatedAt: &author, Verified: true, Kind: "press"},
			Metrics: post.Metrics{Likes: 1, Reposts: 2, Replies: 3, Quotes: 4, Views: math.MinInt64}},
		{ID: "2", Platform: "x", CreatedAt: created, Author: post.Author{Name: "only a name"}},
		{ID: "3", Platform: "x", CreatedAt: created, Author: post.Author{Kind: "person", Verified: true}},
		{ID: "4", Platform: "x", CreatedAt: far},
		{ID: "5", Platform: "x", CreatedAt: created, Author: post.Author{CreatedAt: &far}},
	}
	analyses := []store.Analysis{
		{},
		{Lang: "nl", LangConfidence: 0.97, Sentiment: "negative", SentimentScore: -0.42, Complaint: true, ComplaintScore: 1,
			Categories: []string{"outage", "data_breach"},
			Evidence:   map[string][]string{"outage": {"storing", "ligt <eruit>"}, "data_breach": {"datalek"}, "empty": nil}},
		{Lang: "und", Sentiment: "neutral", Categories: []string{}, SentimentScore: math.Copysign(0, -1), ComplaintScore: 1e-7},
		{LangConfidence: 1e21, SentimentScore: 123456789.125, ComplaintScore: -1e-6},
		{LangConfidence: math.NaN()},
		{SentimentScore: math.Inf(-1)},
	}
	for i := range posts {
		for j := range analyses {
			checkSameAsJSON(t, &posts[i], &analyses[j])
		}
	}
}

func FuzzEncodeSameAsJSON(f *testing.F) {
	f.Add("1", "x", "Storing bij de bank", "nl", "@jan", "Jan", "outage", "storing", int64(5), 0.5, int64(0))
	f.Add("a\"b", "bluesky", "<b>&\u2028\xff", "", "", "“x”", "", "", int64(-1), -0.01, int64(1e18))
	f.Fuzz(func(t *testing.T, id, platform, text, lang, handle, name, cat, ev string, n int64, score float64, nanos int64) {
		created := time.Unix(0, nanos).UTC()
		p := post.Post{ID: id, Platform: platform, Text: text, CreatedAt: created, Lang: lang, URL: ev,
			Author:  post.Author{Handle: handle, Name: name, Followers: n, CreatedAt: &created, Kind: cat},
			Metrics: post.Metrics{Likes: n, Views: -n}}
		a := store.Analysis{Lang: lang, LangConfidence: score, Sentiment: name, SentimentScore: -score,
			ComplaintScore: score * 1e-7, Categories: []string{cat, ev}, Evidence: map[string][]string{cat: {ev, text}, ev: nil}}
		checkSameAsJSON(t, &p, &a)
	})
}
