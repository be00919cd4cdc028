package plan

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

const minimalSources = minimal + `# Where we listen.
sources:
  - id: nos
    kind: rss
    name: NOS Nieuws
    enabled: true
    url: https://feeds.nos.example/nieuws
    interval: 5m
  - id: masto
    kind: mastodon
    name: "Mastodon #storing"
    enabled: false
    url: https://mastodon.example
    stream: hashtag
    hashtag: storing
  - id: bsky
    kind: bluesky
    name: Bluesky NL
    enabled: true
    langs: [nl]
    engagement: true
`

func TestParseSources(t *testing.T) {
	p, err := Parse([]byte(minimalSources))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []Source{
		{ID: "nos", Kind: "rss", Name: "NOS Nieuws", Enabled: true, URL: "https://feeds.nos.example/nieuws", Interval: "5m"},
		{ID: "masto", Kind: "mastodon", Name: "Mastodon #storing", URL: "https://mastodon.example", Stream: "hashtag", Hashtag: "storing"},
		{ID: "bsky", Kind: "bluesky", Name: "Bluesky NL", Enabled: true, Langs: []string{"nl"}, Engagement: true},
	}
	if !reflect.DeepEqual(p.Sources, want) {
		t.Errorf("sources = %+v\nwant %+v", p.Sources, want)
	}
	if p, err := Parse([]byte(minimal)); err != nil || p.Sources != nil {
		t.Errorf("a plan without sources: %v, sources %v; want nil, which leaves sources alone", err, p.Sources)
	}
	if p, err := Parse([]byte(minimal + "sources: []\n")); err != nil || p.Sources == nil || len(p.Sources) != 0 {
		t.Errorf("a plan with an empty list: %v, %#v; want an empty, non-nil list", err, p)
	}
}

func TestParseSourceErrors(t *testing.T) {
	base := strings.Count(minimal, "\n")
	tests := []struct {
		name, yaml string
		path       string
		line       int
		want       string
	}{
		{"credentials are not a field", "  - id: x\n    kind: x\n    name: X\n    token: abc\n", "sources[0].token", base + 5, "unknown field"},
		{"unknown kind", "  - id: x\n    kind: facebook\n    name: X\n", "sources[0].kind", base + 3, "must be one of bluesky, mastodon, rss, x, webhook"},
		{"websocket for a feed", "  - id: f\n    kind: rss\n    name: F\n    url: wss://feeds.example/rss\n", "sources[0].url", base + 5, "starting with http, https"},
		{"feed without url", "  - id: f\n    kind: rss\n    name: F\n", "sources[0].url", base + 2, "is required"},
		{"hashtag stream without tag", "  - id: m\n    kind: mastodon\n    name: M\n    url: https://m.example\n    stream: hashtag\n", "sources[0].hashtag", base + 2, "is required"},
		{"bad stream", "  - id: m\n    kind: mastodon\n    name: M\n    url: https://m.example\n    stream: federated\n", "sources[0].stream", base + 6, "must be one of public, hashtag, user"},
		{"interval too short", "  - id: f\n    kind: rss\n    name: F\n    url: https://f.example\n    interval: 30s\n", "sources[0].interval", base + 6, "at least one minute"},
		{"bad language", "  - id: b\n    kind: bluesky\n    name: B\n    langs: [NL]\n", "sources[0].langs[0]", base + 5, "two-letter language code"},
		{"duplicate id", "  - id: b\n    kind: bluesky\n    name: B\n  - id: b\n    kind: bluesky\n    name: C\n", "sources[1].id", base + 5, `duplicate id "b"`},
		{"enabled not a bool", "  - id: b\n    kind: bluesky\n    name: B\n    enabled: ja\n", "sources[0].enabled", base + 5, "true or false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(minimal + "sources:\n" + tt.yaml))
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Parse = %v, want Errors", err)
			}
			for _, e := range errs {
				if e.Path == tt.path {
					if e.Line != tt.line || !strings.Contains(e.Message("en"), tt.want) || e.Message("nl") == e.Message("en") {
						t.Errorf("%s at line %d: %q (nl %q); want line %d and %q", e.Path, e.Line, e.Message("en"), e.Message("nl"), tt.line, tt.want)
					}
					return
				}
			}
			t.Errorf("no error at %s: %v", tt.path, errs)
		})
	}
}

func TestWithSources(t *testing.T) {
	srcs := []Source{{ID: "oost", Kind: "rss", Name: "Omroep Oost", Enabled: true, URL: "https://oost.example/rss"}}
	tests := []struct{ name, in string }{
		{"replaces the list, keeps comments", minimalSources},
		{"adds the key", minimal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := WithSources([]byte(tt.in), srcs)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Parse(out)
			if err != nil {
				t.Fatalf("the result does not parse: %v\n%s", err, out)
			}
			if !reflect.DeepEqual(p.Sources, srcs) {
				t.Errorf("sources = %+v, want %+v", p.Sources, srcs)
			}
			if strings.Contains(tt.in, "# Where we listen.") && !strings.Contains(string(out), "# Where we listen.") {
				t.Errorf("the comment above sources was lost:\n%s", out)
			}
			if !strings.Contains(string(out), "secret: env:SMTP_PASSWORD") || !strings.Contains(string(out), "Gemeente Voorbeeld") {
				t.Errorf("the rest of the plan changed:\n%s", out)
			}
		})
	}
	out, err := WithSources([]byte(minimalSources), nil)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := Parse(out); err != nil || p.Sources == nil || len(p.Sources) != 0 {
		t.Errorf("no sources configured: %v, %+v; want an empty list, so importing it back keeps none", err, p)
	}
}

func FuzzWithSources(f *testing.F) {
	f.Add("nos", "rss", "NOS", "https://feeds.nos.example/rss", "5m")
	f.Add("b", "bluesky", "Bluesky: \"nl\" #storing", "", "")
	f.Add("", "x", "- [x]", "http://[::1", "1h")
	f.Fuzz(func(t *testing.T, id, kind, name, u, interval string) {
		srcs := []Source{{ID: id, Kind: kind, Name: name, URL: u, Interval: interval, Enabled: true}}
		out, err := WithSources([]byte(minimal), srcs)
		if err != nil {
			t.Fatalf("WithSources: %v", err)
		}
		p, err := Parse(out)
		if err != nil {
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Parse: %v", err)
			}
			for _, e := range errs {
				if !strings.HasPrefix(e.Path, "sources") {
					t.Fatalf("a source's values broke the rest of the plan: %v", e)
				}
			}
			return
		}
		if !reflect.DeepEqual(p.Sources, srcs) {
			t.Fatalf("round trip: %+v, want %+v", p.Sources, srcs)
		}
	})
}
