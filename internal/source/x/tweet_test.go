package x

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/query"
)

func TestToPostFromRecordedLines(t *testing.T) {
	lines := loadLines(t)
	tests := []struct {
		i                    int
		handle, url, lang    string
		reply, quote, repost string
		followers            int64
		verified             bool
		likes, views         int64
		textPrefix           string
		textLen              int // 0: do not check
	}{
		{i: 0, handle: "annadevries", url: "https://x.com/annadevries/status/1859200000000000001", lang: "nl", followers: 1234,
			likes: 12, views: 2210, textPrefix: "Al uren geen water"},
		{i: 1, handle: "VitensNL", url: "https://x.com/VitensNL/status/1859200000000000002", lang: "nl", reply: "1859200000000000001",
			followers: 15800, verified: true, likes: 2, views: 310, textPrefix: "@annadevries Er is"},
		{i: 2, handle: "tom_in_dev", url: "https://x.com/tom_in_dev/status/1859200000000000003", lang: "en", quote: "1859200000000000001",
			followers: 87, views: 12, textPrefix: "Same here"},
		{i: 3, handle: "jan_j", url: "https://x.com/jan_j/status/1859200000000000004", lang: "nl", repost: "1859200000000000001",
			followers: 12, textPrefix: "RT @annadevries"},
		{i: 4, handle: "OmroepOost", url: "https://x.com/OmroepOost/status/1859200000000000005", lang: "nl", followers: 98000,
			verified: true, likes: 51, views: 18400, textPrefix: "Draad over", textLen: 400},
		{i: 5, handle: "an0n1em", url: "https://x.com/an0n1em/status/1859200000000000006", lang: "", likes: 1, views: 40,
			textPrefix: "💧"},
	}
	for _, tt := range tests {
		sl, err := DecodeStreamLine(lines[tt.i].raw)
		if err != nil {
			t.Fatal(err)
		}
		users := map[string]User{}
		for _, u := range sl.Includes.Users {
			users[u.ID] = u
		}
		p, err := ToPost(*sl.Data, users)
		if err != nil {
			t.Fatalf("line %d: %v", tt.i, err)
		}
		a := p.Author
		if p.Platform != "x" || p.ID != sl.Data.ID || a.Handle != tt.handle || p.URL != tt.url || p.Lang != tt.lang ||
			p.ReplyTo != tt.reply || p.QuoteOf != tt.quote || p.RepostOf != tt.repost || a.Followers != tt.followers ||
			a.Verified != tt.verified || p.Metrics.Likes != tt.likes || p.Metrics.Views != tt.views ||
			!strings.HasPrefix(p.Text, tt.textPrefix) || a.ID != sl.Data.AuthorID {
			t.Errorf("line %d: %+v", tt.i, p)
		}
		if tt.textLen > 0 && len([]rune(p.Text)) < tt.textLen {
			t.Errorf("line %d: text of %d characters, want the whole note of at least %d", tt.i, len([]rune(p.Text)), tt.textLen)
		}
		if err := p.Validate(); err != nil {
			t.Errorf("line %d: %v", tt.i, err)
		}
	}
	// Without the expansion the author is known by id only, and the URL still works.
	sl, _ := DecodeStreamLine(lines[0].raw)
	p, err := ToPost(*sl.Data, nil)
	if err != nil || p.Author.ID != "1403881130802225152" || p.URL != "https://x.com/i/web/status/1859200000000000001" {
		t.Errorf("without includes: %+v, %v", p, err)
	}
	if p.CreatedAt != time.Date(2026, 11, 20, 10, 0, 1, 0, time.UTC) {
		t.Errorf("created_at %v", p.CreatedAt)
	}
}

func TestDecodeStreamLineToleratesOddPartialErrors(t *testing.T) {
	sl, err := DecodeStreamLine([]byte(`{"data":{"id":"1859200000000000001","text":"x","created_at":"2026-11-20T10:00:01.000Z"},"errors":[{"value":1600000000000000999,"detail":"Could not find user","title":"Not Found Error","type":"https://api.twitter.com/2/problems/resource-not-found"}]}`))
	if err != nil || sl.Data == nil || len(sl.Errors) != 1 {
		t.Errorf("DecodeStreamLine = %+v, %v", sl, err)
	}
}

func TestDecodeStreamLineRefuses(t *testing.T) {
	for _, in := range []string{``, `{`, `{}`, `{"data":{"id":"0123","text":"x"}}`, `{"data":{"id":"99999999999999999999","text":"x"}}`,
		`{"data":{"text":"x"}}`, `[1]`} {
		if _, err := DecodeStreamLine([]byte(in)); err == nil {
			t.Errorf("DecodeStreamLine(%q) accepted", in)
		}
	}
}

func TestRulesSync(t *testing.T) {
	h := newHarness(t)
	c := h.client(testToken)
	ctx := context.Background()
	var monitors []query.Monitor
	for _, m := range []struct{ id, q string }{
		{"m-storing", "storing (Deventer OR water)"}, // already on the stream
		{"m-vitens", "@VitensNL OR #vitens"},
		{"m-near", "water NEAR/3 storing"},
		{"m-sentiment", "vitens sentiment:negative"},
	} {
		q, err := query.Parse(m.q)
		if err != nil {
			t.Fatal(err)
		}
		monitors = append(monitors, query.Monitor{ID: m.id, Query: q})
	}
	rules, refused := RulesFromMonitors(monitors, 0)
	if len(rules) != 2 || len(refused) != 2 || refused["m-near"].Construct != ConstructNear ||
		refused["m-sentiment"].Construct != ConstructAnalysisField {
		t.Fatalf("rules %v, refused %v", rules, refused)
	}
	h.fx.rules = append(h.fx.rules, Rule{ID: "1859100000000000099", Value: "oude regel", Tag: "m-old"})

	// A dry run reports the change and changes nothing.
	res, err := c.SyncRules(ctx, rules, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Added) != 1 || res.Added[0].Tag != "m-vitens" || len(res.Deleted) != 1 || res.Deleted[0].Tag != "m-old" || len(res.Kept) != 1 {
		t.Errorf("dry run %+v", res)
	}
	if have, _ := c.Rules(ctx); len(have) != 2 || have[1].Tag != "m-old" {
		t.Errorf("dry run changed the rules: %v", have)
	}

	if _, err := c.SyncRules(ctx, rules, false); err != nil {
		t.Fatal(err)
	}
	have, err := c.Rules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(have) != 2 || have[0].Tag != "m-storing" || have[1].Value != "@VitensNL OR #vitens" || have[1].ID == "" {
		t.Errorf("rules after sync %v", have)
	}
	// A second sync is a no-op.
	if res, err := c.SyncRules(ctx, rules, false); err != nil || len(res.Added)+len(res.Deleted) != 0 {
		t.Errorf("second sync %+v, %v", res, err)
	}

	// X refuses what it refuses, and says why; the rest is created.
	h.fx.maxRule = 20
	created, err := c.AddRules(ctx, []Rule{{Value: "kort", Tag: "a"}, {Value: strings.Repeat("lang ", 10), Tag: "b"}}, false)
	var re *RulesError
	if !errors.As(err, &re) || len(re.Problems) != 1 || !strings.Contains(err.Error(), "too long") || len(created) != 1 {
		t.Errorf("AddRules = %v, %v", created, err)
	}
	if err := c.DeleteRules(ctx, []string{"404"}, false); !errors.As(err, &re) {
		t.Errorf("DeleteRules of a missing rule = %v", err)
	}
}
