package bluesky

import (
	"errors"
	"testing"
	"time"
)

func TestToPostEdgeCases(t *testing.T) {
	seen := time.UnixMicro(1795168801000000).UTC()
	commit := func(record string) string {
		return `{"did":"did:plc:x","time_us":1795168801000000,"kind":"commit","commit":{"rev":"r","operation":"create","collection":"app.bsky.feed.post","rkey":"3k","record":` + record + `}}`
	}
	tests := []struct {
		name      string
		event     string
		wantSkip  bool
		wantErr   bool
		wantText  string
		wantTime  time.Time
		wantLang  string
		wantQuote string
		wantReply string
	}{
		{name: "future createdAt falls back to the event time",
			event:    commit(`{"text":"hoi","createdAt":"2099-01-01T00:00:00Z"}`),
			wantText: "hoi", wantTime: seen},
		{name: "unreadable createdAt falls back to the event time",
			event:    commit(`{"text":"hoi","createdAt":"gisteren"}`),
			wantText: "hoi", wantTime: seen},
		{name: "back-dated createdAt is kept",
			event:    commit(`{"text":"oud","createdAt":"2024-02-01T08:00:00.000Z","langs":["en-GB","nl"]}`),
			wantText: "oud", wantTime: time.Date(2024, 2, 1, 8, 0, 0, 0, time.UTC), wantLang: "en"},
		{name: "a list embed is not a quote and a non-post parent is not a reply",
			event:    commit(`{"text":"lijst","createdAt":"2026-11-20T10:00:00Z","reply":{"parent":{"uri":"https://example.org"}},"embed":{"$type":"app.bsky.embed.record","record":{"uri":"at://did:plc:y/app.bsky.graph.list/3l"}}}`),
			wantText: "lijst", wantTime: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)},
		{name: "link text that is not a shortened URL is kept",
			event:    commit(`{"text":"lees meer hier","createdAt":"2026-11-20T10:00:00Z","facets":[{"index":{"byteStart":0,"byteEnd":9},"features":[{"$type":"app.bsky.richtext.facet#link","uri":"https://example.org/x"}]}]}`),
			wantText: "lees meer hier", wantTime: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)},
		{name: "a facet that splits a character is ignored",
			event:    commit(`{"text":"💧 example.org/a...","createdAt":"2026-11-20T10:00:00Z","facets":[{"index":{"byteStart":1,"byteEnd":22},"features":[{"$type":"app.bsky.richtext.facet#link","uri":"https://example.org/a/b"}]}]}`),
			wantText: "💧 example.org/a...", wantTime: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)},
		{name: "a quote with media",
			event:    commit(`{"text":"kijk","createdAt":"2026-11-20T10:00:00Z","embed":{"$type":"app.bsky.embed.recordWithMedia","record":{"record":{"uri":"at://did:plc:y/app.bsky.feed.post/3q","cid":"c"}},"media":{"$type":"app.bsky.embed.images","images":[]}}}`),
			wantText: "kijk", wantTime: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC),
			wantQuote: "at://did:plc:y/app.bsky.feed.post/3q"},
		{name: "an update is skipped",
			event:    `{"did":"did:plc:x","time_us":1795168801000000,"kind":"commit","commit":{"operation":"update","collection":"app.bsky.feed.post","rkey":"3k","record":{"text":"b"}}}`,
			wantSkip: true},
		{name: "an identity event is skipped",
			event:    `{"did":"did:plc:x","time_us":1795168801000000,"kind":"identity","identity":{"did":"did:plc:x","handle":"x.example"}}`,
			wantSkip: true},
		{name: "a record that is not a post is an error",
			event:   commit(`{"text":42}`),
			wantErr: true},
		{name: "a path in the rkey is an error",
			event:   `{"did":"did:plc:x","time_us":1,"kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.post","rkey":"a/b","record":{"text":"a"}}}`,
			wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := DecodeEvent([]byte(tt.event))
			if err != nil {
				t.Fatal(err)
			}
			p, err := ToPost(ev, "")
			switch {
			case tt.wantSkip:
				if !errors.Is(err, errSkip) {
					t.Fatalf("ToPost() = %v, want a skip", err)
				}
				return
			case tt.wantErr:
				if err == nil || errors.Is(err, errSkip) {
					t.Fatalf("ToPost() = %v, want an error", err)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if p.Text != tt.wantText || !p.CreatedAt.Equal(tt.wantTime) || p.Lang != tt.wantLang ||
				p.QuoteOf != tt.wantQuote || p.ReplyTo != tt.wantReply {
				t.Errorf("got text %q time %v lang %q quote %q reply %q", p.Text, p.CreatedAt, p.Lang, p.QuoteOf, p.ReplyTo)
			}
		})
	}
	if _, err := DecodeEvent([]byte(`{"did":"did:plc:x","kind":"commit"}`)); err == nil {
		t.Error("DecodeEvent accepted an event without time_us")
	}
}
